"""Activation functions over a range of x: values and derivatives, both from TensorFlow.

Derivatives come from ``tf.GradientTape``, exactly as backpropagation sees them (so ReLU's
derivative at 0 is 0, as TensorFlow defines it). Saturation regions are the stretches at either end
of the range where ``|f'(x)|`` has fallen below a threshold: there the function has flattened out and
passes almost no gradient back. Maxout, ``max_i(w_i x + b_i)``, has parameters, so it is evaluated
from its weights and biases rather than looked up in the registry.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.numeric import float32_array

MAX_MAXOUT_PIECES = 8


@dataclass(frozen=True)
class Curve:
    name: str
    label: str
    formula: str
    values: np.ndarray  # f(x)
    derivatives: np.ndarray  # f'(x) from tf.GradientTape
    saturated: list[tuple[float, float]]  # x intervals at the ends of the range where |f'(x)| < threshold

    def __repr__(self) -> str:
        return f"Curve({self.name!r}, points={self.values.size}, saturated={self.saturated})"


@dataclass(frozen=True, repr=False)
class MaxoutCurve(Curve):
    weights: np.ndarray  # slope w_i of each linear piece
    biases: np.ndarray  # intercept b_i of each piece
    pieces: np.ndarray  # [k, n]: w_i x + b_i for every x
    active_piece: np.ndarray  # [n]: which piece is the max at each x


@dataclass(frozen=True)
class ActivationsResult:
    x: np.ndarray
    curves: list[Curve]
    maxout: MaxoutCurve | None
    saturation_threshold: float


def linspace(start: float, stop: float, num: int) -> np.ndarray:
    """``num`` evenly spaced float32 points from ``start`` to ``stop`` (``tf.linspace``)."""
    if not start < stop:
        raise ValueError(f"start must be less than stop; received start={start}, stop={stop}")
    if num < 2:
        raise ValueError(f"num must be at least 2; received {num}")
    return tf.linspace(tf.constant(start, tf.float32), tf.constant(stop, tf.float32), num).numpy()


def _values_and_derivatives(fn, x: tf.Tensor) -> tuple[np.ndarray, np.ndarray]:
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    # Each y_i depends on x_i only, so the gradient of sum(y) is the element-wise derivative.
    return y.numpy(), tape.gradient(y, x).numpy()


def saturated_ends(x: np.ndarray, derivatives: np.ndarray, threshold: float) -> list[tuple[float, float]]:
    """The runs of ``|f'(x)| < threshold`` that touch the first or the last point of ``x``."""
    flat = np.abs(derivatives) < threshold
    regions = []
    if flat[0]:
        end = int(np.argmin(flat)) - 1 if not flat.all() else len(x) - 1
        regions.append((float(x[0]), float(x[end])))
        if end == len(x) - 1:
            return regions
    if flat[-1]:
        start = len(x) - int(np.argmin(flat[::-1]))
        regions.append((float(x[start]), float(x[-1])))
    return regions


def maxout(x: np.ndarray, weights: Sequence[float], biases: Sequence[float], *, threshold: float) -> MaxoutCurve:
    """``max_i(w_i x + b_i)`` over ``x`` and its derivative (the slope of the winning piece)."""
    w = float32_array(weights, name="maxout weights", ndims=(1,))
    b = float32_array(biases, name="maxout biases", ndims=(1,))
    if w.shape != b.shape:
        raise ValueError(f"maxout needs one bias per weight; received {w.size} weights and {b.size} biases")
    if not 2 <= w.size <= MAX_MAXOUT_PIECES:
        raise ValueError(f"maxout needs between 2 and {MAX_MAXOUT_PIECES} linear pieces; received {w.size}")
    xs = tf.constant(x)
    pieces = xs[:, None] * w + b
    values, derivatives = _values_and_derivatives(lambda t: tf.reduce_max(t[:, None] * w + b, axis=1), xs)
    return MaxoutCurve(
        name="maxout",
        label=f"Maxout ({w.size} pieces)",
        formula="max_i(w_i x + b_i)",
        values=values,
        derivatives=derivatives,
        saturated=saturated_ends(x, derivatives, threshold),
        weights=w,
        biases=b,
        pieces=tf.transpose(pieces).numpy(),
        active_piece=tf.argmax(pieces, axis=1).numpy(),
    )


def evaluate(names: Sequence[str], *, x: Sequence[float] | None = None, start: float = -5.0, stop: float = 5.0,
             num: int = 101, saturation_threshold: float = 0.05, maxout_weights: Sequence[float] | None = None,
             maxout_biases: Sequence[float] | None = None) -> ActivationsResult:
    """Values and derivatives of each named activation (and maxout, if given its parameters).

    At the points ``x`` if given (strictly increasing), else at ``tf.linspace(start, stop, num)``.
    """
    xs = float32_array(x, name="x", ndims=(1,)) if x is not None else linspace(start, stop, num)
    if xs.size > 1 and not (np.diff(xs) > 0).all():
        i = int(np.argmin(np.diff(xs) > 0))
        raise ValueError(f"x must be strictly increasing; received x[{i + 1}]={xs[i + 1]} after x[{i}]={xs[i]}")
    if not names and maxout_weights is None:
        raise ValueError("Nothing to evaluate: expected at least one activation name or maxout parameters")
    if not 0 <= saturation_threshold:
        raise ValueError(f"saturation_threshold must be >= 0; received {saturation_threshold}")
    curves = []
    for name in names:
        entry = ACTIVATIONS.entry(name)
        values, derivatives = _values_and_derivatives(entry.value, tf.constant(xs))
        curves.append(Curve(entry.name, entry.label, entry.description, values, derivatives,
                            saturated_ends(xs, derivatives, saturation_threshold)))
    piecewise = None
    if maxout_weights is not None:
        piecewise = maxout(xs, maxout_weights, maxout_biases if maxout_biases is not None else [],
                           threshold=saturation_threshold)
    return ActivationsResult(xs, curves, piecewise, saturation_threshold)


def curves(*, activations: Sequence[str], x: Sequence[float] | None = None, start: float = -5.0,
           stop: float = 5.0, num: int = 101, saturation_threshold: float = 0.05,
           maxout: dict[str, Sequence[float]] | None = None) -> ActivationsResult:
    """:func:`evaluate` with maxout's parameters given as one ``{"weights", "biases"}`` object, as the lab
    sends them."""
    return evaluate(activations, x=x, start=start, stop=stop, num=num, saturation_threshold=saturation_threshold,
                    maxout_weights=maxout["weights"] if maxout else None,
                    maxout_biases=maxout["biases"] if maxout else None)
