"""Turning tensors into JSON-safe values: NaN and infinities become ``None`` and are reported."""

from typing import Any

import numpy as np


def to_json(values: Any) -> tuple[Any, bool]:
    """Nested lists of floats with non-finite entries replaced by ``None``; the flag says if any were."""
    array = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(array)
    if finite.all():
        return array.tolist(), False
    out = np.where(finite, array, np.nan).astype(object)
    out[~finite] = None
    return out.tolist(), True


def scalar(value: Any) -> float | None:
    """A finite Python float, or ``None`` for NaN/inf."""
    v = float(value)
    return v if np.isfinite(v) else None
