"""Classification and regression metrics, each computed by its ``keras.metrics`` class.

Keras counts a prediction as positive when it is *greater than* the threshold, so a probability equal
to the threshold is a negative. The ROC curve is traced at every distinct prediction (plus Keras's
own end points just below 0 and just above 1), which makes it exact: the AUC is
``keras.metrics.AUC(thresholds=...)`` over those same thresholds, and the point for any threshold
lies on one of the curve's vertices.
"""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.numeric import float32_array
from app.engine.refusals import Refusal


@dataclass(frozen=True)
class RocCurve:
    thresholds: np.ndarray  # ascending, including Keras's end points -1e-7 and 1 + 1e-7
    false_positive_rates: np.ndarray
    true_positive_rates: np.ndarray


@dataclass(frozen=True)
class ClassificationMetrics:
    threshold: float
    accuracy: float
    precision: float
    recall: float
    f1: float
    auc: float
    true_negatives: int
    false_positives: int
    false_negatives: int
    true_positives: int
    roc: RocCurve

    @property
    def confusion_matrix(self) -> list[list[int]]:
        """Rows are the true class (0, 1), columns the predicted class, as ``tf.math.confusion_matrix``."""
        return [[self.true_negatives, self.false_positives], [self.false_negatives, self.true_positives]]

    @property
    def false_positive_rate(self) -> float:
        negatives = self.true_negatives + self.false_positives
        return self.false_positives / negatives if negatives else 0.0

    @property
    def true_positive_rate(self) -> float:
        return self.recall


@dataclass(frozen=True)
class RegressionMetrics:
    mean_absolute_error: float
    mean_squared_error: float
    root_mean_squared_error: float
    r2: float


# Building a Keras metric creates its variables, which costs far more than using it: each thread keeps the
# metrics it built (by class and arguments, the most recent few) and resets one before every use.
_CACHED_METRICS = 64
_metrics = threading.local()


def _metric(cls: type, **kwargs: Any) -> keras.metrics.Metric:
    if not hasattr(_metrics, "cache"):
        _metrics.cache = OrderedDict()
    cache: OrderedDict = _metrics.cache
    key = (cls, tuple(sorted(kwargs.items())))
    metric = cache.pop(key, None)
    if metric is None:
        metric = cls(**kwargs)
    else:
        metric.reset_state()
    cache[key] = metric
    while len(cache) > _CACHED_METRICS:
        cache.popitem(last=False)
    return metric


def _result(metric: keras.metrics.Metric, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    metric.update_state(y_true, y_pred)
    return float(np.asarray(metric.result()).reshape(-1)[0])


def _pair(y_true: Sequence[float], y_pred: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    t = float32_array(y_true, name="y_true", ndims=(1,))
    p = float32_array(y_pred, name="y_pred", ndims=(1,))
    if t.shape != p.shape:
        raise Refusal(f"y_true and y_pred must have the same length; received {t.size} and {p.size}",
                      "shapes_differ", y_true=[t.size], y_pred=[p.size])
    return t, p


def classification(y_true: Sequence[float], y_pred: Sequence[float], *, threshold: float = 0.5) -> ClassificationMetrics:
    """Binary metrics: ``y_true`` holds 0/1 labels, ``y_pred`` probabilities (or 0/1 labels) in [0, 1]."""
    t, p = _pair(y_true, y_pred)
    if not np.isin(t, (0.0, 1.0)).all():
        bad = t[~np.isin(t, (0.0, 1.0))][0]
        raise Refusal(f"y_true must hold class labels 0 or 1 for a binary problem; received {bad:g}",
                      "labels_expected", field="y_true", received=float(bad))
    if not ((p >= 0) & (p <= 1)).all():
        bad = p[(p < 0) | (p > 1)][0]
        raise Refusal(f"y_pred must hold probabilities or labels in [0, 1]; received {bad:g} "
                      "(apply a sigmoid to logits first)", "probabilities_expected", field="y_pred", received=float(bad))
    if not 0 < threshold <= 1:  # keras.metrics.F1Score refuses 0
        raise ValueError(f"threshold must be in (0, 1]; received {threshold}")
    counts = {name: int(_result(_metric(cls, thresholds=threshold), t, p)) for name, cls in [
        ("true_negatives", keras.metrics.TrueNegatives), ("false_positives", keras.metrics.FalsePositives),
        ("false_negatives", keras.metrics.FalseNegatives), ("true_positives", keras.metrics.TruePositives)]}
    auc = keras.metrics.AUC(thresholds=sorted(set(p.tolist())))
    auc.update_state(t, p)
    tp, fp = auc.true_positives.numpy(), auc.false_positives.numpy()
    tn, fn = auc.true_negatives.numpy(), auc.false_negatives.numpy()
    return ClassificationMetrics(
        threshold=float(threshold),
        accuracy=_result(_metric(keras.metrics.BinaryAccuracy, threshold=threshold), t, p),
        precision=_result(_metric(keras.metrics.Precision, thresholds=threshold), t, p),
        recall=_result(_metric(keras.metrics.Recall, thresholds=threshold), t, p),
        f1=_result(_metric(keras.metrics.F1Score, threshold=threshold), t[:, None], p[:, None]),
        auc=float(auc.result()),
        roc=RocCurve(
            thresholds=np.asarray(auc.thresholds, np.float64),
            false_positive_rates=tf.math.divide_no_nan(fp, fp + tn).numpy(),
            true_positive_rates=tf.math.divide_no_nan(tp, tp + fn).numpy(),
        ),
        **counts,
    )


def regression(y_true: Sequence[float], y_pred: Sequence[float]) -> RegressionMetrics:
    """MAE, MSE, RMSE and R² of real-valued predictions."""
    t, p = _pair(y_true, y_pred)
    return RegressionMetrics(
        mean_absolute_error=_result(_metric(keras.metrics.MeanAbsoluteError), t, p),
        mean_squared_error=_result(_metric(keras.metrics.MeanSquaredError), t, p),
        root_mean_squared_error=_result(_metric(keras.metrics.RootMeanSquaredError), t, p),
        r2=_result(_metric(keras.metrics.R2Score), t[:, None], p[:, None]),
    )


def evaluate(*, problem: str, y_true: Sequence[float], y_pred: Sequence[float],
             threshold: float = 0.5) -> ClassificationMetrics | RegressionMetrics:
    """``binary``: :func:`classification` at ``threshold``; ``regression``: :func:`regression`."""
    if problem == "binary":
        return classification(y_true, y_pred, threshold=threshold)
    if problem == "regression":
        return regression(y_true, y_pred)
    raise ValueError(f"Unknown problem {problem!r}. Expected one of: binary, regression")
