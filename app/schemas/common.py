"""Building blocks shared by every request model: strict objects and finite numbers."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

# NaN, Infinity, 1e999 and "nan" are all rejected with a 422 that names the field.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class StrictModel(BaseModel):
    """Unknown fields are an error (a typo must not be silently ignored), and types are not coerced:
    ``true`` is not a seed and ``"3"`` is not a layer size."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorResponse(BaseModel):
    """The body of a 4xx answer: a message, or FastAPI's list of field errors (``loc``, ``msg``, ``type``)."""

    detail: str | list[dict[str, Any]]
