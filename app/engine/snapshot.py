"""Heatmaps of a network over the input square: the output and every hidden neuron, in one batched call."""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from app.engine import features
from app.engine.datasets import DOMAIN
from app.engine.session import TrainingSession


@lru_cache(maxsize=64)
def grid_points(resolution: int) -> np.ndarray:
    """``resolution²`` points covering [-6, 6]², row by row from the top (x2 = +6) to the bottom."""
    coords = np.linspace(-DOMAIN, DOMAIN, resolution, dtype=np.float32)
    x1, x2 = np.meshgrid(coords, coords[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


@lru_cache(maxsize=128)
def grid_inputs(resolution: int, feature_names: tuple[str, ...]) -> np.ndarray:
    return features.transform(grid_points(resolution), feature_names)


@dataclass
class Snapshot:
    resolution: int
    output: np.ndarray  # [res, res] probability of class 1 / value, or [res, res, k] class probabilities
    neuron_resolution: int
    neurons: list[np.ndarray]  # per hidden layer: [units, nres, nres]
    inputs: np.ndarray  # per feature: [features, nres, nres]


def snapshot_inputs(feature_names: tuple[str, ...], resolution: int, neuron_resolution: int) -> np.ndarray:
    """What one call predicts: the output grid and the (smaller) neuron grid, stacked."""
    return np.concatenate([grid_inputs(resolution, feature_names), grid_inputs(neuron_resolution, feature_names)])


def from_predictions(feature_names: tuple[str, ...], resolution: int, neuron_resolution: int,
                     output: np.ndarray, hidden: list[np.ndarray]) -> Snapshot:
    """The maps of a network's predictions over ``snapshot_inputs`` (its own call, or its share of a group's)."""
    n_out = resolution * resolution
    out = output[:n_out]
    out = out[:, 0].reshape(resolution, resolution) if out.shape[1] == 1 else out.reshape(resolution, resolution, -1)
    neurons = [h[n_out:].T.reshape(-1, neuron_resolution, neuron_resolution) for h in hidden]
    inputs = grid_inputs(neuron_resolution, feature_names).T.reshape(-1, neuron_resolution, neuron_resolution)
    return Snapshot(resolution, out, neuron_resolution, neurons, inputs)


def snapshot(session: TrainingSession, resolution: int, neuron_resolution: int) -> Snapshot:
    names = session.spec.features
    output, hidden = session.predict(snapshot_inputs(names, resolution, neuron_resolution))
    return from_predictions(names, resolution, neuron_resolution, output, hidden)
