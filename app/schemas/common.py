"""Building blocks shared by every request model: strict objects, finite numbers, whole numbers, a schedule
choice, and the rules a model checks beyond its JSON Schema."""

from collections.abc import Iterable
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from app.engine import schedules
from app.engine.spec import TrainingSpec

# NaN, Infinity, 1e999 and "nan" are all rejected with a 422 that names the field.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# JSON Schema's "integer" is any number without a fraction, 318.0 included; strict pydantic refuses 318.0, so
# a client that writes numbers as floats (JavaScript, many JSON libraries) would be refused what the schema
# admits. Booleans and strings stay refused.
_WHOLE = BeforeValidator(_whole)
Integer = Annotated[int, _WHOLE]


def integer(**constraints: Any) -> Any:
    """``Integer`` with ``Field`` constraints (``ge``, ``le``, ...). Inside a union or a list, constraints must
    come before the validator, or pydantic writes them into the JSON Schema as unknown keys ("ge")."""
    return Annotated[int, Field(**constraints), _WHOLE]


def named(registry: Any) -> Any:
    """A string the JSON Schema limits to a registry's names (a validator still checks it, with the registry's
    own message). As a type, so that inside an optional or a list the enum stays on the string itself."""
    return Annotated[str, Field(json_schema_extra={"enum": registry.names()})]


UNIQUE = {"uniqueItems": True}  # a list that names each item at most once

RULES_HEADING = "Checked beyond the JSON Schema (rules across fields it cannot express):"


def described(description: str, rules: Iterable[str]) -> str:
    """An operation's description followed by the rules its request is checked against beyond its schema."""
    rules = list(rules)
    if not rules:
        return description
    return "\n\n".join([description.rstrip(), RULES_HEADING + "\n" + "\n".join(f"- {r}" for r in rules)])


def rules_of(model: Any) -> tuple[str, ...]:
    """A request model's ``cross_field_rules`` (none for a model that declares none)."""
    return tuple(getattr(model, "cross_field_rules", ()))


class StrictModel(BaseModel):
    """Unknown fields are an error (a typo must not be silently ignored), and types are not coerced:
    ``true`` is not a seed and ``"3"`` is not a layer size."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorResponse(BaseModel):
    """The body of a 4xx answer: a message, or FastAPI's list of field errors (``loc``, ``msg``, ``type``)."""

    detail: str | list[dict[str, Any]]


# A schedule parameter's value; each schedule's own ``Param`` table (``app/engine/schedules.py``) checks it.
ParamValue = bool | int | FiniteFloat | Annotated[list[int | FiniteFloat], Field(max_length=schedules.MAX_LIST_LENGTH)]


DEFAULT_SCHEDULE = TrainingSpec().lr_schedule  # a choice without a name


def _param_schema(param: schedules.Param) -> dict[str, Any]:
    if param.kind == "bool":
        return {"type": "boolean"}
    number: dict[str, Any] = {"type": "integer" if param.kind in ("int", "ints") else "number"}
    number.update({k: v for k, v in (("minimum", param.minimum), ("maximum", param.maximum)) if v is not None})
    if param.kind in ("ints", "floats"):
        return {"type": "array", "items": number, "minItems": 1, "maxItems": schedules.MAX_LIST_LENGTH}
    return number


def _schedule_schema(schema: dict[str, Any]) -> None:
    """One branch per registered schedule: its name, and only its own parameters, each within its bounds."""
    schema["examples"] = [{"name": "exponential_decay", "params": {"decay_steps": 50, "decay_rate": 0.5}}]
    branches = []
    for entry in schedules.SCHEDULES:
        params = {k: _param_schema(p) for k, p in entry.value.params.items()}
        branch: dict[str, Any] = {"properties": {
            "name": {"const": entry.name},
            "params": {"type": "object", "properties": params, "additionalProperties": False}}}
        if entry.name != DEFAULT_SCHEDULE:
            branch["required"] = ["name"]
        branches.append(branch)
    schema["oneOf"] = branches


class ScheduleChoice(StrictModel):
    """A learning-rate schedule by name and its parameters, as sessions and the learning-rate lab take it:
    ``{"name": "exponential_decay", "params": {"decay_steps": 50}}``. Missing parameters take the schedule's
    defaults; /api/options lists each schedule's parameters with their bounds."""

    model_config = ConfigDict(json_schema_extra=_schedule_schema)
    # A schedule's own rule across its parameters: its ``check``, described by the check's docstring.
    cross_field_rules: ClassVar[tuple[str, ...]] = tuple(
        f"{e.name}: {e.value.check.__doc__}" for e in schedules.SCHEDULES if e.value.check)

    name: str = Field(DEFAULT_SCHEDULE, description=f"One of: {', '.join(schedules.SCHEDULES.names())}")
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
