"""Loss functions on a batch (per-sample values and their mean) and as curves over the prediction.

Every number is the registered ``keras.losses`` function itself. With ``from_logits``, ``y_pred``
holds logits: the losses that take ``from_logits`` (the cross entropies) get them with
``from_logits=True``; a loss that needs probabilities but takes no ``from_logits`` (KL divergence) gets
their softmax (their sigmoid for one column), as ``keras.losses.kl_divergence(y_true,
tf.nn.softmax(logits))`` would; the others receive ``y_pred`` as given. Each result says which happened. A 1-D ``y_true``/``y_pred`` is a batch of single-output samples, shape ``(n, 1)``.

Curves compare losses on one sample with a fixed target ``t`` as the prediction ``p`` varies. The
distribution losses (categorical cross entropy, KL divergence) need at least two classes, so they are
given the two-class distributions ``[1 - t, t]`` and ``[1 - p, p]`` (with logits, ``[0, z]``, whose
softmax is ``[1 - sigmoid(z), sigmoid(z)]``), for every distribution loss, since the axis is then a
logit for all of them; the others see ``[t]`` and ``[p]``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from app.engine.losses import LOSSES
from app.engine.numeric import float32_array
from app.engine.refusals import Refusal

@dataclass(frozen=True)
class LossValues:
    name: str
    label: str
    description: str
    function: str  # the Keras function computing it, e.g. "keras.losses.mean_squared_error"
    from_logits: bool  # whether from_logits=True was passed to the Keras function
    squash: str | None  # "softmax" or "sigmoid": applied to the logits first, for a loss that takes probabilities
    per_sample: np.ndarray  # [n]: keras.losses.<name>(y_true, y_pred)
    loss: float  # their mean: what keras.losses.<Class>()(y_true, y_pred) returns


@dataclass(frozen=True)
class CurveSeries:
    name: str
    label: str
    from_logits: bool
    squash: str | None  # as LossValues.squash
    columns: int  # 1: y_true = [[t]], y_pred = [[p]]; 2: [[1 - t, t]], [[1 - p, p]] (or logits [[0, z]])
    values: np.ndarray  # the loss at each prediction


@dataclass(frozen=True)
class LossCurves:
    target: float
    y_pred: np.ndarray
    series: list[CurveSeries]


def _batch(values: Sequence, name: str) -> np.ndarray:
    array = float32_array(values, name=name, ndims=(1, 2))
    return array[:, None] if array.ndim == 1 else array


def _squash(name: str, from_logits: bool, columns: int) -> str | None:
    """What turns logits into the probabilities a loss needs when it takes no ``from_logits`` (else None)."""
    loss = LOSSES.get(name)
    if not (from_logits and loss.probabilities and not loss.accepts_from_logits):
        return None
    return "softmax" if columns > 1 else "sigmoid"


def _call(name: str, y_true: np.ndarray, y_pred: np.ndarray,
          from_logits: bool) -> tuple[np.ndarray, bool, str | None]:
    loss = LOSSES.get(name)
    uses_logits = from_logits and loss.accepts_from_logits
    squash = _squash(name, from_logits, y_pred.shape[-1])
    if squash is not None:
        y_pred = getattr(tf.nn, squash)(tf.constant(y_pred)).numpy()
    if loss.probabilities and not uses_logits and not ((y_pred >= 0) & (y_pred <= 1)).all():
        bad = y_pred[(y_pred < 0) | (y_pred > 1)][0]
        hint = "set from_logits to true for logits" if loss.accepts_from_logits else "apply a softmax first"
        raise Refusal(f"{name} expects y_pred to hold probabilities in [0, 1]; received {bad:g} ({hint})",
                      "probabilities_expected", field="y_pred", received=float(bad), loss=name)
    if y_pred.shape[-1] < loss.min_classes:
        raise ValueError(f"{name} needs y_pred of shape (batch, num_classes) with num_classes >= {loss.min_classes}; "
                         f"received shape {list(y_pred.shape)} (use binary_crossentropy for one output)")
    kwargs = {**loss.args, **({"from_logits": True} if uses_logits else {})}
    return np.asarray(loss.keras_fn(tf.constant(y_true), tf.constant(y_pred), **kwargs)), uses_logits, squash


def evaluate(names: Sequence[str], y_true: Sequence, y_pred: Sequence, *, from_logits: bool = False) -> list[LossValues]:
    """Per-sample values and the mean of each named loss on one batch."""
    t, p = _batch(y_true, "y_true"), _batch(y_pred, "y_pred")
    if t.shape != p.shape:
        raise Refusal(f"y_true and y_pred must have the same shape; received {list(t.shape)} and {list(p.shape)}",
                      "shapes_differ", y_true=list(t.shape), y_pred=list(p.shape))
    if not names:
        raise ValueError("Expected at least one loss name")
    results = []
    for name in names:
        per_sample, uses_logits, squash = _call(name, t, p, from_logits)
        entry = LOSSES.entry(name)
        function = f"keras.losses.{entry.value.keras_fn.__name__}"
        results.append(LossValues(name, entry.label, entry.description, function, uses_logits, squash, per_sample,
                                  float(tf.reduce_mean(per_sample))))
    return results


def curves(names: Sequence[str], *, target: float, start: float, stop: float, num: int,
           from_logits: bool = False) -> LossCurves:
    """Each named loss for one sample with target ``target`` at ``num`` predictions from ``start`` to ``stop``."""
    if not start < stop or num < 2:
        raise ValueError(f"expected start < stop and num >= 2; received start={start}, stop={stop}, num={num}")
    p = tf.linspace(tf.constant(start, tf.float32), tf.constant(stop, tf.float32), num).numpy()
    if not 0 <= target <= 1:
        raise ValueError(f"target must be in [0, 1] (a label or a probability); received {target}")
    series = []
    for name in names:
        entry = LOSSES.entry(name)
        if entry.value.distribution:
            t2 = np.tile(np.float32([1 - target, target]), (p.size, 1))
            p2 = np.stack([np.zeros_like(p), p] if from_logits else [1 - p, p], axis=1)
            values, uses_logits, squash = _call(name, t2, p2, from_logits)
            columns = 2
        else:
            values, uses_logits, squash = _call(name, np.full((p.size, 1), target, np.float32), p[:, None],
                                                from_logits)
            columns = 1
        series.append(CurveSeries(name, entry.label, uses_logits, squash, columns, values))
    return LossCurves(float(target), p, series)


@dataclass(frozen=True)
class LossComparison:
    """What the losses lab shows: the losses on a batch, and their curves if asked for."""

    results: list[LossValues]
    curves: LossCurves | None

    def __repr__(self) -> str:
        return f"LossComparison({[r.name for r in self.results]}, curves={self.curves is not None})"


def compare(*, losses: Sequence[str], y_true: Sequence, y_pred: Sequence, from_logits: bool = False,
            curve: dict | None = None) -> LossComparison:
    """:func:`evaluate` on the batch and, when ``curve`` gives ``target``, ``start``, ``stop`` and ``num``,
    :func:`curves` of the same losses."""
    results = evaluate(losses, y_true, y_pred, from_logits=from_logits)
    traced = None if curve is None else curves(losses, **curve, from_logits=from_logits)
    return LossComparison(results, traced)
