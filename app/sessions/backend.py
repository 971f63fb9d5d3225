"""Where sessions live and run. Routes talk to ``SessionBackend``; how it hosts sessions is its own business.

``InProcessBackend`` keeps sessions in this process and runs TensorFlow calls on a small thread pool
(TensorFlow releases the GIL during a call), so the event loop stays free while a network trains.
"""

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec

T = TypeVar("T")


class SessionBackend(ABC):
    @abstractmethod
    def create(self, spec: TrainingSpec) -> TrainingSession: ...

    @abstractmethod
    async def run(self, session: TrainingSession, fn: Callable[[TrainingSession], T]) -> T:
        """Run ``fn(session)`` where the session lives, without blocking the event loop."""

    @abstractmethod
    def close(self) -> None: ...


class InProcessBackend(SessionBackend):
    def __init__(self, *, workers: int, jit_compile: bool) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="train")
        self._jit = jit_compile

    def create(self, spec: TrainingSpec) -> TrainingSession:
        return TrainingSession(spec, jit_compile=self._jit)

    async def run(self, session: TrainingSession, fn: Callable[[TrainingSession], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, session)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
