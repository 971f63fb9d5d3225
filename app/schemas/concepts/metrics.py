"""``POST /api/concepts/metrics``: labels and predictions in; classification or regression metrics out."""

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.concepts.metrics import ClassificationMetrics, RegressionMetrics
from app.engine.numeric import scalar, to_json
from app.schemas.common import FiniteFloat
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_SAMPLES = 1000

Values = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_SAMPLES)]


class MetricsRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "problem": "binary", "y_true": [0, 0, 1, 1, 1, 0, 1, 0],
        "y_pred": [0.1, 0.4, 0.35, 0.8, 0.65, 0.55, 0.9, 0.2], "threshold": 0.5,
    }]})

    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "y_pred holds as many values as y_true",
        "binary: y_true holds labels 0 or 1 and y_pred values in [0, 1]",
    )

    problem: Literal["binary", "regression"] = Field(
        "binary", description="binary: 0/1 labels and probabilities; regression: real values")
    y_true: Values = Field(description="binary: class labels 0 or 1; regression: the targets")
    y_pred: Values = Field(description="binary: probabilities (or 0/1 labels) in [0, 1]; regression: predictions")
    threshold: FiniteFloat = Field(0.5, gt=0, le=1,
                                   description="A prediction above it counts as class 1 (binary); in (0, 1]")


class RocCurveOut(BaseModel):
    thresholds: list[float] = Field(description="Ascending, with Keras's end points -1e-7 and 1 + 1e-7")
    false_positive_rates: list[float]
    true_positive_rates: list[float]


class ClassificationOut(BaseModel):
    threshold: float
    accuracy: float = Field(description="keras.metrics.BinaryAccuracy(threshold)")
    precision: float = Field(description="keras.metrics.Precision(thresholds=threshold): TP / (TP + FP)")
    recall: float = Field(description="keras.metrics.Recall(thresholds=threshold): TP / (TP + FN)")
    f1: float = Field(description="keras.metrics.F1Score(threshold=threshold)")
    auc: float = Field(description="keras.metrics.AUC over every distinct prediction: the exact ROC AUC")
    confusion_matrix: list[list[int]] = Field(description="[[TN, FP], [FN, TP]]: rows true class, columns predicted")
    true_negatives: int
    false_positives: int
    false_negatives: int
    true_positives: int
    false_positive_rate: float = Field(description="FP / (FP + TN) at the threshold: the ROC point's x")
    true_positive_rate: float = Field(description="TP / (TP + FN) at the threshold: the ROC point's y")
    roc: RocCurveOut


class RegressionOut(BaseModel):
    mean_absolute_error: float | None
    mean_squared_error: float | None
    root_mean_squared_error: float | None
    r2: float | None = Field(description="keras.metrics.R2Score: 1 - SS_res / SS_tot")


class MetricsResponse(ConceptResponse):
    problem: Literal["binary", "regression"]
    classification: ClassificationOut | None
    regression: RegressionOut | None
    overflow: bool = Field(description="True when some value was not finite and is given as null")

    @classmethod
    def from_result(cls, m: ClassificationMetrics | RegressionMetrics) -> "MetricsResponse":
        if isinstance(m, RegressionMetrics):
            return cls.from_regression(m)
        return cls.from_classification(m)

    @classmethod
    def from_classification(cls, m: ClassificationMetrics) -> "MetricsResponse":
        out = ClassificationOut(
            threshold=m.threshold, accuracy=m.accuracy, precision=m.precision, recall=m.recall, f1=m.f1, auc=m.auc,
            confusion_matrix=m.confusion_matrix, true_negatives=m.true_negatives,
            false_positives=m.false_positives, false_negatives=m.false_negatives, true_positives=m.true_positives,
            false_positive_rate=m.false_positive_rate, true_positive_rate=m.true_positive_rate,
            roc=RocCurveOut(thresholds=to_json(m.roc.thresholds)[0],
                            false_positive_rates=to_json(m.roc.false_positive_rates)[0],
                            true_positive_rates=to_json(m.roc.true_positive_rates)[0]),
        )
        return cls(problem="binary", classification=out, regression=None, overflow=False)

    @classmethod
    def from_regression(cls, m: RegressionMetrics) -> "MetricsResponse":
        values = {name: scalar(getattr(m, name)) for name in RegressionOut.model_fields}
        overflow = any(v is None for v in values.values())
        return cls(problem="regression", classification=None, regression=RegressionOut(**values), overflow=overflow)
