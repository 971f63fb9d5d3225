"""``POST /api/concepts/cross-entropy``: categorical cross entropy by hand and with Keras."""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import FiniteFloat
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_ROWS = 100
MAX_CLASSES = 100

Row = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_CLASSES)]
Number = float | None  # null where a value is not finite (log 0 = −∞ without clipping, overflow)


class CrossEntropyRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"y_true": [[1, 0, 0], [1, 0, 0]], "y_pred": [[0.5, 0.4, 0.1], [0.8, 0.1, 0.1]],
         "from_logits": False, "epsilon": 1e-7},
    ]})

    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "y_pred has the shape of y_true: as many rows, every row as long, and at least 2 classes per row",
    )

    y_true: list[Row] = Field(min_length=1, max_length=MAX_ROWS,
                              description="One row per sample: the true class as one-hot (or a distribution)")
    y_pred: list[Row] = Field(min_length=1, max_length=MAX_ROWS,
                              description="Same shape as y_true: predicted probabilities, or logits if from_logits")
    from_logits: bool = Field(False, description="y_pred holds logits; softmax turns them into probabilities")
    epsilon: FiniteFloat = Field(1e-7, ge=0, lt=0.5,
                                 description="The hand steps clip predictions to [epsilon, 1 - epsilon]")


class HandSteps(BaseModel):
    clipped: list[list[Number]] = Field(description="tf.clip_by_value(p, epsilon, 1 - epsilon)")
    log: list[list[Number]] = Field(description="tf.math.log(clipped), natural log")
    product: list[list[Number]] = Field(description="tf.multiply(truth, log)")
    row_sums: list[Number] = Field(description="tf.reduce_sum(product, axis=-1)")
    per_sample: list[Number] = Field(description="-row_sums: the loss of each sample")
    loss: Number = Field(description="tf.reduce_mean(per_sample)")


class InLog10(BaseModel):
    per_sample: list[Number]
    loss: Number


class KerasComparison(BaseModel):
    per_sample: list[Number] = Field(description="keras.losses.categorical_crossentropy per sample")
    loss: Number
    difference_per_sample: list[Number] = Field(description="by hand minus Keras, per sample")
    difference: Number = Field(description="by hand minus Keras, of the means")


class CrossEntropyResponse(ConceptResponse):
    from_logits: bool
    epsilon: float
    keras_epsilon: float = Field(description="keras.config.epsilon(), the clip Keras applies to probabilities")
    probabilities: list[list[Number]] = Field(description="y_pred, or softmax(y_pred) when from_logits")
    steps: HandSteps = Field(description="Cross entropy by hand, H(y_true, probabilities)")
    log10: InLog10 = Field(description="The same losses in log base 10, as some textbooks write them")
    keras: KerasComparison = Field(description="Keras on the probabilities")
    keras_from_logits: KerasComparison | None = Field(description="Keras on the logits (from_logits=True)")
    swapped: HandSteps = Field(description="The same steps with the arguments swapped: H(probabilities, y_true)")
    overflow: bool = Field(description="Some value was infinite or NaN and is given as null")
