"""SessionManager: ids, limits (live sessions, creations per client, training time per session) and reaping,
over a ``SessionBackend``."""

import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.config import Settings
from app.engine.spec import TrainingSpec
from app.sessions.backend import NotHosted, SessionBackend, SessionLost
from app.sessions.datasets import DatasetStore
from app.sessions.limits import ComputeBudget, CreationRateLimiter, LimitExceeded

__all__ = ["SessionManager", "SessionNotFound", "SessionLost", "TooManySessions", "TooManyRequests",
           "BudgetExhausted"]

LOST_REMEMBERED = 10_000  # ids of lost sessions kept to answer "lost" rather than "not found"


def _default(name: str) -> int:
    """A limit's default as Settings declares it, for a manager built without an app (tests, the REPL)."""
    return Settings.model_fields[name].default


class SessionNotFound(LookupError):
    pass


class TooManySessions(LimitExceeded):
    """The server holds its maximum of live sessions; ``retry_after`` is when the first one is due to go."""


class TooManyRequests(LimitExceeded):
    """A client created sessions faster than allowed."""


class BudgetExhausted(LimitExceeded):
    """A session used its training time for the rolling minute."""


@dataclass
class Entry:
    budget: ComputeBudget
    created: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)
    connections: int = 0  # open live streams; a connected tab counts as use, up to the lifetime cap


class SessionManager:
    """Owns the live sessions. Every limit takes its time from ``clock`` so tests can move time by hand.

    ``max_lifetime_seconds`` removes a session at that age whatever its use; ``ttl_seconds`` removes one idle
    that long with no tab connected. ``creations_per_minute`` limits each client's new sessions and
    ``train_seconds_per_minute`` each session's training time; ``None`` turns either off.

    Sessions themselves live in the backend: the manager reaches them only through ``call`` (a named
    operation of ``app.sessions.operations``). A session whose worker process died raises ``SessionLost``
    from then on, and stops counting against ``max_sessions``.
    """

    def __init__(self, backend: SessionBackend, *, max_sessions: int, ttl_seconds: float,
                 max_lifetime_seconds: float = float("inf"), creations_per_minute: int | None = None,
                 max_tracked_clients: int = 10_000, train_seconds_per_minute: float | None = None,
                 datasets: DatasetStore | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.backend = backend
        # Uploaded datasets: a config or live change naming one gets its points here, before it leaves
        self.datasets = datasets if datasets is not None else DatasetStore(
            max_datasets=_default("max_datasets"), max_per_client=_default("max_datasets_per_client"),
            ttl_seconds=ttl_seconds, clock=clock)
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self.max_lifetime_seconds = max_lifetime_seconds
        self.train_seconds_per_minute = train_seconds_per_minute
        self._creations = (CreationRateLimiter(creations_per_minute, max_clients=max_tracked_clients)
                           if creations_per_minute is not None else None)
        self._clock = clock
        self._entries: dict[str, Entry] = {}
        self._lost: OrderedDict[str, None] = OrderedDict()
        self._creating = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def create(self, spec: TrainingSpec, *, client: str = "") -> tuple[str, dict[str, Any]]:
        """A new session for ``client`` (its address) and its ``describe``; raises ``TooManySessions``,
        ``TooManyRequests`` or ``ValueError`` (a spec the engine refuses, an unknown ``dataset_id``)."""
        self.reap()
        spec = self.datasets.resolve_spec(spec)
        if len(self._entries) + self._creating >= self.max_sessions:
            raise TooManySessions(f"The server holds its maximum of {self.max_sessions} sessions; try again later",
                                  self._seconds_until_one_expires(self._clock()), code="too_many_sessions",
                                  params={"max_sessions": self.max_sessions})
        if self._creations is not None:
            try:
                self._creations.acquire(client, self._clock())
            except LimitExceeded as e:
                raise TooManyRequests(str(e), e.retry_after, code=e.code, params=e.params) from None
        session_id = secrets.token_urlsafe(16)  # 128 random bits
        self._creating += 1
        try:
            described = await self.backend.add(session_id, spec, client=client)
        except LimitExceeded as e:  # a limit the backend holds across web servers
            kind = TooManySessions if e.code == "too_many_sessions" else TooManyRequests
            raise kind(str(e), e.retry_after, code=e.code, params=e.params) from None
        finally:
            self._creating -= 1
        now = self._clock()
        budget = ComputeBudget(self.train_seconds_per_minute or float("inf"))
        self._entries[session_id] = Entry(budget, created=now, last_used=now)
        return session_id, described

    def entry(self, session_id: str) -> Entry:
        """The session's entry, its idle time restarted; raises ``SessionNotFound`` or ``SessionLost``."""
        entry = self._live(session_id)
        if entry is None:
            if session_id in self._lost:
                raise SessionLost(session_id)
            raise SessionNotFound(session_id)
        entry.last_used = self._clock()
        return entry

    async def find(self, session_id: str) -> Entry:
        """``entry``, for a session another web server created too (a backend they share): this server
        takes it on. Raises ``SessionNotFound`` or ``SessionLost``."""
        if session_id not in self._entries and session_id not in self._lost:
            try:
                hosted = await self.backend.adopt(session_id)
            except SessionLost:
                self._remember_lost(session_id)
                raise
            if hosted and session_id not in self._entries:
                now = self._clock()
                self._entries[session_id] = Entry(ComputeBudget(self.train_seconds_per_minute or float("inf")),
                                                  created=now, last_used=now)
        return self.entry(session_id)

    def delete(self, session_id: str) -> None:
        """Free a session; deleting a lost one forgets it. Raises ``SessionNotFound`` for an unknown id."""
        if self._entries.pop(session_id, None) is not None:
            self.backend.remove(session_id)
        elif session_id in self._lost:
            del self._lost[session_id]
        else:
            raise SessionNotFound(session_id)

    def exists(self, session_id: str) -> bool:
        return self._live(session_id) is not None

    async def call(self, session_id: str, op: str, **kwargs: Any) -> Any:
        """Run operation ``op`` (``app.sessions.operations``) on the session where it lives. A live change
        (``update``) naming an uploaded dataset carries its points from here (``DatasetStore.resolve``)."""
        await self.find(session_id)
        if op == "update":
            kwargs["changes"] = self.datasets.resolve(kwargs["changes"])
        try:
            return await self.backend.call(session_id, op, **kwargs)
        except NotHosted:  # deleted while the call was on its way (here, or through another web server)
            self._entries.pop(session_id, None)
            raise SessionNotFound(session_id) from None
        except SessionLost:
            self._mark_lost(session_id)
            raise

    def group_key(self, session_id: str) -> Hashable | None:
        """Sessions with one key (not None) may train in one ``frames`` call (``SessionBackend.group_key``)."""
        return self.backend.group_key(session_id)

    async def frames(self, session_ids: Sequence[str], epochs: Sequence[int], *, resolution: int,
                     neuron_resolution: int) -> list[Any]:
        """The ``frame`` operation of every session, each with its own ``epochs``, in one backend call
        (``SessionBackend.call_group``): per session its ``Frame`` or the exception its own ``call`` would
        raise (``SessionNotFound``, ``SessionLost``), so a member that went away costs the others nothing."""
        out: list[Any] = [None] * len(session_ids)
        live = []
        for i, session_id in enumerate(session_ids):
            try:
                self.entry(session_id)
                live.append(i)
            except (SessionNotFound, SessionLost) as e:
                out[i] = e
        results = await self.backend.call_group([session_ids[i] for i in live], [epochs[i] for i in live],
                                                resolution=resolution, neuron_resolution=neuron_resolution)
        for i, result in zip(live, results):
            session_id = session_ids[i]
            if isinstance(result, NotHosted):
                self._entries.pop(session_id, None)
                result = SessionNotFound(session_id)
            elif isinstance(result, SessionLost):
                self._mark_lost(session_id)
            out[i] = result
        return out

    # Training time. REST training goes through ``train``; a caller that trains by other means (the live
    # stream runs training and drawing in one call) checks ``budget_left`` and reports with ``charge``.

    async def train(self, session_id: str, epochs: int) -> dict[str, Any]:
        """Train ``epochs`` epochs within the session's budget, charging the time it took.

        Returns ``operations.train``'s answer (``diverged`` says whether this run diverged). Raises
        ``BudgetExhausted`` before training when nothing is left, and ``Diverged`` when the session had
        already diverged (nothing trained).
        """
        await self.find(session_id)
        self.check_budget(session_id)
        result = await self.call(session_id, "train", epochs=epochs)
        self.charge(session_id, result["seconds"])
        return result

    def charge(self, session_id: str, seconds: float) -> None:
        """Count ``seconds`` of training against the session's budget for the rolling minute (gone: no-op)."""
        entry = self._live(session_id)
        if entry is not None:
            entry.budget.charge(seconds, self._clock())

    def budget_left(self, session_id: str) -> float:
        """Training seconds the session may still use in the rolling minute (zero or less: wait)."""
        return self.entry(session_id).budget.left(self._clock())

    def budget_retry_after(self, session_id: str) -> float:
        """Seconds until the session may train again (0 when it may now)."""
        return self.entry(session_id).budget.retry_after(self._clock())

    def check_budget(self, session_id: str) -> None:
        """Raise ``BudgetExhausted`` (with ``retry_after``) when the session has no training time left."""
        try:
            self.entry(session_id).budget.check(self._clock())
        except LimitExceeded as e:
            raise BudgetExhausted(str(e), e.retry_after, code=e.code, params=e.params) from None

    def reap(self) -> list[str]:
        """Remove sessions idle longer than the TTL with no tab connected, or older than the lifetime cap."""
        now = self._clock()
        self.datasets.reap()
        stale = [sid for sid, e in self._entries.items() if self._expired(e, now)]
        for sid in stale:
            del self._entries[sid]
            self.backend.release(sid)
        for sid in [sid for sid in self._entries if self.backend.lost(sid)]:
            self._mark_lost(sid)
        return stale

    def _seconds_until_one_expires(self, now: float) -> float:
        """When the first session is due for removal if nobody uses it meanwhile. Sessions with a tab open
        go only at the lifetime cap; with none due at all, a tab may close any time: guess one TTL."""
        due = [e.created + self.max_lifetime_seconds - now for e in self._entries.values()]
        due += [e.last_used + self.ttl_seconds - now for e in self._entries.values() if e.connections == 0]
        return min((d for d in due if math.isfinite(d)), default=self.ttl_seconds)

    def _expired(self, entry: Entry, now: float) -> bool:
        if now - entry.created > self.max_lifetime_seconds:
            return True
        return entry.connections == 0 and now - entry.last_used > self.ttl_seconds

    def _live(self, session_id: str) -> Entry | None:
        """The entry, unless it is gone or due for reaping (then it goes now, not at the next sweep)."""
        entry = self._entries.get(session_id)
        if entry is not None and self._expired(entry, self._clock()):
            del self._entries[session_id]
            self.backend.release(session_id)
            return None
        if entry is not None and self.backend.lost(session_id):
            self._mark_lost(session_id)
            return None
        return entry

    def _mark_lost(self, session_id: str) -> None:
        """Forget a lost session but remember its id, so it answers "lost" rather than "not found"."""
        if self._entries.pop(session_id, None) is not None:
            self.backend.remove(session_id)
            self._remember_lost(session_id)

    def _remember_lost(self, session_id: str) -> None:
        self._lost[session_id] = None
        while len(self._lost) > LOST_REMEMBERED:
            self._lost.popitem(last=False)

    def clear(self) -> None:
        """Let go of every session (at shutdown); the backend stays usable, and one shared with other web
        servers keeps the sessions they use."""
        for session_id in self._entries:
            self.backend.release(session_id)
        self._entries.clear()

