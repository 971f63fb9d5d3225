"""A dense layer taken apart: ``x · W``, ``+ b``, the activation, the shapes and the parameter count.

The layer is a real ``keras.layers.Dense``: without explicit weights its kernel is drawn by
``GlorotUniform(seed=seed)`` (Keras's default initialiser, seeded) and its bias starts at zero, as in
a notebook. The intermediate steps are computed with ``tf.matmul`` and ``tf.nn.bias_add`` from the
layer's own variables, and the final output is the layer's call itself.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.numeric import float32_array


@dataclass(frozen=True)
class DenseResult:
    x: np.ndarray  # [batch, in]
    units: int
    activation: str
    use_bias: bool
    kernel: np.ndarray  # W: [in, units]
    bias: np.ndarray | None  # b: [units], or None without a bias
    matmul: np.ndarray  # x · W: [batch, units]
    pre_activation: np.ndarray  # x · W + b
    output: np.ndarray  # activation(x · W + b), from the layer's own call
    parameter_count: int  # in * units (+ units with a bias)

    @property
    def output_shape(self) -> list[int]:
        return list(self.output.shape)

    def __repr__(self) -> str:
        return (f"DenseResult(x{list(self.x.shape)} · W{list(self.kernel.shape)} -> {self.output_shape}, "
                f"activation={self.activation!r}, parameters={self.parameter_count})")


def dense(x: Sequence[Sequence[float]], *, units: int, activation: str = "linear", use_bias: bool = True,
          kernel: Sequence[Sequence[float]] | None = None, bias: Sequence[float] | None = None,
          seed: int = 0) -> DenseResult:
    """Runs ``keras.layers.Dense(units, activation)`` on the batch ``x`` and returns every step."""
    inputs = float32_array(x, name="x", ndims=(2,))
    ACTIVATIONS.entry(activation)
    if units < 1:
        raise ValueError(f"units must be at least 1; received {units}")
    features = inputs.shape[1]
    layer = keras.layers.Dense(units, activation=activation, use_bias=use_bias,
                               kernel_initializer=keras.initializers.GlorotUniform(seed=seed))
    layer.build((None, features))
    if kernel is not None:
        w = float32_array(kernel, name="kernel", ndims=(2,))
        if w.shape != (features, units):
            raise ValueError(f"kernel must have shape [{features}, {units}] (input features, units); "
                             f"received {list(w.shape)}")
        layer.kernel.assign(w)
    if bias is not None:
        if not use_bias:
            raise ValueError("bias was given but use_bias is false; expected no bias or use_bias true")
        b = float32_array(bias, name="bias", ndims=(1,))
        if b.shape != (units,):
            raise ValueError(f"bias must have {units} values (one per unit); received {b.size}")
        layer.bias.assign(b)
    x_tensor = tf.constant(inputs)
    matmul = tf.matmul(x_tensor, layer.kernel)
    pre_activation = tf.nn.bias_add(matmul, layer.bias) if use_bias else matmul
    return DenseResult(
        x=inputs,
        units=units,
        activation=activation,
        use_bias=use_bias,
        kernel=np.asarray(layer.kernel),
        bias=np.asarray(layer.bias) if use_bias else None,
        matmul=matmul.numpy(),
        pre_activation=pre_activation.numpy(),
        output=np.asarray(layer(x_tensor)),
        parameter_count=layer.count_params(),
    )
