"""Fair-use limits: how often one client may create sessions, and how much training one session may run.

Both take the time as an argument (``now``, from the manager's clock) so tests can drive them without sleeping.
"""

import math
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any


class LimitExceeded(RuntimeError):
    """A fair-use limit was reached; ``retry_after`` is how many seconds until it frees up (at least 1).

    ``code`` and ``params`` name the limit for a page that says it in its own language (app/error_codes.py)."""

    def __init__(self, message: str, retry_after: float, *, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))
        self.code = code
        self.params = {**(params or {}), "retry_after": self.retry_after}


@dataclass
class _Bucket:
    tokens: float
    updated: float


class CreationRateLimiter:
    """A token bucket per client: ``per_minute`` creations at once, then one every ``60 / per_minute`` seconds.

    At most ``max_clients`` buckets are kept. The least recently seen client is forgotten first; a client not
    seen for a minute has a full bucket anyway, so forgetting it changes nothing.
    """

    def __init__(self, per_minute: int, *, max_clients: int) -> None:
        if per_minute < 1 or max_clients < 1:
            raise ValueError(f"per_minute and max_clients must be at least 1; received {per_minute}, {max_clients}")
        self.per_minute = per_minute
        self.max_clients = max_clients
        self._rate = per_minute / 60.0  # tokens per second
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def acquire(self, client: str, now: float) -> None:
        """Take one creation for ``client``, or raise ``LimitExceeded`` saying when the next one is allowed."""
        self._forget_full(now)
        bucket = self._buckets.pop(client, None)
        if bucket is None:
            bucket = _Bucket(tokens=float(self.per_minute), updated=now)
        else:
            bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
        self._buckets[client] = bucket  # most recently seen last
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens < 1:
            wait = (1 - bucket.tokens) / self._rate
            raise LimitExceeded(f"Too many new sessions from this client: at most {self.per_minute} per minute; "
                                f"try again in {math.ceil(wait)} s", wait,
                                code="too_many_new_sessions", params={"per_minute": self.per_minute})
        bucket.tokens -= 1

    def _forget_full(self, now: float) -> None:
        """Drop clients whose bucket has refilled: keeping them would only cost memory."""
        refill = self.per_minute / self._rate
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.updated < refill:
                break
            self._buckets.popitem(last=False)


class ComputeBudget:
    """Training seconds one session may use in any rolling ``window`` seconds.

    Charges are summed per whole second, so memory stays at most ``window + 1`` slots however often a
    stream charges. A call is allowed while anything is left; the call that crosses the line is charged in
    full, and the session then waits until enough of the window has rolled past.
    """

    def __init__(self, seconds: float, *, window: float = 60.0) -> None:
        if seconds <= 0 or window <= 0:
            raise ValueError(f"seconds and window must be positive; received {seconds}, {window}")
        self.seconds = seconds
        self.window = window
        self._slots: deque[list[float]] = deque()  # [start of the second, seconds charged in it]

    def __repr__(self) -> str:
        return f"ComputeBudget(seconds={self.seconds}, window={self.window}, slots={len(self._slots)})"

    def charge(self, seconds: float, now: float) -> None:
        if seconds < 0:
            raise ValueError(f"a charge cannot be negative; received {seconds}")
        self._expire(now)
        second = math.floor(now)
        if self._slots and self._slots[-1][0] == second:
            self._slots[-1][1] += seconds
        else:
            self._slots.append([second, seconds])

    def used(self, now: float) -> float:
        self._expire(now)
        return sum(s for _, s in self._slots)

    def left(self, now: float) -> float:
        """Seconds of training still allowed in the current window; zero or less means wait."""
        return self.seconds - self.used(now)

    def retry_after(self, now: float) -> float:
        """Seconds until some budget is free again (0 if some is free now)."""
        used = self.used(now)
        if used < self.seconds:
            return 0.0
        for start, spent in self._slots:  # oldest first: the order in which they leave the window
            used -= spent
            if used < self.seconds:
                return max(0.0, start + 1 + self.window - now)
        return self.window  # not reached: with every slot gone nothing is used

    def check(self, now: float) -> None:
        """Raise ``LimitExceeded`` when nothing is left."""
        if self.left(now) <= 0:
            wait = self.retry_after(now)
            raise LimitExceeded(f"This session used its training budget of {self.seconds:g} s per "
                                f"{self.window:g} s; try again in {math.ceil(wait)} s", wait,
                                code="training_budget_exhausted", params={"seconds": self.seconds, "window": self.window})

    def _expire(self, now: float) -> None:
        while self._slots and self._slots[0][0] + 1 + self.window <= now:
            self._slots.popleft()
