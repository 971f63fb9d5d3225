"""``RayBackend``: sessions live in host actors of a Ray cluster, shared by every web server connected to it.

The cluster holds what the web servers share: a named, detached ``SessionDirectory`` (session id → host
actor, the cluster-wide limits) and its ``SessionHost`` actors, spread over the cluster's nodes, each hosting
many sessions. A web server only forwards named operations (``app.sessions.operations``) to the host of a
session, so a session created through one server can be trained and streamed through any other.

- Placement is the worker pool's rule (``app.sessions.placement``), applied by the directory over every host.
- A host that dies costs only its sessions: calls on them raise ``SessionLost`` (410, stream 1011) and the
  directory starts a new host in its place. Each server pings the hosts it knows, so a death is noticed even
  when nobody calls.
- A web server that stops costs nothing but its sockets: the sessions are the cluster's.

Connecting: ``address`` (``RAY_ADDRESS``: ``ray://...`` or ``host:port`` of a running cluster) or, with none,
a local Ray started here on 127.0.0.1 with no dashboard.
"""

import asyncio
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any


def on_this_machine(address: str | None) -> bool:
    """Whether ``address`` (RAY_ADDRESS) names a Ray on this machine, or none (the app starts one here)."""
    host = (address or "127.0.0.1").split("://")[-1].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")


# Ray binds every server it starts (GCS, raylet, workers, agents) to all interfaces unless its single-machine
# mode is on, which it reads when imported: a Ray on this machine listens on 127.0.0.1 only.
if on_this_machine(os.environ.get("RAY_ADDRESS") or os.environ.get("TP_RAY_ADDRESS")):
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

import ray  # noqa: E402
from ray.exceptions import RayActorError  # noqa: E402

from app.engine.spec import TrainingSpec  # noqa: E402
from app.sessions.backend import NotHosted, SessionBackend, SessionLost  # noqa: E402
from app.sessions.limits import LimitExceeded  # noqa: E402
from app.sessions.placement import compile_key, kind_key  # noqa: E402
from app.sessions.ray_directory import LOST as DIRECTORY_LOST, SessionDirectory  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)

LOST = ("The Ray host actor that hosted this session stopped unexpectedly; its training state is lost. "
        "Create a new session.")
DIRECTORY = "tp-directory"
PING_SECONDS = 1.0  # how often each host is asked whether it lives
MAX_READY_ROUNDS = 3  # replacements of hosts that died while starting before ready() gives up
_init_lock = threading.Lock()


def connect(address: str | None) -> None:
    """Join the cluster at ``address`` (once per process), or start a local one bound to loopback."""
    with _init_lock:
        if ray.is_initialized():
            return
        job = ray.job_config.JobConfig(code_search_path=[str(ROOT)])
        if address:
            ray.init(address=address, job_config=job, log_to_driver=False)
        else:  # never listen beyond this machine, and no dashboard (Ray's job API has no authentication)
            ray.init(include_dashboard=False, _node_ip_address="127.0.0.1", job_config=job, log_to_driver=False)


class RayBackend(SessionBackend):
    """Sessions in ``hosts`` host actors of ``cpus_per_host`` CPUs (as many TensorFlow threads), each running
    ``threads`` calls at a time, in Ray ``namespace``. The limits are the directory's, cluster-wide; the
    first web server to reach a cluster creates the directory with its own."""

    def __init__(self, *, address: str | None, namespace: str, hosts: int, cpus_per_host: float = 1,
                 threads: int = 1, jit_compile: bool = True, max_sessions: int,
                 creations_per_minute: int | None = None, max_tracked_clients: int = 10_000,
                 max_lifetime_seconds: float = float("inf")) -> None:
        if hosts < 1:
            raise ValueError(f"hosts must be at least 1; received {hosts}")
        self._address = address
        self._namespace = namespace
        self._hosts = hosts
        self._threads = threads
        self._directory_args = {
            "namespace": namespace, "hosts": hosts, "max_sessions": max_sessions,
            "creations_per_minute": creations_per_minute, "max_tracked_clients": max_tracked_clients,
            "max_lifetime_seconds": max_lifetime_seconds,
            "host_options": {"num_cpus": cpus_per_host, "max_concurrency": threads, "scheduling_strategy": "SPREAD"},
            "host_args": {"jit_compile": jit_compile, "tf_threads": max(1, int(cpus_per_host))}}
        self.holder = uuid.uuid4().hex  # this web server, as the directory knows it
        self._directory: Any = None
        self._handles: dict[str, Any] = {}  # host name -> actor handle
        self._where: dict[str, str] = {}  # session id -> host name, as far as this server has seen
        self._dead: set[str] = set()  # hosts seen dead
        self._watchers: dict[str, asyncio.Task] = {}
        self._prewarm: tuple[int, int] | None = None
        self._join_lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"RayBackend(namespace={self._namespace!r}, hosts={len(self._handles)}, sessions={len(self._where)})"

    # -- the cluster ---------------------------------------------------------------------------

    async def ready(self) -> None:
        """Join the cluster, find (or create) the directory, and wait until every host answers."""
        if self._directory is None:
            await asyncio.to_thread(self._join)
        for _ in range(MAX_READY_ROUNDS):  # a host may die while starting (its node went): its replacement then
            names = await self._directory.hosts.remote()
            answers = await asyncio.gather(*(self._ping(name) for name in names))
            if all(answers):
                self._watch(names)
                return
        raise RuntimeError(f"Ray host actors kept dying while starting, {MAX_READY_ROUNDS} times; see Ray's logs")

    async def _ping(self, name: str) -> bool:
        """Whether host ``name`` answers (waiting while it starts); a dead one is reported and replaced."""
        try:
            await self._handle(name).ping.remote()
            return True
        except (RayActorError, SessionLost):
            self._died(name)
            return False

    def _join(self) -> None:
        with self._join_lock:
            if self._directory is None:
                connect(self._address)
                # On the head node: losing the head loses the cluster anyway, while any other node may go
                self._directory = SessionDirectory.options(
                    name=DIRECTORY, namespace=self._namespace, lifetime="detached", get_if_exists=True,
                    resources={"node:__internal_head__": 0.001}).remote(**self._directory_args)

    def _handle(self, name: str) -> Any:
        handle = self._handles.get(name)
        if handle is None:
            try:
                handle = self._handles[name] = ray.get_actor(name, namespace=self._namespace)
            except ValueError:  # no actor by that name any more: it died and its name went with it
                self._died(name)
                raise SessionLost(LOST) from None
        return handle

    def _watch(self, names: list[str]) -> None:
        """Ping each host on this event loop (an app served again gets a new loop: its old pings ended)."""
        loop = asyncio.get_running_loop()
        for name in names:
            task = self._watchers.get(name)
            if task is not None and not task.done() and task.get_loop() is loop:
                continue
            if name in self._dead or self._closed:
                continue
            self._watchers[name] = loop.create_task(self._ping_forever(name))
            if task is None:
                self._warm(name)

    async def _ping_forever(self, name: str) -> None:
        """Notice a host's death when nobody calls it; then learn of its replacement."""
        try:
            handle = self._handle(name)
            while not self._closed:
                await handle.ping.remote()
                await asyncio.sleep(PING_SECONDS)
        except (RayActorError, SessionLost):
            self._died(name)
            while not self._closed:  # the directory names the replacement at once; it answers once started
                names = await self._directory.hosts.remote()
                if name not in names:
                    self._watch(names)
                    return
                await asyncio.sleep(PING_SECONDS)

    def _died(self, name: str) -> None:
        if name not in self._dead:
            self._dead.add(name)
            self._handles.pop(name, None)
            log.warning("Ray host %s died; its sessions are lost", name)
            self._directory.host_died.remote(name)  # idempotent: the first report replaces it

    def prewarm(self, resolution: int, neuron_resolution: int) -> None:
        """Compile the default network on every host now, and on every host started from now on."""
        self._prewarm = (resolution, neuron_resolution)
        for name in list(self._watchers):
            self._warm(name)

    def _warm(self, name: str) -> None:
        if name in self._dead or self._prewarm is None:
            return
        spec = TrainingSpec()
        try:
            self._handle(name).run.remote("prewarm", "", (spec, *self._prewarm))  # answered when done; unread
        except SessionLost:
            return
        self._directory.compiled.remote(name, repr(compile_key(spec)), repr(kind_key(spec)))

    async def stats(self) -> dict[str, Any]:
        """The directory's counts: sessions per host, lost sessions, hosts replaced."""
        return await self._directory.stats.remote()

    async def node_of(self, session_id: str) -> str | None:
        """The Ray node hosting ``session_id`` (for diagnostics and tests)."""
        name = self._where.get(session_id)
        return None if name is None else (await self._handle(name).ping.remote())["node"]

    def host_of(self, session_id: str) -> str | None:
        """The host actor's name for ``session_id``, as this server has seen it."""
        return self._where.get(session_id)

    # -- sessions ------------------------------------------------------------------------------

    async def add(self, session_id: str, spec: TrainingSpec, *, client: str = "") -> dict[str, Any]:
        if not self._watchers:  # not ready yet (the app's start-up waits for ready() itself)
            await self.ready()
        key, kind = repr(compile_key(spec)), repr(kind_key(spec))
        for attempt in range(3):  # a host dying just now is no reason to refuse the session
            answer = await self._directory.place.remote(session_id, key, kind, client, self.holder)
            if answer[0] == "limit":
                _, code, message, retry_after, params = answer
                raise LimitExceeded(message, retry_after, code=code, params=params)
            name = answer[1]
            self._where[session_id] = name
            try:
                return await self._run(name, "add", session_id, spec)
            except SessionLost:
                self._forget(session_id)
                if attempt == 2:
                    raise
            except BaseException:
                self._forget(session_id)
                raise
        raise AssertionError("unreachable")

    async def adopt(self, session_id: str) -> bool:
        """Whether the cluster hosts ``session_id`` (created through another server); raises ``SessionLost``
        for one whose host died."""
        if self._directory is None:
            await asyncio.to_thread(self._join)
        name = await self._directory.find.remote(session_id, self.holder)
        if name == DIRECTORY_LOST:
            raise SessionLost(LOST)
        if name is None:
            return False
        self._where[session_id] = name
        return True

    async def call(self, session_id: str, op: str, **kwargs: Any) -> Any:
        name = self._where.get(session_id)
        if name is None:
            raise NotHosted(session_id)
        return await self._run(name, "call", session_id, (op, kwargs))

    async def _run(self, name: str, command: str, session_id: str, payload: Any) -> Any:
        if name in self._dead:
            raise SessionLost(LOST)
        try:
            ok, value = await self._handle(name).run.remote(command, session_id, payload)
        except RayActorError:
            self._died(name)
            raise SessionLost(LOST) from None
        if not ok:
            raise value
        return value

    def remove(self, session_id: str) -> None:
        self._where.pop(session_id, None)
        if self._directory is not None:
            self._directory.forget.remote(session_id)

    def release(self, session_id: str) -> None:
        """This server lets the session go (it expired here); the cluster keeps it while others hold it."""
        self._where.pop(session_id, None)
        if self._directory is not None:
            self._directory.release.remote(session_id, self.holder)

    def _forget(self, session_id: str) -> None:
        self._where.pop(session_id, None)
        self._directory.forget.remote(session_id)

    def lost(self, session_id: str) -> bool:
        return self._where.get(session_id) in self._dead

    @property
    def capacity(self) -> int:
        """Hosts × the calls each runs at a time."""
        return self._hosts * self._threads

    def close(self) -> None:
        """Stop watching; the hosts and their sessions stay the cluster's (other servers may use them)."""
        self._closed = True
        for task in self._watchers.values():
            task.cancel()
        self._watchers.clear()
