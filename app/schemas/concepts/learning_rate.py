"""``POST /api/concepts/learning-rate``: a schedule's rate per step and J(x) = x² descended with it."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.engine.schedules import SCHEDULES, resolve_params
from app.schemas.common import FiniteFloat, StrictModel
from app.schemas.concepts.base import ConceptResponse
from app.schemas.concepts.gradient_descent import MAX_START, MAX_STEPS, Number, TrajectoryPoint, Verdict

ParamValue = bool | int | FiniteFloat | Annotated[list[int | FiniteFloat], Field(max_length=32)]


class LearningRateRequest(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"schedule": "exponential_decay", "params": {"decay_steps": 5, "decay_rate": 0.5, "staircase": False},
         "learning_rate": 1.0, "steps": 40, "x": 5.0},
    ]})

    schedule: str = Field("exponential_decay", description="A registered learning-rate schedule")
    params: dict[str, ParamValue] = Field({}, max_length=8,
                                          description="The schedule's parameters; missing ones take defaults")
    learning_rate: FiniteFloat = Field(1.0, gt=0, le=10, description="The initial rate")
    steps: int = Field(40, ge=1, le=MAX_STEPS)
    x: FiniteFloat = Field(5.0, ge=-MAX_START, le=MAX_START, description="Where the descent of x² starts")

    @field_validator("schedule")
    @classmethod
    def _known_schedule(cls, name: str) -> str:
        SCHEDULES.entry(name)
        return name

    @model_validator(mode="after")
    def _known_params(self) -> "LearningRateRequest":
        resolve_params(self.schedule, self.params)
        return self


class Descent(BaseModel):
    trajectory: list[TrajectoryPoint]
    steps_run: int
    verdict: Verdict
    overflow: bool


class ConstantDescent(Descent):
    learning_rate: float


class LearningRateResponse(ConceptResponse):
    schedule: str
    params: dict[str, Any] = Field(description="Every parameter, defaults filled in")
    uses_learning_rate: bool = Field(description="False when the schedule sets its own rates (piecewise constant)")
    learning_rates: list[Number] = Field(description="The rate of step 0, 1, …, steps − 1")
    scheduled: Descent = Field(description="x² descended with keras.optimizers.SGD and the schedule")
    constant: ConstantDescent = Field(description="The same with learning_rate held constant")
    keras: str = Field(description="The schedule, as code")
    overflow: bool
