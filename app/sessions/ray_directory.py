"""The session directory of a Ray cluster: one named, detached actor every web server shares.

It knows which host actor holds each session (so any web server can reach any session), the limits that must
hold cluster-wide (live sessions, new sessions per client per minute, a session's lifetime) and which host
actors exist. Its methods run one at a time (a Ray actor without concurrency), so a check and the placement it
allows are one step even when several web servers create at once.

Sessions are held by the web servers that use them (``holders``): one that lets a session expire releases
it, and the session goes when the last holder lets go, or when any server deletes it, or at its lifetime cap.
A host that died is replaced under a new name; its sessions are remembered as lost.
"""

import itertools
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import ray

from app.sessions.limits import CreationRateLimiter, LimitExceeded
from app.sessions.placement import choose
from app.sessions.ray_host import SessionHost

LOST = "lost"  # what ``find`` answers for a session whose host died
LOST_REMEMBERED = 10_000


@dataclass
class HostRecord:
    handle: Any
    sessions: set[str] = field(default_factory=set)
    compiled: set[str | None] = field(default_factory=set)  # repr of each compile_key built here
    traced: set[str | None] = field(default_factory=set)  # repr of each kind_key built here


@dataclass
class SessionRecord:
    host: str
    holders: set[str]
    created: float


@ray.remote(num_cpus=0)
class SessionDirectory:
    """``hosts`` host actors (``host_options``: Ray actor options such as ``num_cpus``; ``host_args``: the
    actor's own) in ``namespace``, ``max_sessions`` live sessions, ``creations_per_minute`` per client (None:
    off) and sessions removed at ``max_lifetime_seconds``."""

    def __init__(self, *, namespace: str, hosts: int, host_options: dict[str, Any], host_args: dict[str, Any],
                 max_sessions: int, creations_per_minute: int | None, max_tracked_clients: int,
                 max_lifetime_seconds: float) -> None:
        self._namespace = namespace
        self._host_options, self._host_args = host_options, host_args
        self._max_sessions = max_sessions
        self._max_lifetime = max_lifetime_seconds
        self._creations = (CreationRateLimiter(creations_per_minute, max_clients=max_tracked_clients)
                           if creations_per_minute is not None else None)
        self._generations = itertools.count()
        self._hosts: dict[str, HostRecord] = {}
        self._sessions: dict[str, SessionRecord] = {}
        self._lost: OrderedDict[str, None] = OrderedDict()
        self.replaced = 0
        for _ in range(hosts):
            self._spawn()

    def __repr__(self) -> str:
        return f"SessionDirectory(hosts={len(self._hosts)}, sessions={len(self._sessions)})"

    def _spawn(self) -> str:
        name = f"tp-host-{next(self._generations)}"
        handle = SessionHost.options(name=name, namespace=self._namespace, lifetime="detached",
                                     **self._host_options).remote(**self._host_args)
        self._hosts[name] = HostRecord(handle)
        return name

    # -- hosts ---------------------------------------------------------------------------------

    def hosts(self) -> list[str]:
        """The names of the live host actors."""
        return list(self._hosts)

    def compiled(self, host: str, key: str | None, kind: str | None) -> None:
        """``host`` compiled a network (prewarm): placement prefers it for that network."""
        record = self._hosts.get(host)
        if record is not None:
            record.compiled.add(key)
            record.traced.add(kind)

    def host_died(self, host: str) -> str | None:
        """A web server saw ``host`` die: its sessions are lost, a new host takes its place (returns its name;
        None if another server reported it first)."""
        record = self._hosts.pop(host, None)
        if record is None:
            return None
        ray.kill(record.handle, no_restart=True)  # a detached actor that only seemed dead would hold its CPUs
        for session_id in record.sessions:
            self._sessions.pop(session_id, None)
            self._lost[session_id] = None
        while len(self._lost) > LOST_REMEMBERED:
            self._lost.popitem(last=False)
        self.replaced += 1
        return self._spawn()

    def stats(self) -> dict[str, Any]:
        return {"hosts": {name: len(r.sessions) for name, r in self._hosts.items()},
                "sessions": len(self._sessions), "lost": len(self._lost), "replaced": self.replaced}

    # -- sessions ------------------------------------------------------------------------------

    def place(self, session_id: str, key: str | None, kind: str | None, client: str, holder: str) -> tuple:
        """Admit a new session and choose its host: ``("host", name)``, or ``("limit", code, message,
        retry_after, params)`` when a cluster-wide limit refuses it (nothing is taken then)."""
        now = time.monotonic()
        self._expire(now)
        if len(self._sessions) >= self._max_sessions:
            oldest = min((r.created for r in self._sessions.values()), default=now)
            return ("limit", "too_many_sessions",
                    f"The server holds its maximum of {self._max_sessions} sessions; try again later",
                    max(1.0, oldest + self._max_lifetime - now) if self._max_lifetime < float("inf") else 60.0,
                    {"max_sessions": self._max_sessions})
        if self._creations is not None:
            try:
                self._creations.acquire(client, now)
            except LimitExceeded as e:
                return ("limit", e.code, str(e), e.retry_after, {"per_minute": self._creations.per_minute})
        name = choose(list(self._hosts), key, kind, load=lambda h: len(self._hosts[h].sessions),
                      compiled=lambda h: self._hosts[h].compiled, traced=lambda h: self._hosts[h].traced)
        record = self._hosts[name]
        record.sessions.add(session_id)
        record.compiled.add(key)
        record.traced.add(kind)
        self._sessions[session_id] = SessionRecord(name, {holder}, now)
        return ("host", name)

    def find(self, session_id: str, holder: str) -> str | None:
        """The host of ``session_id`` (``holder`` now holds it too), ``LOST``, or None for an unknown id."""
        record = self._sessions.get(session_id)
        if record is None:
            return LOST if session_id in self._lost else None
        record.holders.add(holder)
        return record.host

    def holders(self, session_id: str) -> int:
        """How many web servers hold the session (0: not here)."""
        record = self._sessions.get(session_id)
        return 0 if record is None else len(record.holders)

    def release(self, session_id: str, holder: str) -> None:
        """``holder`` no longer uses the session (it expired there); the last holder's release removes it."""
        record = self._sessions.get(session_id)
        if record is not None:
            record.holders.discard(holder)
            if not record.holders:
                self.forget(session_id)

    def forget(self, session_id: str) -> None:
        """Remove the session now, on its host too (deleted, or its build failed). A lost one stays lost: every
        server that asks hears so."""
        record = self._sessions.pop(session_id, None)
        if record is None:
            return
        host = self._hosts.get(record.host)
        if host is not None:
            host.sessions.discard(session_id)
            host.handle.run.remote("remove", session_id)  # answered when done; nobody waits

    def _expire(self, now: float) -> None:
        for session_id in [s for s, r in self._sessions.items() if now - r.created > self._max_lifetime]:
            self.forget(session_id)
