"""A worker process: hosts sessions and runs ``app.sessions.operations`` on them for ``ProcessBackend``.

Started as ``python -m app.sessions.worker FD THREADS JIT`` with one end of a socket pair on ``FD``.
TensorFlow's thread counts come from the environment the parent set (``TP_TF_INTRA_OP_THREADS``, read when
``app.engine`` imports TensorFlow). Messages are pickled tuples:

- request ``(request_id, command, session_id, payload)``; commands: ``add`` (payload: a ``TrainingSpec``),
  ``restore`` (a state from ``TrainingSession.export_state``), ``call`` (``(operation, kwargs)``),
  ``group`` (``(session_ids, epochs, resolution, neuron_resolution)``: ``operations.run_group``, answered with
  one ``Frame`` or ``None`` (not hosted) per id), ``remove``, ``stats`` and ``prewarm``
  (``(spec, resolution, neuron_resolution)``);
- reply ``(request_id, ok, value)``: the result, or the exception the call raised.

Calls run on a pool of ``THREADS`` threads while the main thread keeps reading, so a long call never stops
requests from arriving; calls on one session are serialised by the session's own lock. The worker exits
when the socket closes: when the backend retires it, or when the web process dies.
"""

import os
import pickle
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from app.engine.session import TrainingSession
from app.sessions import operations
from app.sessions.memory import settle_memory
from app.sessions.backend import NotHosted


def rss_bytes() -> int:
    """Resident memory of this process (Linux ``/proc``; 0 elsewhere)."""
    return process_rss(os.getpid())


def process_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Host:
    """Sessions by id and the commands on them: what a worker process, or a Ray host actor, runs."""

    def __init__(self, *, jit_compile: bool) -> None:
        self.jit = jit_compile
        self.sessions: dict[str, TrainingSession] = {}

    def execute(self, command: str, session_id: str, payload: Any) -> Any:
        if command == "call":
            op, kwargs = payload
            return operations.run(self._session(session_id), op, kwargs)
        if command == "group":
            session_ids, epochs, resolution, neuron_resolution = payload
            return operations.run_group([self.sessions.get(i) for i in session_ids], epochs, resolution=resolution,
                                        neuron_resolution=neuron_resolution)
        if command == "add":
            session = TrainingSession(payload, jit_compile=self.jit)
            self.sessions[session_id] = session
            return operations.describe(session)
        if command == "restore":
            session = TrainingSession.from_state(payload, jit_compile=self.jit)
            self.sessions[session_id] = session
            return operations.describe(session)
        if command == "remove":
            self.sessions.pop(session_id, None)
            return None
        if command == "stats":
            return {"sessions": len(self.sessions), "rss": rss_bytes()}
        if command == "prewarm":
            spec, resolution, neuron_resolution = payload
            operations.prewarm(spec, jit_compile=self.jit, resolution=resolution, neuron_resolution=neuron_resolution)
            if not self.sessions:  # the default network's functions live as long as the host; sessions do not,
                settle_memory()  # and a frozen session's garbage would never be collected (a host prewarmed late)
            return None
        raise ValueError(f"Unknown worker command {command!r}")

    def outcome(self, command: str, session_id: str, payload: Any) -> tuple[bool, Any]:
        """``(True, result)`` or ``(False, the exception it raised)``, made picklable for the caller."""
        try:
            return True, self.execute(command, session_id, payload)
        except Exception as e:  # the caller gets it; a bug in one call must not stop the host
            if not isinstance(e, (ValueError, LookupError, RuntimeError)):
                traceback.print_exc()
            return False, _picklable(e)

    def _session(self, session_id: str) -> TrainingSession:
        session = self.sessions.get(session_id)
        if session is None:
            raise NotHosted(session_id)  # removed while a call was on its way
        return session


class Worker(Host):
    """A ``Host`` behind a socket: requests come in on the main thread and run on a pool of threads."""

    def __init__(self, conn: Connection, *, threads: int, jit_compile: bool) -> None:
        super().__init__(jit_compile=jit_compile)
        self.conn = conn
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="op")
        self._send_lock = threading.Lock()

    def serve(self) -> None:
        while True:
            try:
                request_id, command, session_id, payload = self.conn.recv()
            except (EOFError, OSError):
                return
            self.pool.submit(self._answer, request_id, command, session_id, payload)

    def _answer(self, request_id: int, command: str, session_id: str, payload: Any) -> None:
        reply = (request_id, *self.outcome(command, session_id, payload))
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)  # outside the lock: it may be large
        except Exception as e:
            data = pickle.dumps((request_id, False, RuntimeError(f"{command} returned an unpicklable result: {e}")))
        try:
            with self._send_lock:
                self.conn.send_bytes(data)
        except OSError:
            pass  # the web process has gone; serve() sees the closed socket and the worker exits


def _picklable(e: Exception) -> Exception:
    """``e`` if it survives pickling (engine errors do), else a ``RuntimeError`` that names it."""
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:
        return RuntimeError(f"{type(e).__name__}: {e}")


def main(argv: list[str]) -> None:
    fd, threads, jit = int(argv[1]), int(argv[2]), argv[3] == "1"
    settle_memory()  # TensorFlow is imported
    Worker(Connection(fd), threads=threads, jit_compile=jit).serve()
    os._exit(0)  # the socket closed: leave at once, without waiting for calls whose answers nobody reads


if __name__ == "__main__":
    main(sys.argv)
