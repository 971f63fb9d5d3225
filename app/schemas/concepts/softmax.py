"""``POST /api/concepts/softmax``: logits and a temperature in, probabilities and the stable steps out."""

from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field

from app.engine.concepts.softmax import SoftmaxResult
from app.engine.numeric import to_json
from app.schemas.common import FiniteFloat, Integer
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_CLASSES = 64
MAX_ROWS = 64

Row = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_CLASSES)]
Matrix = Annotated[list[Row], Field(min_length=1, max_length=MAX_ROWS)]
JsonArray = list[float | None] | list[list[float | None]]




def axes(ndim: int) -> dict[str, int]:
    """The axes tf.nn.softmax takes of a tensor of ``ndim`` dimensions: -ndim to ndim - 1."""
    return {"minimum": -ndim, "maximum": ndim - 1}


MATRIX_AXES = axes(2)  # logits are a vector or a matrix


class SoftmaxRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={
        "examples": [{"logits": [2.0, 1.0, 0.1], "axis": -1, "temperature": 1.0}],
        "if": {"properties": {"logits": {"items": {"type": "number"}}}},  # a vector
        "then": {"properties": {"axis": axes(1)}}})

    cross_field_rules: ClassVar[tuple[str, ...]] = ("the rows of a matrix of logits are all as long",)

    logits: Row | Matrix = Field(description=f"A vector, or a matrix of up to {MAX_ROWS} rows; "
                                             f"at most {MAX_CLASSES} values per row.")
    axis: Integer = Field(-1, ge=MATRIX_AXES["minimum"], le=MATRIX_AXES["maximum"],
                          description="The axis that sums to 1, as in tf.nn.softmax (-1: the last).")
    temperature: FiniteFloat = Field(1.0, ge=0.01, le=100,
                                     description="Divides the logits first: > 1 flattens, < 1 sharpens.")


class SoftmaxResponse(ConceptResponse):
    probabilities: JsonArray = Field(description="tf.nn.softmax(logits / temperature, axis)")
    scaled_logits: JsonArray = Field(description="logits / temperature")
    max_logits: JsonArray = Field(description="The largest scaled logit along axis (kept as a size-1 axis)")
    shifted_logits: JsonArray = Field(description="scaled_logits - max_logits: all <= 0, so exp never overflows")
    exponentials: JsonArray = Field(description="exp(shifted_logits), each in (0, 1]")
    sums: JsonArray = Field(description="The sum of exponentials along axis; probabilities = exponentials / sums")
    naive_exponentials: JsonArray = Field(description="exp(scaled_logits) without the shift; null where it overflows")
    axis: int = Field(description="The axis used, counted from 0")
    shape: list[int]
    temperature: float
    overflow: bool = Field(description="True when some value was not finite (e.g. a naive exponential) "
                                       "and is given as null")

    @classmethod
    def from_result(cls, r: SoftmaxResult) -> "SoftmaxResponse":
        fields = {}
        overflow = False
        for name in ("probabilities", "scaled_logits", "max_logits", "shifted_logits", "exponentials", "sums",
                     "naive_exponentials"):
            fields[name], flag = to_json(getattr(r, name))
            overflow |= flag
        return cls(**fields, axis=r.axis, shape=list(r.logits.shape), temperature=r.temperature, overflow=overflow)

