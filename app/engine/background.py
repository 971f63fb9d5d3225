"""Work nobody waits for (traces, XLA compiles, the start-up prewarm), one job at a time on one thread.

The thread belongs to a ``ThreadPoolExecutor``, so Python joins it at exit: a daemon thread still inside
TensorFlow when the interpreter shuts down aborts the process.
"""

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

_BACKGROUND = ThreadPoolExecutor(1, thread_name_prefix="compile")
_queued: set[Hashable] = set()  # what is queued or running there now
_queued_lock = threading.Lock()


def idle() -> bool:
    """Nothing queued or running on the background thread now."""
    with _queued_lock:
        return not _queued


def in_background(key: Hashable, job: Callable[[], Any]) -> None:
    """Run ``job`` on the background thread unless a job for ``key`` is queued or running already. A job that
    fails is logged: whoever waited for nothing loses nothing, and a later call in the open will say why."""
    with _queued_lock:
        if key in _queued:
            return
        _queued.add(key)

    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("Background work for %s failed", key)
        finally:
            with _queued_lock:
                _queued.discard(key)

    _BACKGROUND.submit(run)
