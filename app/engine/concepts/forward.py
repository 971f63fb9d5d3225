"""Forward propagation through ``keras.layers.Dense`` layers built from a spec, layer by layer.

Each layer's kernel is drawn by ``keras.initializers.GlorotUniform(seed=seed + index)`` (biases start
at zero, as in Keras), so the same seed gives the same network in a notebook. A layer too big to list
(e.g. 784-256-128-64-10 on one 784-value input) is summarised: shape, min, max, mean, std and its
first values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.numeric import scalar, to_json

LISTED = 32  # tensors with at most this many values are returned whole
HEAD = 8  # how many leading values a summary shows

Summary = dict[str, Any]  # what summarize returns


@dataclass(frozen=True)
class ForwardResult:
    """Every layer of a forward pass, each tensor summarised (see :func:`summarize`); JSON-ready. Each of
    ``layers`` holds ``index``, ``units``, ``activation``, ``parameters`` and the summaries ``kernel``,
    ``bias``, ``pre_activation`` and ``output``."""

    input: Summary
    random_input: bool
    layers: list[dict[str, Any]]
    softmax: Summary | None
    output: Summary  # the softmax if asked for, else the last layer's output
    parameters: int
    overflow: bool

    def __repr__(self) -> str:
        units = [layer["units"] for layer in self.layers]
        return f"ForwardResult(input={self.input['shape']}, units={units}, parameters={self.parameters})"


def summarize(values: Any, *, listed: int = LISTED, head: int = HEAD) -> dict[str, Any]:
    """Shape, statistics and the first values of a tensor; every value too when it has at most ``listed``."""
    array = np.asarray(values, np.float64)
    flat = array.reshape(-1)
    finite = flat[np.isfinite(flat)]
    head_values, head_bad = to_json(flat[:head])
    all_values, all_bad = to_json(array) if flat.size <= listed else (None, False)
    return {
        "shape": list(array.shape),
        "size": int(flat.size),
        "min": scalar(finite.min()) if finite.size else None,
        "max": scalar(finite.max()) if finite.size else None,
        "mean": scalar(flat.mean()) if flat.size else None,
        "std": scalar(flat.std()) if flat.size else None,
        "head": head_values,
        "values": all_values,
        "overflow": bool(finite.size < flat.size) or head_bad or all_bad,
    }


def parameter_count(input_size: int, units: Sequence[int]) -> int:
    """Weights plus biases of Dense layers of ``units`` stacked on ``input_size`` inputs."""
    sizes = [input_size, *units]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def random_input(input_size: int, seed: int) -> tf.Tensor:
    """One sample of ``input_size`` values uniform in [0, 1), like the pixels of an image."""
    return tf.random.stateless_uniform([1, input_size], seed=[seed, 0])


def build_layers(units: Sequence[int], activation: Sequence[str], seed: int) -> list[keras.layers.Dense]:
    return [keras.layers.Dense(u, activation=a, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i))
            for i, (u, a) in enumerate(zip(units, activation, strict=True))]


def forward(*, units: Sequence[int], activation: Sequence[str], x: Sequence[float] | None = None,
            input_size: int | None = None, softmax: bool = False, seed: int = 0) -> ForwardResult:
    """Every layer's pre-activation ``z = a_prev · W + b`` and activation ``a = f(z)``, with shapes."""
    if not units:
        raise ValueError("units must list at least one layer; received none")
    if len(activation) != len(units):
        raise ValueError(f"activation must name one function per layer ({len(units)}); received {len(activation)}")
    for name in activation:
        ACTIVATIONS.entry(name)
    if x is None:
        if input_size is None:
            raise ValueError("Expected x (the input values) or input_size (for a seeded random input); received neither")
        inputs = random_input(input_size, seed)
    else:
        if input_size is not None and input_size != len(x):
            raise ValueError(f"input_size ({input_size}) must equal the length of x; received {len(x)} values")
        if not x:
            raise ValueError("x must hold at least one value; received none")
        inputs = tf.constant([list(x)], tf.float32)

    h = inputs
    layers = []
    for index, layer in enumerate(build_layers(units, activation, seed)):
        a = layer(h)  # builds the layer on first call, then applies it
        z = tf.matmul(h, layer.kernel) + layer.bias
        layers.append({
            "index": index, "units": layer.units, "activation": activation[index],
            "kernel": summarize(layer.kernel), "bias": summarize(layer.bias),
            "parameters": int(np.prod(layer.kernel.shape)) + int(np.prod(layer.bias.shape)),
            "pre_activation": summarize(z), "output": summarize(a),
        })
        h = a
    probabilities = summarize(tf.nn.softmax(h, axis=-1)) if softmax else None
    summarised_input = summarize(inputs)
    output = probabilities or layers[-1]["output"]
    overflow = any(s["overflow"] for s in [summarised_input, output]
                   + [layer[k] for layer in layers for k in ("pre_activation", "output")])
    return ForwardResult(input=summarised_input, random_input=x is None, layers=layers, softmax=probabilities,
                         output=output, parameters=parameter_count(int(inputs.shape[-1]), units),
                         overflow=overflow)
