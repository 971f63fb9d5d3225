"""``ProcessBackend``: sessions live in a pool of worker processes, so training never holds the web process.

Each worker (``app.sessions.worker``) hosts many sessions and runs operations on them; the web process only
forwards named operations and their plain-data answers. A new session goes where ``app.sessions.placement`` says.

- A worker that dies (a crash, ``kill -9``) takes only its own sessions with it: they raise ``SessionLost``
  from then on, every other session carries on, and a fresh worker takes the dead one's place.
- TensorFlow never gives back all the memory of a dropped session (~0.7 MB each), so a worker is recycled
  after ``recycle_after_sessions`` sessions or above ``recycle_rss_bytes``: a fresh worker starts, each live
  session is copied to it and its functions compiled there while the old copy keeps serving, then the
  session is paused for one last copy of its state (milliseconds) and its calls go to the new worker.
"""

import asyncio
import itertools
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
from concurrent.futures import Future, InvalidStateError
from multiprocessing.connection import Connection
from pathlib import Path
from collections.abc import Hashable, Sequence
from typing import Any, Callable

from app.engine.frames import Frame
from app.engine.spec import TrainingSpec
from app.engine.trainer import Architecture, Kind
from app.sessions import operations
from app.sessions.backend import NotHosted, SessionBackend, SessionLost
from app.sessions.placement import choose, compile_key, kind_key
from app.sessions.worker import process_rss

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)

LOST = ("The worker process that hosted this session stopped unexpectedly; its training state is lost. "
        "Create a new session.")
MAX_FAILED_STARTS = 3  # workers dying before their first answer: a broken install, not bad luck
POLL_SECONDS = 0.002  # how often a call waits on a session being moved (rare, and only for milliseconds)


class WorkerProcess:
    """The web process's handle on one worker: its process, its socket and the calls awaiting an answer.

    A reader thread takes the answers off the socket and completes the calls; when the socket closes (the
    worker exited) it fails the calls still waiting with ``SessionLost`` and reports with ``on_exit``.
    """

    def __init__(self, *, tf_threads: int, threads: int, jit_compile: bool,
                 on_exit: Callable[["WorkerProcess"], None]) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "TP_TF_INTRA_OP_THREADS": str(tf_threads), "TP_TF_INTER_OP_THREADS": str(tf_threads)}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.sessions.worker", str(theirs.fileno()), str(threads),
                 "1" if jit_compile else "0"], cwd=ROOT, env=env, pass_fds=(theirs.fileno(),))
        finally:
            theirs.close()
        self.pid = self.process.pid
        self.conn = Connection(ours.detach())
        self.sessions: set[str] = set()  # hosted here now
        self.created = 0  # sessions ever built here (each leaks a little)
        self.compiled: set[Architecture | None] = set()  # compile_key of every session built here
        self.traced: set[Kind | None] = set()  # kind_key of every session built here
        self.alive = True
        self.answered = False  # it started: TensorFlow imported, requests served
        self.retiring = False  # takes no new sessions; closes once its sessions moved
        self._pending: dict[int, Future] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()  # guards _pending and alive
        self._send_lock = threading.Lock()
        self._on_exit = on_exit
        self._reader = threading.Thread(target=self._read, name=f"worker-{self.pid}", daemon=True)
        self._reader.start()

    def __repr__(self) -> str:
        return f"WorkerProcess(pid={self.pid}, sessions={len(self.sessions)}, alive={self.alive})"

    def request(self, command: str, session_id: str = "", payload: Any = None) -> Future:
        """Send one request (from any thread); the future completes with the answer or the exception."""
        future: Future = Future()
        with self._lock:
            if not self.alive:
                future.set_exception(SessionLost(LOST))
                return future
            request_id = next(self._ids)
            self._pending[request_id] = future
        try:
            with self._send_lock:
                self.conn.send((request_id, command, session_id, payload))
        except (OSError, ValueError):  # closed meanwhile; the reader fails what is still pending
            with self._lock:
                self._pending.pop(request_id, None)
            _complete(future, error=SessionLost(LOST))
        return future

    async def ask(self, command: str, session_id: str = "", payload: Any = None) -> Any:
        return await asyncio.wrap_future(self.request(command, session_id, payload))

    def _read(self) -> None:
        try:
            while True:
                request_id, ok, value = pickle.loads(self.conn.recv_bytes())
                self.answered = True
                with self._lock:
                    future = self._pending.pop(request_id, None)
                if future is not None:
                    _complete(future, **({"result": value} if ok else {"error": value}))
        except (EOFError, OSError):
            pass
        except Exception:
            log.exception("worker %s sent an unreadable answer; stopping it", self.pid)
            self.process.kill()
        with self._lock:
            self.alive = False
            pending, self._pending = self._pending, {}
        for future in pending.values():
            _complete(future, error=SessionLost(LOST))
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()
        self._on_exit(self)

    def close(self, timeout: float = 5.0) -> None:
        """Ask the worker to leave (its socket closes) and wait for it; kill it if it lingers."""
        self.retiring = True
        try:  # end our side's writing: the worker reads end-of-file and exits, then the reader sees it go
            with socket.socket(fileno=os.dup(self.conn.fileno())) as s:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # already closed
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout)


def _remember(worker: "WorkerProcess", spec: TrainingSpec) -> None:
    worker.compiled.add(compile_key(spec))
    worker.traced.add(kind_key(spec))


def _complete(future: Future, *, result: Any = None, error: BaseException | None = None) -> None:
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass  # the caller gave up waiting (cancelled)


class ProcessBackend(SessionBackend):
    """Sessions in ``workers`` worker processes, each with ``tf_threads`` TensorFlow threads and ``threads``
    calls at a time. ``prewarm`` (output and neuron resolution) compiles the default network in every new
    worker, and any moved session's functions before it moves."""

    def __init__(self, *, workers: int, tf_threads: int = 1, threads: int = 1, jit_compile: bool = True,
                 recycle_after_sessions: int | None = None, recycle_rss_bytes: int | None = None,
                 prewarm: tuple[int, int] | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1; received {workers}")
        self._options = {"tf_threads": tf_threads, "threads": threads, "jit_compile": jit_compile}
        self.recycle_after_sessions = recycle_after_sessions
        self.recycle_rss_bytes = recycle_rss_bytes
        self._prewarm = prewarm
        self._lock = threading.Lock()  # guards _workers (the reader threads replace dead workers)
        self._closed = False
        self._where: dict[str, WorkerProcess] = {}  # session id -> its worker (a dead one: the session is lost)
        self._architectures: dict[str, Hashable | None] = {}  # session id -> operations.group_key of its spec
        self._busy: dict[str, int] = {}  # calls in flight per session
        self._moving: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        self._failed_starts = 0
        self.restarts = 0  # workers replaced after dying
        self.recycled = 0  # workers retired after their sessions moved
        self._size = workers
        self._workers: list[WorkerProcess] = []
        self._started = False

    def start(self) -> None:
        """Start the workers (once; the first use does it): building the app spawns nothing."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            self._workers = [self._spawn() for _ in range(self._size)]

    # -- the pool ------------------------------------------------------------------------------

    async def ready(self) -> None:
        """Start the workers and wait until each answers (TensorFlow imported: a few seconds)."""
        self.start()
        try:
            await asyncio.gather(*(w.ask("stats") for w in self.workers()))
        except SessionLost:
            raise RuntimeError("a worker process exited while starting; see its output above") from None

    def prewarm(self, resolution: int, neuron_resolution: int) -> None:
        """Compile the default network in every worker now, and in every worker started from now on."""
        self._prewarm = (resolution, neuron_resolution)
        if not self._started:
            self.start()  # each new worker prewarms
            return
        for worker in self.workers():
            worker.request("prewarm", payload=(TrainingSpec(), resolution, neuron_resolution))
            _remember(worker, TrainingSpec())

    def _spawn(self) -> WorkerProcess:
        worker = WorkerProcess(**self._options, on_exit=self._exited)
        if self._prewarm is not None:
            worker.request("prewarm", payload=(TrainingSpec(), *self._prewarm))  # answered when done; unread
            _remember(worker, TrainingSpec())
        return worker

    def _exited(self, worker: WorkerProcess) -> None:
        """A worker's socket closed (reader thread): replace it unless it was retired or we are closing."""
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            if self._closed or worker.retiring:
                return
            self._failed_starts = 0 if worker.answered else self._failed_starts + 1
            if self._failed_starts > MAX_FAILED_STARTS:
                log.error("worker %s exited with code %s before it ever answered, %d times in a row; not "
                          "starting another", worker.pid, worker.process.returncode, self._failed_starts)
                return
            self.restarts += 1
            self._workers.append(replacement := self._spawn())
        log.warning("worker %s exited with code %s; its %d sessions are lost; worker %s replaces it",
                    worker.pid, worker.process.returncode, len(worker.sessions), replacement.pid)

    def workers(self) -> list[WorkerProcess]:
        with self._lock:
            return list(self._workers)

    def pid_of(self, session_id: str) -> int | None:
        """The process hosting ``session_id`` (for diagnostics and tests)."""
        worker = self._where.get(session_id)
        return worker.pid if worker is not None else None

    def _choose(self, spec: TrainingSpec) -> WorkerProcess:
        """A live worker by the placement rule (``app.sessions.placement.choose``)."""
        with self._lock:
            candidates = [w for w in self._workers if w.alive and not w.retiring] or self._workers
            if not candidates:
                raise RuntimeError("the worker pool is closed")
            return choose(candidates, compile_key(spec), kind_key(spec), load=lambda w: len(w.sessions),
                          compiled=lambda w: w.compiled, traced=lambda w: w.traced)

    # -- sessions ------------------------------------------------------------------------------

    async def add(self, session_id: str, spec: TrainingSpec, *, client: str = "") -> dict[str, Any]:
        self.start()
        for attempt in range(3):  # a worker dying just now is no reason to refuse the session
            worker = self._choose(spec)
            worker.sessions.add(session_id)
            worker.created += 1
            self._where[session_id] = worker
            try:
                described = await worker.ask("add", session_id, spec)
            except SessionLost:
                self._forget(session_id, worker)
                if attempt == 2:
                    raise
                continue
            except BaseException:
                self._forget(session_id, worker)
                raise
            _remember(worker, spec)
            self._learn(session_id, described)
            self._maybe_recycle(worker)
            return described
        raise AssertionError("unreachable")

    async def call(self, session_id: str, op: str, **kwargs: Any) -> Any:
        while session_id in self._moving:
            await asyncio.sleep(POLL_SECONDS)
        worker = self._where.get(session_id)
        if worker is None:
            raise NotHosted(session_id)
        self._hold(session_id)
        try:
            result = await worker.ask("call", session_id, (op, kwargs))
        finally:
            self._release(session_id)
        self._learn(session_id, result)
        return result

    def _hold(self, session_id: str) -> None:
        """A call on the session is in flight (a move waits for it)."""
        self._busy[session_id] = self._busy.get(session_id, 0) + 1

    def _release(self, session_id: str) -> None:
        left = self._busy[session_id] - 1
        if left:
            self._busy[session_id] = left
        else:
            del self._busy[session_id]

    def _learn(self, session_id: str, result: Any) -> None:
        """Keep the session's architecture as its latest ``describe`` says (a live batch size or data change
        may change it), for ``group_key``."""
        if isinstance(result, dict) and isinstance(result.get("spec"), TrainingSpec) and session_id in self._where:
            self._architectures[session_id] = operations.group_key(result["spec"], self._options["jit_compile"])

    def group_key(self, session_id: str) -> Hashable | None:
        """The worker and the architecture: only sessions of one worker can share a call."""
        worker = self._where.get(session_id)
        architecture = self._architectures.get(session_id)
        if worker is None or architecture is None or not worker.alive or session_id in self._moving:
            return None
        return worker.pid, architecture

    async def call_group(self, session_ids: Sequence[str], epochs: Sequence[int], *, resolution: int,
                         neuron_resolution: int) -> list[Frame | BaseException]:
        """One ``group`` request per worker hosting some of the sessions (one, as the player groups them)."""
        while any(session_id in self._moving for session_id in session_ids):
            await asyncio.sleep(POLL_SECONDS)
        out: list[Frame | BaseException] = [NotHosted(session_id) for session_id in session_ids]
        by_worker: dict[WorkerProcess, list[int]] = {}
        for i, session_id in enumerate(session_ids):
            worker = self._where.get(session_id)
            if worker is not None:
                by_worker.setdefault(worker, []).append(i)

        async def ask(worker: WorkerProcess, members: list[int]) -> None:
            ids = [session_ids[i] for i in members]
            for session_id in ids:
                self._hold(session_id)
            try:
                frames = await worker.ask("group", payload=(ids, [epochs[i] for i in members], resolution,
                                                            neuron_resolution))
            except (SessionLost, ValueError, RuntimeError) as e:
                frames = [e] * len(members)
            finally:
                for session_id in ids:
                    self._release(session_id)
            for i, session_id, frame in zip(members, ids, frames):
                out[i] = NotHosted(session_id) if frame is None else frame

        await asyncio.gather(*(ask(worker, members) for worker, members in by_worker.items()))
        return out

    def remove(self, session_id: str) -> None:
        self._architectures.pop(session_id, None)
        worker = self._where.pop(session_id, None)
        if worker is not None and worker.alive:
            worker.sessions.discard(session_id)
            worker.request("remove", session_id)

    def lost(self, session_id: str) -> bool:
        worker = self._where.get(session_id)
        return worker is not None and not worker.alive

    @property
    def capacity(self) -> int:
        """Workers × the calls each runs at a time (a worker being replaced still counts: one takes its place)."""
        return self._size * self._options["threads"]

    def _forget(self, session_id: str, worker: WorkerProcess) -> None:
        self._architectures.pop(session_id, None)
        worker.sessions.discard(session_id)
        if self._where.get(session_id) is worker:
            del self._where[session_id]

    # -- recycling -----------------------------------------------------------------------------

    def _maybe_recycle(self, worker: WorkerProcess) -> None:
        if worker.retiring or self._closed:
            return
        by_count = self.recycle_after_sessions is not None and worker.created >= self.recycle_after_sessions
        by_memory = self.recycle_rss_bytes is not None and process_rss(worker.pid) > self.recycle_rss_bytes
        if by_count or by_memory:
            worker.retiring = True
            task = asyncio.get_running_loop().create_task(self.recycle(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def recycle(self, old: WorkerProcess) -> WorkerProcess:
        """Move every session of ``old`` to a fresh worker, then retire ``old``; returns the fresh one."""
        old.retiring = True
        with self._lock:
            self._workers.append(new := self._spawn())
        for session_id in list(old.sessions):
            if not (old.alive and new.alive):
                break
            try:
                await self._move(session_id, old, new)
            except NotHosted:
                pass  # removed meanwhile
            except SessionLost:
                continue  # one side died: its sessions are lost like any others
        if old.alive:
            with self._lock:
                if old in self._workers:
                    self._workers.remove(old)
            await asyncio.get_running_loop().run_in_executor(None, old.close)
            self.recycled += 1
        log.info("worker %s recycled after %d sessions; worker %s took its sessions", old.pid, old.created, new.pid)
        return new

    async def _move(self, session_id: str, old: WorkerProcess, new: WorkerProcess) -> None:
        # A first copy, compiled in the new worker, while the old copy keeps serving.
        state = await old.ask("call", session_id, ("export_state", {}))
        await new.ask("restore", session_id, state)
        new.created += 1
        _remember(new, state["spec"])
        if self._prewarm is not None:
            resolution, neuron_resolution = self._prewarm
            await new.ask("call", session_id, ("warm", {"resolution": resolution,
                                                        "neuron_resolution": neuron_resolution}))
        # Then pause the session, wait for its calls in flight, and bring the copy up to date.
        self._moving.add(session_id)
        try:
            while self._busy.get(session_id):
                await asyncio.sleep(POLL_SECONDS)
            if self._where.get(session_id) is not old:  # removed while we copied
                new.request("remove", session_id)
                return
            state = await old.ask("call", session_id, ("export_state", {}))
            await new.ask("call", session_id, ("load_state", {"state": state}))
            self._where[session_id] = new
            new.sessions.add(session_id)
            old.sessions.discard(session_id)
        finally:
            self._moving.discard(session_id)
        old.request("remove", session_id)

    def close(self) -> None:
        """Stop every worker (at shutdown and in tests); the backend cannot be used afterwards."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()
