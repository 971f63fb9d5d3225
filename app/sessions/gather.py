"""Turns of playing streams gathered into group calls: streams whose sessions share a host and an architecture
(``SessionManager.group_key``) and are due at about the same time train in one backend call
(``SessionManager.frames``), each with its own epochs, and each gets its own frame back.

Per key at most ``CALLS_PER_KEY`` calls are in flight, each with its share of the key's playing streams.
Meanwhile the turns of that key that fall due wait for the next one; when one returns, the next call waits up
to ``GATHER_SECONDS`` for the members that just got their frames to be due again (they send them first), and
leaves as soon as its share of the key's streams is in. A turn alone takes the stream's own ``frame`` call, as before. A member that went away, diverged or lost
its worker gets its own answer; the others' frames are not touched by it.
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

from app.engine.frames import Frame
from app.sessions.manager import SessionManager

# The longest a due turn waits for the rest of its call's share. A stream that waits for its pace or budget does
# not count (``Playback.group`` is None meanwhile), so this bites only when the web process is slow to send the
# frames of the call that just returned (measured: 4 ms split a class of 50 into many small calls).
GATHER_SECONDS = 0.02
# Calls of one key in flight at once: the key's streams are split over them, so while the host trains one the
# web process forwards the other's frames and the host never waits (an idle host on a busy machine loses its
# core for a while). A key with fewer than 2 x MIN_SPLIT streams makes one call at a time.
CALLS_PER_KEY = 2
MIN_SPLIT = 4


@dataclass
class _Turn:
    session_id: str
    epochs: int
    done: "asyncio.Future[tuple[Frame, int]]"


@dataclass
class _Group:
    """One key's turns: those waiting for the next call, and the call in flight."""

    waiting: list[_Turn] = field(default_factory=list)
    in_flight: int = 0  # members of the call in flight
    calls: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: "asyncio.Task[None] | None" = None


class Gatherer:
    """Gathers due turns by key. ``expected(key)``: how many playing streams have that key now (a call leaves
    at once when they are all in); ``solo(session_id, epochs)``: the call of a turn alone."""

    def __init__(self, manager: SessionManager, *, resolution: int, neuron_resolution: int,
                 expected: Callable[[Hashable], int], solo: Callable[[str, int], Awaitable[Frame]]) -> None:
        self.manager = manager
        self.resolution = resolution
        self.neuron_resolution = neuron_resolution
        self.expected = expected
        self.solo = solo
        self._groups: dict[Hashable, _Group] = {}
        self._calls: set[asyncio.Task] = set()
        self.sizes: deque[int] = deque(maxlen=1000)  # members of each call made lately (tests, diagnostics)

    def __repr__(self) -> str:
        return f"Gatherer(groups={len(self._groups)}, calls in flight={len(self._calls)})"

    async def frame(self, key: Hashable, session_id: str, epochs: int) -> tuple[Frame, int]:
        """Train ``epochs`` epochs of the session in its key's next call: its frame, and the call's members."""
        group = self._groups.setdefault(key, _Group())
        done: asyncio.Future[tuple[Frame, int]] = asyncio.get_running_loop().create_future()
        group.waiting.append(_Turn(session_id, epochs, done))
        group.changed.set()
        if group.task is None:
            group.task = asyncio.get_running_loop().create_task(self._dispatch(key, group))
        return await done

    async def _dispatch(self, key: Hashable, group: _Group) -> None:
        loop = asyncio.get_running_loop()
        try:
            while group.waiting:
                expected = self.expected(key)
                calls = CALLS_PER_KEY if expected >= CALLS_PER_KEY * MIN_SPLIT else 1
                share = max(1, -(-expected // calls))  # members per call
                while group.calls >= calls:
                    await _changed(group)
                deadline = loop.time() + GATHER_SECONDS
                while len(group.waiting) < min(share, expected - group.in_flight) and loop.time() < deadline:
                    await _changed(group, deadline - loop.time())
                waiting = [t for t in group.waiting if not t.done.done()]  # a stream that left cancelled its turn
                # One turn per session in a call: a session two tabs play takes its second turn in the next.
                turns, group.waiting, ids = [], [], set()
                for t in waiting:
                    if len(turns) < share and t.session_id not in ids:
                        ids.add(t.session_id)
                        turns.append(t)
                    else:
                        group.waiting.append(t)
                if turns:
                    group.calls += 1
                    group.in_flight += len(turns)
                    task = loop.create_task(self._call(group, turns))
                    self._calls.add(task)
                    task.add_done_callback(self._calls.discard)
        finally:
            group.task = None
            if not group.waiting and not group.calls and self._groups.get(key) is group:
                del self._groups[key]

    async def _call(self, group: _Group, turns: list[_Turn]) -> None:
        self.sizes.append(len(turns))
        try:
            if len(turns) == 1:
                results: list = [await self.solo(turns[0].session_id, turns[0].epochs)]
            else:
                results = await self.manager.frames(
                    [t.session_id for t in turns], [t.epochs for t in turns], resolution=self.resolution,
                    neuron_resolution=self.neuron_resolution)
        except Exception as e:  # the whole call failed: every member hears why
            results = [e] * len(turns)
        finally:
            group.calls -= 1
            group.in_flight -= len(turns)
            group.changed.set()
        for turn, result in zip(turns, results):
            if turn.done.done():
                continue
            if isinstance(result, BaseException):
                turn.done.set_exception(result)
            else:
                turn.done.set_result((result, len(turns)))


async def _changed(group: _Group, timeout: float | None = None) -> None:
    """Wait until the group changes (a turn in, a call back), at most ``timeout`` seconds."""
    group.changed.clear()
    try:
        await asyncio.wait_for(group.changed.wait(), timeout)
    except asyncio.TimeoutError:
        pass
