"""A saved session's state (``operations.saved_run``) as the store keeps it: arrays in one blob, and back.

The blob holds the weights and optimizer slots, the step counter, the loss history, the data's points and
the output grid at the saved epoch. A missing loss (a diverged call) is stored as NaN and read back as None,
so the history JSON the pages get and the state a continued session loads are what was saved.
"""

import math
from typing import Any

import numpy as np

from app.store.arrays import pack, unpack


def encode(saved: dict[str, Any]) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    for i, p in enumerate(saved["params"]):
        arrays[f"param_{i}"] = p
    for i, s in enumerate(saved["slots"]):
        arrays[f"slot_{i}"] = s
    history = saved["history"]
    arrays["history_epoch"] = np.array([h[0] for h in history], np.int64)
    arrays["history_train"] = np.array([_nan(h[1]) for h in history], np.float64)
    arrays["history_test"] = np.array([_nan(h[2]) for h in history], np.float64)
    arrays["step"] = np.array(saved["step"], np.int64)
    arrays["train_seconds"] = np.array(saved["train_seconds"], np.float64)
    arrays["boundary"] = np.asarray(saved["boundary"], np.float16)  # for display: 3 digits are plenty
    for name, values in saved["points"].items():
        arrays[name] = values
    return pack(arrays)


def decode(blob: bytes) -> dict[str, Any]:
    """The arrays back: ``params``, ``slots``, ``history`` (tuples), ``step``, ``train_seconds``, ``boundary``
    and ``points``."""
    a = unpack(blob)
    count = lambda prefix: sum(1 for k in a if k.startswith(prefix))  # noqa: E731
    history = [(int(e), _none(t), _none(v))
               for e, t, v in zip(a["history_epoch"], a["history_train"], a["history_test"])]
    return {
        "params": [a[f"param_{i}"] for i in range(count("param_"))],
        "slots": [a[f"slot_{i}"] for i in range(count("slot_"))],
        "history": history,
        "step": int(a["step"]),
        "train_seconds": float(a["train_seconds"]),
        "boundary": a["boundary"],
        "points": {k: a[k] for k in ("train_points", "train_labels", "test_points", "test_labels")},
    }


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _none(value: np.float64) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v
