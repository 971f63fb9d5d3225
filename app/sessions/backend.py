"""Where sessions live and run. Routes talk to ``SessionBackend``; how it hosts sessions is its own business.

Every access to a session is a named operation of ``app.sessions.operations`` that returns plain data, so a
backend may keep sessions in this process or in others. ``InProcessBackend`` keeps them here and runs
operations on a small thread pool (TensorFlow releases the GIL during a call), so the event loop stays free
while a network trains; ``app.sessions.processes.ProcessBackend`` keeps them in worker processes, and
``app.sessions.ray_backend.RayBackend`` in actors of a Ray cluster that several web servers share.

Live play may train many sessions in one call: ``group_key`` says which sessions can share one (same host,
same architecture) and ``call_group`` runs ``operations.run_group`` where they live, answering each session
apart. A backend that keeps the defaults (no key: every session alone; ``call_group`` as one ``call`` each)
still plays correctly, only without the group's savings.
"""

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.engine.frames import Frame
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.engine.background import in_background
from app.sessions import operations


class NotHosted(LookupError):
    """The backend holds no session with this id (never created, or removed meanwhile)."""


class SessionLost(RuntimeError):
    """The process that hosted the session stopped unexpectedly: its state is gone for good."""


class SessionBackend(ABC):
    @abstractmethod
    async def add(self, session_id: str, spec: TrainingSpec, *, client: str = "") -> dict[str, Any]:
        """Build and host a session under ``session_id`` for ``client``; returns ``operations.describe`` of it.

        Raises ``ValueError`` for a spec the engine refuses; a backend shared by several web servers raises
        ``LimitExceeded`` for limits it holds across them (``too_many_sessions``, ``too_many_new_sessions``).
        """

    async def adopt(self, session_id: str) -> bool:
        """Whether the backend hosts ``session_id`` though this web server did not create it (a backend
        shared by several servers); raises ``SessionLost`` for one whose host died. Never, in this process."""
        return False

    @abstractmethod
    async def call(self, session_id: str, op: str, **kwargs: Any) -> Any:
        """Run operation ``op`` on the session where it lives; raises ``NotHosted`` or ``SessionLost``."""

    def group_key(self, session_id: str) -> Hashable | None:
        """Sessions with equal keys (not None) may share one ``call_group``: they live in one place and have
        one architecture. None: the session plays alone (the default, which every backend may keep)."""
        return None

    async def call_group(self, session_ids: Sequence[str], epochs: Sequence[int], *, resolution: int,
                         neuron_resolution: int) -> list[Frame | BaseException]:
        """The ``frame`` operation of every session, each training its own ``epochs``, as few calls as the
        backend can make of it (``operations.frame_group`` where they live). One result per session, in order:
        its ``Frame``, or the exception its own call would have raised (``NotHosted``, ``SessionLost``), so a
        member that went away costs the others nothing. This default makes one ``call`` each."""
        results = await asyncio.gather(*(
            self.call(session_id, "frame", epochs=e, resolution=resolution, neuron_resolution=neuron_resolution)
            for session_id, e in zip(session_ids, epochs, strict=True)), return_exceptions=True)
        return list(results)

    @abstractmethod
    def remove(self, session_id: str) -> None:
        """Free a session (unknown or lost ids are ignored)."""

    def release(self, session_id: str) -> None:
        """This web server no longer uses the session (it expired here): a backend shared with other servers
        keeps it while they use it; any other frees it."""
        self.remove(session_id)

    def lost(self, session_id: str) -> bool:
        """Whether the session's host died (its calls raise ``SessionLost``); never, in this process."""
        return False

    @property
    @abstractmethod
    def capacity(self) -> int:
        """How many calls run at once: the live stream sizes its training slices by it."""

    async def ready(self) -> None:
        """Wait until the backend can host sessions (worker processes take seconds to start)."""

    def prewarm(self, resolution: int, neuron_resolution: int) -> None:
        """Compile the default network's functions in the background, so the first "play" is instant."""

    @abstractmethod
    def close(self) -> None: ...


class InProcessBackend(SessionBackend):
    def __init__(self, *, workers: int, jit_compile: bool) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="train")
        self._workers = workers
        self._jit = jit_compile
        self._sessions: dict[str, TrainingSession] = {}

    async def add(self, session_id: str, spec: TrainingSpec, *, client: str = "") -> dict[str, Any]:
        # Building a session generates data and may compile: keep it off the event loop.
        session = await asyncio.get_running_loop().run_in_executor(self._pool, self.create, spec)
        self._sessions[session_id] = session
        return operations.describe(session)

    async def call(self, session_id: str, op: str, **kwargs: Any) -> Any:
        session = self._sessions.get(session_id)
        if session is None:
            raise NotHosted(session_id)
        return await asyncio.get_running_loop().run_in_executor(self._pool, operations.run, session, op, kwargs)

    def remove(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def group_key(self, session_id: str) -> Hashable | None:
        session = self._sessions.get(session_id)
        return operations.group_key(session.spec, self._jit) if session is not None else None

    async def call_group(self, session_ids: Sequence[str], epochs: Sequence[int], *, resolution: int,
                         neuron_resolution: int) -> list[Frame | BaseException]:
        sessions = [self._sessions.get(session_id) for session_id in session_ids]
        frames = await asyncio.get_running_loop().run_in_executor(
            self._pool, lambda: operations.run_group(sessions, epochs, resolution=resolution,
                                                     neuron_resolution=neuron_resolution))
        return [NotHosted(i) if f is None else f for i, f in zip(session_ids, frames)]

    @property
    def capacity(self) -> int:
        return self._workers

    def __len__(self) -> int:
        return len(self._sessions)

    def create(self, spec: TrainingSpec) -> TrainingSession:
        return TrainingSession(spec, jit_compile=self._jit)

    def prewarm(self, resolution: int, neuron_resolution: int) -> None:
        # On the engine's background thread: a cold compile takes seconds and must not hold a training thread.
        in_background("prewarm", lambda: operations.prewarm(TrainingSpec(), jit_compile=self._jit,
                                                            resolution=resolution, neuron_resolution=neuron_resolution))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
