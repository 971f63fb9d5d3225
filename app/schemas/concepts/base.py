"""What every concept lab's response model shares: it is built from its engine's result in one way."""

from typing import Any, Self

from pydantic import BaseModel


class ConceptResponse(BaseModel):
    """A lab's answer. Every concept engine returns a frozen dataclass; this reads its attributes (and the
    JSON-ready dicts and lists inside it). Responses whose results hold NumPy arrays override
    :meth:`from_result` to turn them into JSON numbers."""

    @classmethod
    def from_result(cls, result: Any) -> Self:
        return cls.model_validate(result, from_attributes=True)
