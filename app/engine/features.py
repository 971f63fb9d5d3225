"""Input features computed from the two coordinates, by name (as in TensorFlow Playground).

Each feature is a NumPy-compatible function of ``(x1, x2)``: the same code makes the training
inputs (NumPy) and, in the export script, the learner's inputs.
"""

from collections.abc import Callable, Sequence

import numpy as np

from app.engine.registry import Registry

Feature = Callable[[np.ndarray, np.ndarray], np.ndarray]

FEATURES: Registry[Feature] = Registry("feature")
FEATURES.register("x1", lambda a, b: a, label="X₁", source="x1")
FEATURES.register("x2", lambda a, b: b, label="X₂", source="x2")
FEATURES.register("x1_squared", lambda a, b: a * a, label="X₁²", source="x1 ** 2")
FEATURES.register("x2_squared", lambda a, b: b * b, label="X₂²", source="x2 ** 2")
FEATURES.register("x1_x2", lambda a, b: a * b, label="X₁X₂", source="x1 * x2")
FEATURES.register("sin_x1", lambda a, b: np.sin(a), label="sin(X₁)", source="np.sin(x1)")
FEATURES.register("sin_x2", lambda a, b: np.sin(b), label="sin(X₂)", source="np.sin(x2)")

DEFAULT_FEATURES = ("x1", "x2")


def check(names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        raise ValueError(f"Choose at least one feature. Expected some of: {', '.join(FEATURES.names())}")
    for name in names:
        FEATURES.entry(name)
    if len(set(names)) != len(names):
        raise ValueError(f"Each feature may be chosen once; received {list(names)}")
    return tuple(names)


def transform(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """``points`` is ``[n, 2]``; returns ``[n, len(names)]`` float32 inputs for the network."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURES.get(n)(x1, x2) for n in names], axis=1).astype(np.float32)
