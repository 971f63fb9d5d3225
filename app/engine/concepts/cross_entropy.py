"""Categorical cross entropy as a learner writes it by hand, next to Keras's own function.

By hand: clip the predictions to [ε, 1 − ε], take the natural log, multiply by the one-hot truth,
sum each row, negate, average. Keras (``keras.losses.categorical_crossentropy``) also rescales each
row of predictions to sum to 1 and clips with its own ε (``keras.config.epsilon()``), and with
``from_logits=True`` skips clipping altogether: the differences come from exactly those choices.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.numeric import float32_array, to_json
from app.engine.refusals import Refusal

Number = float | None  # None where a value is not finite
Steps = dict[str, Any]  # clipped, log, product, row_sums, per_sample, loss
Comparison = dict[str, Any]  # per_sample, loss, difference_per_sample, difference (by hand minus Keras)


@dataclass(frozen=True)
class CrossEntropyResult:
    """Cross entropy by hand and by Keras, JSON-ready (lists of numbers, None where not finite)."""

    from_logits: bool
    epsilon: float
    keras_epsilon: float
    probabilities: list[list[Number]]
    steps: Steps
    log10: dict[str, Any]  # per_sample, loss
    keras: Comparison
    keras_from_logits: Comparison | None
    swapped: Steps  # H(probabilities, y_true)
    overflow: bool

    def __repr__(self) -> str:
        return f"CrossEntropyResult(loss={self.steps['loss']}, keras={self.keras['loss']}, overflow={self.overflow})"


def _by_hand(y_true: tf.Tensor, probabilities: tf.Tensor, epsilon: float) -> dict[str, tf.Tensor]:
    clipped = tf.clip_by_value(probabilities, epsilon, 1.0 - epsilon)
    log = tf.math.log(clipped)
    product = tf.multiply(y_true, log)
    row_sums = tf.reduce_sum(product, axis=-1)
    per_sample = -row_sums
    return {"clipped": clipped, "log": log, "product": product, "row_sums": row_sums,
            "per_sample": per_sample, "loss": tf.reduce_mean(per_sample)}


def cross_entropy(*, y_true: Sequence[Sequence[float]], y_pred: Sequence[Sequence[float]],
                  from_logits: bool = False, epsilon: float = 1e-7) -> CrossEntropyResult:
    """Each hand step, Keras's per-sample values and their difference, and H(p, q) against H(q, p).

    ``y_pred`` holds probabilities, or logits when ``from_logits`` (then softmax turns them into the
    probabilities the hand steps use).
    """
    truth = float32_array(y_true, name="y_true", ndims=(2,))
    pred = float32_array(y_pred, name="y_pred", ndims=(2,))
    if truth.shape != pred.shape:
        raise Refusal(f"y_true and y_pred must have the same shape; received {list(truth.shape)} "
                      f"and {list(pred.shape)}", "shapes_differ", y_true=list(truth.shape), y_pred=list(pred.shape))
    if truth.shape[1] < 2:
        raise ValueError(f"categorical cross entropy needs at least 2 classes per row; received "
                         f"{truth.shape[1]} (for one probability per sample use binary cross entropy in the "
                         f"losses lab)")
    if not 0.0 <= epsilon < 0.5:
        raise ValueError(f"epsilon must be at least 0 and below 0.5; received {epsilon}")
    truth_t = tf.constant(truth)
    pred_t = tf.constant(pred)
    probabilities = tf.nn.softmax(pred_t, axis=-1) if from_logits else pred_t

    hand = _by_hand(truth_t, probabilities, epsilon)
    tree: dict[str, Any] = {
        "from_logits": from_logits,
        "epsilon": epsilon,
        "keras_epsilon": keras.config.epsilon(),
        "probabilities": probabilities,
        "steps": hand,
        "log10": {"per_sample": hand["per_sample"] / math.log(10.0), "loss": hand["loss"] / math.log(10.0)},
        "keras": _compared(hand, keras.losses.categorical_crossentropy(truth_t, probabilities)),
        "keras_from_logits": (_compared(hand, keras.losses.categorical_crossentropy(truth_t, pred_t,
                                                                                    from_logits=True))
                              if from_logits else None),
        # Swapping the arguments, H(q, p) = −Σ q log p, clips p the same way: a one-hot p has log 0 = −∞.
        "swapped": _by_hand(probabilities, truth_t, epsilon),
    }
    out, overflow = _json_tree(tree)
    return CrossEntropyResult(**out, overflow=overflow)


def _compared(hand: dict[str, tf.Tensor], per_sample: tf.Tensor) -> dict[str, tf.Tensor]:
    loss = tf.reduce_mean(per_sample)
    return {"per_sample": per_sample, "loss": loss,
            "difference_per_sample": hand["per_sample"] - per_sample, "difference": hand["loss"] - loss}


def _json_tree(tree: Any) -> tuple[Any, bool]:
    """Tensors anywhere in nested dicts as JSON numbers (``None`` where not finite), and whether any was not."""
    if isinstance(tree, dict):
        items = {k: _json_tree(v) for k, v in tree.items()}
        return {k: v for k, (v, _) in items.items()}, any(bad for _, bad in items.values())
    if tree is None or isinstance(tree, bool | str):
        return tree, False
    return to_json(np.asarray(tree))
