"""A small named registry: the single source of the names a user may choose.

Validation, ``/api/options``, the page's controls and the parametrised tests all read from
registries, so adding an activation (or a loss, dataset, ...) is one ``register`` call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    value: T
    label: str
    label_zh: str  # the label learners reading Chinese see; the English label where none is given
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


class Registry(Generic[T]):
    """Names → values for one kind of thing (``"activation"``, ``"loss"``, ...)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Entry[T]] = {}

    def register(self, name: str, value: T, *, label: str | None = None, label_zh: str | None = None,
                 description: str = "", **meta: Any) -> T:
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        label = label or name
        self._entries[name] = Entry(name, value, label, label_zh or label, description, dict(meta))
        return value

    def unregister(self, name: str) -> None:
        """Forget ``name``: for tests that register an entry of their own and must leave the registry as found."""
        self.entry(name)
        del self._entries[name]

    def entry(self, name: str) -> Entry[T]:
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise ValueError(
                f"Unknown {self.kind} {name!r}. Expected one of: {', '.join(self._entries)}"
            ) from None

    def get(self, name: str) -> T:
        return self.entry(name).value

    def names(self) -> list[str]:
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Entry[T]]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {self.names()})"
