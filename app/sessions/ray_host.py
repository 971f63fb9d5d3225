"""A Ray actor that hosts many sessions: a worker process's ``Host`` (``app.sessions.worker``) as an actor.

Its ``run`` executes the same commands as a worker process (``add``, ``call``, ``restore``, ``remove``,
``stats``, ``prewarm``) and answers ``(ok, value)`` as a worker does, so an engine error reaches the web server
as the exception it is. Calls on one session are serialised by the session's own lock; ``max_concurrency``
calls run at once. ``ping`` has a concurrency group of its own so a busy host still answers it.

This module imports no TensorFlow: the actor imports the engine when it starts, after setting TensorFlow's
thread counts, so the directory actor and web servers that only name hosts stay light.
"""

import os
from typing import Any

import ray


@ray.remote(concurrency_groups={"control": 4})
class SessionHost:
    def __init__(self, *, jit_compile: bool, tf_threads: int) -> None:
        os.environ["TP_TF_INTRA_OP_THREADS"] = os.environ["TP_TF_INTER_OP_THREADS"] = str(tf_threads)
        from app.sessions.worker import Host  # imports TensorFlow, with the thread counts above

        self._host = Host(jit_compile=jit_compile)

    def __repr__(self) -> str:
        return f"SessionHost(sessions={len(self._host.sessions)}, pid={os.getpid()})"

    def run(self, command: str, session_id: str = "", payload: Any = None) -> tuple[bool, Any]:
        return self._host.outcome(command, session_id, payload)

    @ray.method(concurrency_group="control")
    def ping(self) -> dict[str, Any]:
        """Alive: the node it runs on, its process and how many sessions it holds."""
        return {"node": ray.get_runtime_context().get_node_id(), "pid": os.getpid(),
                "sessions": len(self._host.sessions)}
