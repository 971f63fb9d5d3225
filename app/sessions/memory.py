"""Start-up objects exempt from garbage collection, in every process that hosts sessions or serves them.

TensorFlow and the app leave ~285,000 long-lived objects in a worker and ~385,000 in the web process. Each full
collection walked them all, holding the interpreter lock: 150-200 ms in a worker (a first frame or a compile
stood still meanwhile), 80-90 ms in the web process (every stream's frames and every request waited; at 50
playing sessions this was the p99 of ``/api/health``). Frozen (``gc.freeze``), a full collection takes ~1 ms.
"""

import gc


def settle_memory() -> None:
    """Collect what is garbage now, then freeze every object still alive. Call it only when what lives now
    lives as long as the process: a frozen object's garbage cycles are never collected."""
    gc.collect()
    gc.freeze()


def settle_memory_once() -> bool:
    """``settle_memory`` unless this process has frozen objects already (a second app in one process, as in
    tests, must not freeze the first one's sessions). True if it froze them now."""
    if gc.get_freeze_count():
        return False
    settle_memory()
    return True
