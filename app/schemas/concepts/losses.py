"""``POST /api/concepts/losses``: loss names, a batch and an optional curve range in; loss values out."""

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.engine.concepts.losses import LossComparison
from app.engine.losses import LOSSES
from app.engine.numeric import scalar, to_json
from app.schemas.common import UNIQUE, FiniteFloat, Integer, StrictModel, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_SAMPLES = 1000
MAX_OUTPUTS = 64
MAX_CURVE_POINTS = 1000
MAX_ABS_PREDICTION = 1000.0

Row = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_OUTPUTS)]
Batch = (Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_SAMPLES)]
         | Annotated[list[Row], Field(min_length=1, max_length=MAX_SAMPLES)])
Prediction = Annotated[FiniteFloat, Field(ge=-MAX_ABS_PREDICTION, le=MAX_ABS_PREDICTION)]


class LossCurveRequest(StrictModel):
    target: FiniteFloat = Field(1.0, ge=0, le=1, description="The fixed y_true: a label or a probability")
    start: Prediction = Field(0.01, description="The first prediction (a logit when from_logits is true)")
    stop: Prediction = 0.99
    num: Integer = Field(99, ge=2, le=MAX_CURVE_POINTS)

    @model_validator(mode="after")
    def _range(self) -> "LossCurveRequest":
        if not self.start < self.stop:
            raise ValueError(f"start must be less than stop; received start={self.start}, stop={self.stop}")
        return self


class LossesRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "losses": ["mse", "mae", "huber", "binary_crossentropy"],
        "y_true": [1.0, 0.0, 1.0], "y_pred": [0.9, 0.2, 0.3], "from_logits": False,
        "curve": {"target": 1.0, "start": 0.01, "stop": 0.99, "num": 99},
    }]})

    # What each loss needs of y_pred, from its registry entry.
    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "y_pred has the shape of y_true",
        f"{', '.join(e.name for e in LOSSES if e.value.probabilities)} take y_pred in [0, 1] unless from_logits "
        f"is true",
        "rows of y_pred hold at least as many classes as each loss needs: " + ", ".join(
            f"{e.name} {e.value.min_classes}" for e in LOSSES if e.value.min_classes > 1),
        "curve.start is less than curve.stop",
    )

    losses: list[named(LOSSES)] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=len(LOSSES), json_schema_extra=UNIQUE,
        description=f"Registered names: {', '.join(LOSSES.names())}")
    y_true: Batch = Field(description="A list (one output per sample) or a list of rows (batch, outputs)")
    y_pred: Batch = Field(description="Same shape as y_true: probabilities, or logits with from_logits")
    from_logits: bool = Field(False, description="y_pred are logits: passed to the losses that take it (the cross "
                              "entropies); KL divergence gets their softmax")
    curve: LossCurveRequest | None = Field(None, description="Also trace each loss against the prediction")

    @field_validator("losses")
    @classmethod
    def _registered(cls, names: list[str]) -> list[str]:
        for name in names:
            LOSSES.entry(name)
        if len(set(names)) != len(names):
            raise ValueError(f"each loss may be listed once; received {names}")
        return names


Squash = Literal["softmax", "sigmoid"] | None
SQUASH = ("With from_logits, the function (tf.nn.softmax or tf.nn.sigmoid) applied to the logits first, "
          "for a loss that needs probabilities and takes no from_logits (KL divergence); else null")


class LossOut(BaseModel):
    name: str
    label: str
    description: str
    function: str = Field(description="The Keras function computing it, e.g. keras.losses.mean_squared_error")
    from_logits: bool = Field(description="Whether from_logits=True was passed to this loss")
    squash: Squash = Field(description=SQUASH)
    per_sample: list[float | None] = Field(description="keras.losses.<name>(y_true, y_pred), one per sample")
    loss: float | None = Field(description="Their mean, as keras.losses.<Class>()(y_true, y_pred)")


class CurveSeriesOut(BaseModel):
    name: str
    label: str
    from_logits: bool
    squash: Squash = Field(description=SQUASH)
    columns: int = Field(description="1: y_true [[t]], y_pred [[p]]; 2: [[1 - t, t]] and [[1 - p, p]] "
                                     "(logits [[0, z]])")
    values: list[float | None]


class LossCurveOut(BaseModel):
    target: float
    y_pred: list[float] = Field(description="The predictions along the x axis")
    series: list[CurveSeriesOut]


class LossesResponse(ConceptResponse):
    results: list[LossOut]
    curve: LossCurveOut | None
    overflow: bool = Field(description="True when some value was not finite and is given as null")

    @classmethod
    def from_result(cls, result: LossComparison) -> "LossesResponse":
        overflow = False
        out = []
        for r in result.results:
            per_sample, flag = to_json(r.per_sample)
            loss = scalar(r.loss)
            overflow |= flag or loss is None
            out.append(LossOut(name=r.name, label=r.label, description=r.description, function=r.function,
                               from_logits=r.from_logits, squash=r.squash, per_sample=per_sample, loss=loss))
        curve = None
        curves = result.curves
        if curves is not None:
            series = []
            for s in curves.series:
                values, flag = to_json(s.values)
                overflow |= flag
                series.append(CurveSeriesOut(name=s.name, label=s.label, from_logits=s.from_logits,
                                             squash=s.squash, columns=s.columns, values=values))
            curve = LossCurveOut(target=curves.target, y_pred=curves.y_pred.tolist(), series=series)
        return cls(results=out, curve=curve, overflow=overflow)
