"""SessionManager: ids, the session limit and idle reaping, over a ``SessionBackend``."""

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.sessions.backend import SessionBackend

T = TypeVar("T")


class SessionNotFound(LookupError):
    pass


class TooManySessions(RuntimeError):
    pass


@dataclass
class Entry:
    session: TrainingSession
    created: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)
    connections: int = 0  # open live streams; a connected tab counts as use


class SessionManager:
    def __init__(self, backend: SessionBackend, *, max_sessions: int, ttl_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.backend = backend
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._entries: dict[str, Entry] = {}
        self._creating = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def create(self, spec: TrainingSpec) -> tuple[str, TrainingSession]:
        self.reap()
        if len(self._entries) + self._creating >= self.max_sessions:
            raise TooManySessions(f"The server holds its maximum of {self.max_sessions} sessions; try again later")
        self._creating += 1
        try:
            # Building a session generates data and may compile: keep it off the event loop.
            session = await asyncio.get_running_loop().run_in_executor(None, self.backend.create, spec)
        finally:
            self._creating -= 1
        session_id = secrets.token_urlsafe(16)  # 128 random bits
        now = self._clock()
        self._entries[session_id] = Entry(session, created=now, last_used=now)
        return session_id, session

    def get(self, session_id: str) -> TrainingSession:
        entry = self._entries.get(session_id)
        if entry is None:
            raise SessionNotFound(session_id)
        entry.last_used = self._clock()
        return entry.session

    def entry(self, session_id: str) -> Entry:
        self.get(session_id)
        return self._entries[session_id]

    def delete(self, session_id: str) -> None:
        if self._entries.pop(session_id, None) is None:
            raise SessionNotFound(session_id)

    def exists(self, session_id: str) -> bool:
        return session_id in self._entries

    async def run(self, session_id: str, fn: Callable[[TrainingSession], T]) -> T:
        session = self.get(session_id)
        return await self.backend.run(session, fn)

    def reap(self) -> list[str]:
        """Remove sessions idle longer than the TTL; returns their ids."""
        now = self._clock()
        stale = [sid for sid, e in self._entries.items()
                 if e.connections == 0 and now - e.last_used > self.ttl_seconds]
        for sid in stale:
            del self._entries[sid]
        return stale

    def clear(self) -> None:
        """Drop every session (at shutdown); the backend stays usable."""
        self._entries.clear()
