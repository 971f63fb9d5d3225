"""Activation functions, by name. Each value is Keras's own function, so numbers equal TensorFlow's."""

from collections.abc import Callable

import keras
import tensorflow as tf

from app.engine.registry import Registry

Activation = Callable[[tf.Tensor], tf.Tensor]

ACTIVATIONS: Registry[Activation] = Registry("activation")

for _name, _label, _description in [
    ("relu", "ReLU", "max(0, x)"),
    ("tanh", "Tanh", "(e^x - e^-x) / (e^x + e^-x)"),
    ("sigmoid", "Sigmoid", "1 / (1 + e^-x)"),
    ("linear", "Linear", "x (no non-linearity)"),
    ("leaky_relu", "Leaky ReLU", "x if x > 0 else 0.2 x"),
    ("elu", "ELU", "x if x > 0 else e^x - 1"),
    ("selu", "SELU", "1.0507 (x if x > 0 else 1.6733 (e^x - 1))"),
    ("gelu", "GELU", "x Φ(x)"),
    ("swish", "Swish (SiLU)", "x sigmoid(x)"),
    ("softplus", "Softplus", "log(1 + e^x)"),
    ("softsign", "Softsign", "x / (1 + |x|)"),
    ("hard_sigmoid", "Hard sigmoid", "relu6(x + 3) / 6"),
    ("mish", "Mish", "x tanh(softplus(x))"),
]:
    ACTIVATIONS.register(_name, keras.activations.get(_name), label=_label, description=_description)
