"""The points of the input square a heatmap is drawn over, and the network inputs (features) at them."""

from functools import lru_cache

import numpy as np

from app.engine import features
from app.engine.datasets import DOMAIN


@lru_cache(maxsize=64)
def grid_points(resolution: int) -> np.ndarray:
    """``resolution²`` points covering [-6, 6]², row by row from the top (x2 = +6) to the bottom."""
    coords = np.linspace(-DOMAIN, DOMAIN, resolution, dtype=np.float32)
    x1, x2 = np.meshgrid(coords, coords[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


@lru_cache(maxsize=128)
def grid_inputs(resolution: int, feature_names: tuple[str, ...]) -> np.ndarray:
    return features.transform(grid_points(resolution), feature_names)
