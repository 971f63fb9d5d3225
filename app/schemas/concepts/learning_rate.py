"""``POST /api/concepts/learning-rate``: a schedule's rate per step and J(x) = x² descended with it."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import FiniteFloat, Integer, ScheduleChoice, rules_of
from app.schemas.concepts.base import ConceptRequest, ConceptResponse
from app.schemas.concepts.gradient_descent import MAX_START, MAX_STEPS, Number, TrajectoryPoint, Verdict


class LearningRateRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"schedule": {"name": "exponential_decay",
                      "params": {"decay_steps": 5, "decay_rate": 0.5, "staircase": False}},
         "learning_rate": 1.0, "steps": 40, "x": 5.0},
    ]})

    cross_field_rules: ClassVar[tuple[str, ...]] = rules_of(ScheduleChoice)

    schedule: ScheduleChoice = Field(ScheduleChoice(name="exponential_decay"),
                                     description="A registered learning-rate schedule and its parameters, "
                                                 "as sessions take it")
    learning_rate: FiniteFloat = Field(1.0, gt=0, le=10, description="The initial rate")
    steps: Integer = Field(40, ge=1, le=MAX_STEPS)
    x: FiniteFloat = Field(5.0, ge=-MAX_START, le=MAX_START, description="Where the descent of x² starts")

    def arguments(self) -> dict[str, Any]:
        """The engine's keyword arguments (the schedule's name and parameters apart)."""
        return {"schedule": self.schedule.name, "params": self.schedule.params, "learning_rate": self.learning_rate,
                "steps": self.steps, "x": self.x}


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
