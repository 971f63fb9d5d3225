"""Activation functions, by name. Each value is Keras's own function, so numbers equal TensorFlow's."""

from collections.abc import Callable

import keras
import tensorflow as tf

from app.engine.registry import Registry

Activation = Callable[[tf.Tensor], tf.Tensor]

ACTIVATIONS: Registry[Activation] = Registry("activation")

# Columns: name, label, Chinese label (None: the name is what Chinese texts use too), formula.
for _name, _label, _label_zh, _description in [
    ("relu", "ReLU", None, "max(0, x)"),
    ("tanh", "Tanh", "Tanh (双曲正切)", "(e^x - e^-x) / (e^x + e^-x)"),
    ("sigmoid", "Sigmoid", None, "1 / (1 + e^-x)"),
    ("linear", "Linear", "线性", "x (no non-linearity)"),
    ("leaky_relu", "Leaky ReLU", None, "x if x > 0 else 0.2 x"),
    ("elu", "ELU", None, "x if x > 0 else e^x - 1"),
    ("selu", "SELU", None, "1.0507 (x if x > 0 else 1.6733 (e^x - 1))"),
    ("gelu", "GELU", None, "x Φ(x)"),
    ("swish", "Swish (SiLU)", None, "x sigmoid(x)"),
    ("softplus", "Softplus", None, "log(1 + e^x)"),
    ("softsign", "Softsign", None, "x / (1 + |x|)"),
    ("hard_sigmoid", "Hard sigmoid", "硬 Sigmoid", "relu6(x + 3) / 6"),
    ("mish", "Mish", None, "x tanh(softplus(x))"),
]:
    ACTIVATIONS.register(_name, keras.activations.get(_name), label=_label, label_zh=_label_zh,
                         description=_description)
