"""A multilayer perceptron as a flat list of tensors ``[W0, b0, W1, b1, ...]`` and its forward pass.

Keeping the parameters as plain tensors (not a Keras model) lets one compiled function serve every
session of the same architecture. The initial values are Keras's defaults for ``Dense`` (Glorot
uniform kernels, zero biases) drawn with ``GlorotUniform(seed=init_seed + layer)``, which is what
the export script asks Keras for, so a learner's model starts from the same weights.
"""

from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf

from app.engine.activations import ACTIVATIONS


def kernel_seed(init_seed: int, layer: int) -> int:
    return init_seed * 1000 + layer


def initial_parameters(layer_sizes: Sequence[int], init_seed: int) -> list[np.ndarray]:
    params: list[np.ndarray] = []
    for layer, (fan_in, fan_out) in enumerate(zip(layer_sizes, layer_sizes[1:])):
        init = keras.initializers.GlorotUniform(seed=kernel_seed(init_seed, layer))
        params.append(np.asarray(init((fan_in, fan_out), dtype="float32")))
        params.append(np.zeros(fan_out, np.float32))
    return params


def forward(params: Sequence[tf.Tensor], x: tf.Tensor, activations: Sequence[str],
            keep_hidden: bool = False, matmul: Callable = tf.matmul) -> tuple[tf.Tensor, list[tf.Tensor]]:
    """Logits of the output layer and, if asked, every hidden layer's activations. ``matmul`` lets a group
    of networks stacked on a leading axis (``app.engine.group``) run the same layers."""
    hidden: list[tf.Tensor] = []
    h = x
    for i, name in enumerate(activations):
        h = ACTIVATIONS.get(name)(matmul(h, params[2 * i]) + params[2 * i + 1])
        if keep_hidden:
            hidden.append(h)
    logits = matmul(h, params[-2]) + params[-1]
    return logits, hidden
