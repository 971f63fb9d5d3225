"""What a stream's client may ask of its playback (``app.sessions.player``), as typed values.

The wire form (JSON text) is read and checked by ``app.schemas.stream``; these are what it becomes.
"""

import enum
from dataclasses import dataclass, field
from typing import Any


class Keep(enum.Enum):
    """A command field left out: the stream keeps what it had (``None`` means something else: no pace)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Play:
    pace: float | None | Keep = KEEP  # epochs per second the stream wants; None: as fast as its slices allow


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Step:
    """Train exactly one epoch (and pause)."""


@dataclass(frozen=True)
class Set:
    changes: dict[str, Any] = field(default_factory=dict)  # live fields, as ``TrainingSession.update`` takes
    pace: float | None | Keep = KEEP


@dataclass(frozen=True)
class Reset:
    reseed: bool = False


@dataclass(frozen=True)
class Edit:
    layer: int
    kind: str
    index: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class Refresh:
    """Send a frame now, with every feature's thumbnail."""


@dataclass(frozen=True)
class Refused:
    """A client message that is no command; the client is told why and the stream goes on."""

    detail: str


Command = Play | Pause | Step | Set | Reset | Edit | Refresh | Refused
