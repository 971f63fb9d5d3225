"""``POST /api/concepts/activations``: activation names and an x range in; values and derivatives out."""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.activations import MAX_MAXOUT_PIECES, ActivationsResult, Curve
from app.engine.numeric import to_json
from app.schemas.common import UNIQUE, FiniteFloat, Integer, StrictModel, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_POINTS = 1000
MAX_ABS_X = 1000.0

XValue = Annotated[FiniteFloat, Field(ge=-MAX_ABS_X, le=MAX_ABS_X)]
Pieces = Annotated[list[FiniteFloat], Field(min_length=2, max_length=MAX_MAXOUT_PIECES)]


class MaxoutParams(StrictModel):
    weights: Pieces = Field(description="The slope w_i of each linear piece")
    biases: Pieces = Field(description="The intercept b_i of each linear piece (one per weight)")

    @model_validator(mode="after")
    def _same_length(self) -> "MaxoutParams":
        if len(self.weights) != len(self.biases):
            raise ValueError(f"maxout needs one bias per weight; received {len(self.weights)} weights "
                             f"and {len(self.biases)} biases")
        return self


class ActivationsRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "activations": ["relu", "tanh", "sigmoid"], "start": -5.0, "stop": 5.0, "num": 101,
        "saturation_threshold": 0.05, "maxout": {"weights": [-1.0, 0.0, 1.0], "biases": [0.0, 0.5, 0.0]},
    }], "anyOf": [  # something to evaluate: an activation, or maxout
        {"required": ["activations"], "properties": {"activations": {"minItems": 1}}},
        {"required": ["maxout"], "properties": {"maxout": {"not": {"type": "null"}}}}]})
    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "maxout.biases holds one bias per weight (as many items as maxout.weights)",
        "without x, start is less than stop; x, when given, is strictly increasing",
    )

    activations: list[named(ACTIVATIONS)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=len(ACTIVATIONS), json_schema_extra=UNIQUE,
                                   description=f"Registered names: {', '.join(ACTIVATIONS.names())}")
    x: Annotated[list[XValue], Field(min_length=1, max_length=MAX_POINTS)] | None = Field(
        None, description="Explicit points, strictly increasing; when absent, tf.linspace(start, stop, num)")
    start: XValue = -5.0
    stop: XValue = 5.0
    num: Integer = Field(101, ge=2, le=MAX_POINTS)
    saturation_threshold: FiniteFloat = Field(
        0.05, ge=0, le=1, description="|f'(x)| below this at either end of the range counts as saturated")
    maxout: MaxoutParams | None = Field(None, description="Adds maxout, max_i(w_i x + b_i), with these parameters")

    @field_validator("activations")
    @classmethod
    def _registered(cls, names: list[str]) -> list[str]:
        for name in names:
            ACTIVATIONS.entry(name)
        if len(set(names)) != len(names):
            raise ValueError(f"each activation may be listed once; received {names}")
        return names

    @field_validator("stop")
    @classmethod
    def _after_start(cls, stop: float, info: ValidationInfo) -> float:
        # An error of its own type on the field `stop`, with both values: the page says it in its language.
        start = info.data.get("start")
        if info.data.get("x") is None and start is not None and not start < stop:
            raise PydanticCustomError("range_order", "start must be less than stop; received start={start}, "
                                      "stop={stop}", {"lower": "start", "upper": "stop", "start": start, "stop": stop})
        return stop

    @model_validator(mode="after")
    def _range(self) -> "ActivationsRequest":
        if not self.activations and self.maxout is None:
            raise ValueError("expected at least one activation name or maxout parameters")
        return self


class CurveOut(BaseModel):
    name: str
    label: str
    formula: str
    values: list[float | None] = Field(description="f(x) at each x")
    derivatives: list[float | None] = Field(description="f'(x) at each x, from tf.GradientTape")
    saturated: list[tuple[float, float]] = Field(
        description="[from, to] x intervals at the ends of the range where |f'(x)| < saturation_threshold")


class MaxoutOut(CurveOut):
    weights: list[float]
    biases: list[float]
    pieces: list[list[float | None]] = Field(description="w_i x + b_i for each piece i at each x")
    active_piece: list[int] = Field(description="The index of the largest piece at each x")


class ActivationsResponse(ConceptResponse):
    x: list[float]
    curves: list[CurveOut]
    maxout: MaxoutOut | None
    saturation_threshold: float
    overflow: bool = Field(description="True when some value was not finite and is given as null")

    @classmethod
    def from_result(cls, r: ActivationsResult) -> "ActivationsResponse":
        overflow = False

        def curve_fields(c: Curve) -> dict:
            nonlocal overflow
            values, f1 = to_json(c.values)
            derivatives, f2 = to_json(c.derivatives)
            overflow |= f1 or f2
            return {"name": c.name, "label": c.label, "formula": c.formula, "values": values,
                    "derivatives": derivatives, "saturated": c.saturated}

        curves = [CurveOut(**curve_fields(c)) for c in r.curves]
        maxout = None
        if r.maxout is not None:
            pieces, flag = to_json(r.maxout.pieces)
            overflow |= flag
            maxout = MaxoutOut(**curve_fields(r.maxout), weights=r.maxout.weights.tolist(),
                               biases=r.maxout.biases.tolist(), pieces=pieces,
                               active_piece=r.maxout.active_piece.tolist())
        return cls(x=r.x.tolist(), curves=curves, maxout=maxout, saturation_threshold=r.saturation_threshold,
                   overflow=overflow)
