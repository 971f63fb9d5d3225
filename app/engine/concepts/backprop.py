"""Backpropagation through a small network with explicit weights, neuron by neuron.

Every layer computes ``z = a_prev · W + b`` and ``a = f(z)``. ``tf.GradientTape`` gives ∂L/∂a and ∂L/∂z
of every neuron and ∂L/∂W, ∂L/∂b of every weight; a second tape gives ∂a/∂z, so the chain rule
∂L/∂z = ∂L/∂a · ∂a/∂z and ∂L/∂W_ij = a_prev_i · ∂L/∂z_j can be checked number by number. The same
gradients by central finite differences come from one batched forward pass over every nudged copy of
the parameters. Everything runs in float64 so the two ways agree to many digits.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.losses import LOSSES
from app.engine.numeric import scalar, to_json

DTYPE = tf.float64
AGREE_RTOL, AGREE_ATOL = 1e-5, 1e-8  # tape vs finite differences

Number = float | None  # None where a value is not finite


@dataclass(frozen=True)
class BackpropResult:
    """One input through the network, every neuron's chain-rule factors, and one SGD step; JSON-ready
    (lists of numbers, None where not finite). Each of ``layers`` holds ``inputs``, ``pre_activation``,
    ``output``, ``dloss_da``, ``da_dz``, ``dloss_dz``, ``kernel``, ``bias`` and ``gradients`` /
    ``finite_differences`` / ``updated`` as ``{"kernel", "bias"}``."""

    x: list[Number]
    y_true: list[Number]
    y_pred: list[Number]
    loss_name: str
    keras_loss: str
    loss: Number
    layers: list[dict[str, Any]]
    max_abs_difference: Number
    gradients_agree: bool
    learning_rate: float
    finite_difference_step: float
    loss_after_update: Number
    overflow: bool

    def __repr__(self) -> str:
        return (f"BackpropResult({self.loss_name}, layers={len(self.layers)}, loss={self.loss}, "
                f"gradients_agree={self.gradients_agree})")


def _layers_of(x: Sequence[float], layers: Sequence[dict[str, Any]]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Checks that each kernel is [inputs, units] and each bias [units], chained from ``x``."""
    if not x:
        raise ValueError("x must hold at least one value; received none")
    if not layers:
        raise ValueError("layers must hold at least one layer; received none")
    out = []
    width = len(x)
    for i, layer in enumerate(layers):
        ACTIVATIONS.entry(layer["activation"])
        kernel = layer["kernel"]
        if len(kernel) != width or not kernel or len({len(row) for row in kernel}) != 1:
            raise ValueError(f"layers[{i}].kernel must have {width} rows (one per input) of equal length; "
                             f"received rows of lengths {[len(row) for row in kernel]}")
        units = len(kernel[0])
        if units == 0 or len(layer["bias"]) != units:
            raise ValueError(f"layers[{i}].bias must hold one value per unit ({units}); "
                             f"received {len(layer['bias'])}")
        out.append((np.asarray(kernel, np.float64), np.asarray(layer["bias"], np.float64), layer["activation"]))
        width = units
    return out


def _forward(x: tf.Tensor, kernels: Sequence[tf.Tensor], biases: Sequence[tf.Tensor],
             activations: Sequence[Callable[[tf.Tensor], tf.Tensor]]) -> tuple[list[tf.Tensor], list[tf.Tensor]]:
    """Pre-activations and activations for a batch of networks: x [B, 1, n], kernels [B, n, m], biases [B, m]."""
    zs, outputs = [], []
    h = x
    for kernel, bias, f in zip(kernels, biases, activations, strict=True):
        z = tf.matmul(h, kernel) + bias[:, None, :]
        h = f(z)
        zs.append(z)
        outputs.append(h)
    return zs, outputs


def _loss(loss: str, y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
    """Per network of the batch: the Keras loss of its one sample (y_pred [B, 1, m])."""
    return LOSSES.get(loss).keras_fn(tf.broadcast_to(y_true, tf.shape(y_pred[:, 0, :])), y_pred[:, 0, :])


def backprop(*, x: Sequence[float], layers: Sequence[dict[str, Any]], y_true: Sequence[float], loss: str,
             learning_rate: float, finite_difference_step: float = 1e-6) -> BackpropResult:
    """Forward values, the loss, every chain-rule factor, tape and finite-difference gradients, one SGD step."""
    spec = _layers_of(x, layers)
    LOSSES.entry(loss)
    if len(y_true) != spec[-1][0].shape[1]:
        raise ValueError(f"y_true must hold one value per output unit ({spec[-1][0].shape[1]}); "
                         f"received {len(y_true)}")
    if not finite_difference_step > 0:
        raise ValueError(f"finite_difference_step must be positive; received {finite_difference_step}")
    fns = [ACTIVATIONS.get(name) for _, _, name in spec]
    inputs = tf.constant([[list(x)]], DTYPE)
    target = tf.constant([list(y_true)], DTYPE)
    kernels = [tf.Variable(k, dtype=DTYPE, name=f"kernel_{i}") for i, (k, _, _) in enumerate(spec)]
    biases = [tf.Variable(b, dtype=DTYPE, name=f"bias_{i}") for i, (_, b, _) in enumerate(spec)]

    with tf.GradientTape(persistent=True) as tape:
        zs, outputs = _forward(inputs, [k[None] for k in kernels], [b[None] for b in biases], fns)
        value = _loss(loss, target, outputs[-1])[0]
    kernel_grads = tape.gradient(value, kernels)
    bias_grads = tape.gradient(value, biases)
    dloss_da = tape.gradient(value, outputs)
    dloss_dz = tape.gradient(value, zs)
    del tape
    da_dz = []
    for z, f in zip(zs, fns, strict=True):
        with tf.GradientTape() as local:
            local.watch(z)
            a = f(z)
        da_dz.append(local.gradient(a, z))  # elementwise activations: the diagonal of ∂a/∂z

    fd_kernels, fd_biases = _finite_differences(inputs, target, loss, kernels, biases, fns, finite_difference_step)
    tape_flat = np.concatenate([np.ravel(g) for g in [*kernel_grads, *bias_grads]])
    fd_flat = np.concatenate([np.ravel(g) for g in [*fd_kernels, *fd_biases]])
    difference = np.abs(tape_flat - fd_flat)

    keras.optimizers.SGD(learning_rate).apply_gradients(zip([*kernel_grads, *bias_grads], [*kernels, *biases]))
    _, after = _forward(inputs, [k[None] for k in kernels], [b[None] for b in biases], fns)
    loss_after = _loss(loss, target, after[-1])[0]

    flags: list[bool] = []

    def js(values: Any) -> Any:
        out, bad = to_json(np.asarray(values))
        flags.append(bad)
        return out

    result_layers = []
    previous = inputs
    for i, (_, _, name) in enumerate(spec):
        result_layers.append({
            "index": i, "activation": name,
            "inputs": js(previous[0, 0]), "pre_activation": js(zs[i][0, 0]), "output": js(outputs[i][0, 0]),
            "dloss_da": js(dloss_da[i][0, 0]), "da_dz": js(da_dz[i][0, 0]), "dloss_dz": js(dloss_dz[i][0, 0]),
            "kernel": js(spec[i][0]), "bias": js(spec[i][1]),
            "gradients": {"kernel": js(kernel_grads[i]), "bias": js(bias_grads[i])},
            "finite_differences": {"kernel": js(fd_kernels[i]), "bias": js(fd_biases[i])},
            "updated": {"kernel": js(kernels[i]), "bias": js(biases[i])},
        })
        previous = outputs[i]
    return BackpropResult(
        x=js(inputs[0, 0]),
        y_true=js(target[0]),
        y_pred=js(outputs[-1][0, 0]),
        loss_name=loss,
        keras_loss=f"keras.losses.{LOSSES.get(loss).keras_fn.__name__}",
        loss=scalar(value),
        layers=result_layers,
        max_abs_difference=scalar(difference.max()),
        gradients_agree=bool(np.allclose(tape_flat, fd_flat, rtol=AGREE_RTOL, atol=AGREE_ATOL)),
        learning_rate=learning_rate,
        finite_difference_step=finite_difference_step,
        loss_after_update=scalar(loss_after),
        overflow=any(flags) or not np.isfinite([float(value), float(loss_after), *difference]).all(),
    )


def _finite_differences(inputs: tf.Tensor, target: tf.Tensor, loss: str, kernels: Sequence[tf.Variable],
                        biases: Sequence[tf.Variable], fns: Sequence[Callable[[tf.Tensor], tf.Tensor]],
                        step: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(L(θ + h·e_k) − L(θ − h·e_k)) / 2h for every parameter k, all 2P networks in one forward pass."""
    params = [*kernels, *biases]
    theta = np.concatenate([np.ravel(p.numpy()) for p in params])
    count = theta.size
    nudges = step * np.eye(count)
    batch = tf.constant(np.concatenate([theta + nudges, theta - nudges]), DTYPE)  # [2P, P]
    pieces, offset = [], 0
    for p in params:
        size = int(np.prod(p.shape))
        pieces.append(tf.reshape(batch[:, offset:offset + size], [2 * count, *p.shape]))
        offset += size
    _, outputs = _forward(tf.tile(inputs, [2 * count, 1, 1]), pieces[:len(kernels)], pieces[len(kernels):], fns)
    losses = _loss(loss, target, outputs[-1]).numpy()
    flat = (losses[:count] - losses[count:]) / (2 * step)
    grads, offset = [], 0
    for p in params:
        size = int(np.prod(p.shape))
        grads.append(flat[offset:offset + size].reshape(p.shape))
        offset += size
    return grads[:len(kernels)], grads[len(kernels):]
