"""Building blocks shared by every request model: strict objects, finite numbers, a schedule choice."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.engine import schedules
from app.error_codes import CODES

# NaN, Infinity, 1e999 and "nan" are all rejected with a 422 that names the field.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class StrictModel(BaseModel):
    """Unknown fields are an error (a typo must not be silently ignored), and types are not coerced:
    ``true`` is not a seed and ``"3"`` is not a layer size."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorResponse(BaseModel):
    """The body of a 4xx answer: a message, or FastAPI's list of field errors (``loc``, ``msg``, ``type``)."""

    detail: str | list[dict[str, Any]] = Field(description=(
        "The English message, or FastAPI's list of field errors: loc, msg, type (pydantic's stable error code) "
        "and ctx (its parameters, e.g. ge, le)"))
    code: Literal[tuple(CODES)] | None = Field(  # type: ignore[valid-type]
        None, description="An error of the app's own: its stable code. " + " ".join(f"{k}: {v}" for k, v in CODES.items()))
    params: dict[str, Any] | None = Field(None, description="The code's parameters, named as the code says")


# A schedule parameter's value; each schedule's own ``Param`` table (``app/engine/schedules.py``) checks it.
ParamValue = bool | int | FiniteFloat | list[int | FiniteFloat]


class ScheduleChoice(StrictModel):
    """A learning-rate schedule by name and its parameters, as sessions and the learning-rate lab take it:
    ``{"name": "exponential_decay", "params": {"decay_steps": 50}}``. Missing parameters take the schedule's
    defaults; /api/options lists each schedule's parameters with their bounds."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "exponential_decay", "params": {"decay_steps": 50, "decay_rate": 0.5}}]})

    name: str = Field("constant", description=f"One of: {', '.join(schedules.SCHEDULES.names())}")
    params: dict[str, ParamValue] = Field({}, description="The schedule's parameters; missing ones take defaults")

    @field_validator("name")
    @classmethod
    def _registered(cls, name: str) -> str:
        schedules.SCHEDULES.entry(name)  # ValueError lists the expected names
        return name

    @model_validator(mode="after")
    def _fits_schedule(self) -> "ScheduleChoice":
        schedules.resolve_params(self.name, self.params)
        return self
