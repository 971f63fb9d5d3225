"""Softmax: logits → probabilities, with the numerically stable steps a learner can check by hand.

``tf.nn.softmax`` never computes ``exp(z)`` directly: it first subtracts the largest logit, so the
largest exponential is ``exp(0) = 1`` and nothing overflows. The naive exponentials are returned too,
so a page can show why the shift matters (``exp(1000)`` is infinite in float32).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from app.engine.numeric import float32_array


@dataclass(frozen=True)
class SoftmaxResult:
    logits: np.ndarray  # as given, float32, 1-D or 2-D
    axis: int  # normalised to 0 <= axis < ndim
    temperature: float
    scaled_logits: np.ndarray  # logits / temperature
    max_logits: np.ndarray  # max of the scaled logits along ``axis`` (kept as a size-1 axis)
    shifted_logits: np.ndarray  # scaled - max: every entry <= 0
    exponentials: np.ndarray  # exp(shifted): every entry in (0, 1]
    sums: np.ndarray  # sum of the exponentials along ``axis`` (kept as a size-1 axis)
    probabilities: np.ndarray  # tf.nn.softmax(scaled, axis)
    naive_exponentials: np.ndarray  # exp(scaled) without the shift: may overflow to inf

    def __repr__(self) -> str:
        return f"SoftmaxResult(shape={list(self.logits.shape)}, axis={self.axis}, temperature={self.temperature})"


def softmax(logits: Sequence, *, axis: int = -1, temperature: float = 1.0) -> SoftmaxResult:
    """``tf.nn.softmax(logits / temperature, axis=axis)`` and the steps that compute it stably."""
    z = float32_array(logits, name="logits", ndims=(1, 2))
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be between {-z.ndim} and {z.ndim - 1} for logits of shape {list(z.shape)}; "
                         f"received {axis}")
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a number > 0; received {temperature}")
    axis %= z.ndim
    scaled = tf.constant(z) / tf.constant(temperature, tf.float32)
    maxima = tf.reduce_max(scaled, axis=axis, keepdims=True)
    shifted = scaled - maxima
    exponentials = tf.exp(shifted)
    sums = tf.reduce_sum(exponentials, axis=axis, keepdims=True)
    return SoftmaxResult(
        logits=z,
        axis=axis,
        temperature=float(temperature),
        scaled_logits=scaled.numpy(),
        max_logits=maxima.numpy(),
        shifted_logits=shifted.numpy(),
        exponentials=exponentials.numpy(),
        sums=sums.numpy(),
        probabilities=tf.nn.softmax(scaled, axis=axis).numpy(),
        naive_exponentials=tf.exp(scaled).numpy(),
    )
