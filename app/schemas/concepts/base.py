"""What every concept lab's request and response models share: a request turns into its engine's keyword
arguments in one way, and a response is built from its engine's result in one way."""

from typing import Any, Self

from pydantic import BaseModel

from app.schemas.common import StrictModel


class ConceptRequest(StrictModel):
    """A lab's request. Its fields are its engine's keyword arguments; a request whose wire shape differs
    (the learning-rate lab's ``{schedule: {name, params}}``) overrides :meth:`arguments` to map them."""

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of the lab's ``compute``."""
        return self.model_dump()


class ConceptResponse(BaseModel):
    """A lab's answer. Every concept engine returns a frozen dataclass; this reads its attributes (and the
    JSON-ready dicts and lists inside it). Responses whose results hold NumPy arrays override
    :meth:`from_result` to turn them into JSON numbers."""

    @classmethod
    def from_result(cls, result: Any) -> Self:
        return cls.model_validate(result, from_attributes=True)
