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


def float32_array(values: Any, *, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """``values`` as a float32 array of one of the ranks ``ndims``, or a ``ValueError`` saying what was wrong.

    Float32 because that is what ``tf.constant([...])`` gives a learner in a notebook.
    """
    try:
        wide = np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError):
        lengths = [len(r) if isinstance(r, list | tuple) else "a number" for r in values][:20]
        raise ValueError(f"{name} must be a rectangular list of numbers (every row the same length); "
                         f"received rows of lengths {lengths}") from None
    if wide.ndim not in ndims:
        ranks = " or ".join(str(n) for n in ndims)
        raise ValueError(f"{name} must have {ranks} dimension(s); received shape {list(wide.shape)}")
    if wide.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {list(wide.shape)}")
    if not (np.abs(wide) <= np.finfo(np.float32).max).all():  # also false for NaN
        raise ValueError(f"{name} must hold finite float32 numbers (|x| < 3.4e38); "
                         f"received a value of {np.abs(wide).max():.3g}")
    return wide.astype(np.float32)
