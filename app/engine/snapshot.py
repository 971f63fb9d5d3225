"""Heatmaps of a network over the input square: the output and every hidden neuron, in one batched call."""

from dataclasses import dataclass

import numpy as np

from app.engine.grid import grid_inputs, grid_points
from app.engine.session import TrainingSession

__all__ = ["Snapshot", "snapshot", "grid_inputs", "grid_points"]  # the grid's home is app.engine.grid


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
    """The maps of a network's predictions over ``snapshot_inputs`` (both grids, stacked)."""
    n_out = resolution * resolution
    return from_maps(feature_names, resolution, neuron_resolution, output[:n_out], [h[n_out:] for h in hidden])


def from_maps(feature_names: tuple[str, ...], resolution: int, neuron_resolution: int,
              output: np.ndarray, hidden: list[np.ndarray]) -> Snapshot:
    """The maps of a network's ``output`` over the output grid and its ``hidden`` activations over the neuron
    grid (its own call, or its share of a group's)."""
    out = output[:, 0].reshape(resolution, resolution) if output.shape[1] == 1 \
        else output.reshape(resolution, resolution, -1)
    neurons = [h.T.reshape(-1, neuron_resolution, neuron_resolution) for h in hidden]
    inputs = grid_inputs(neuron_resolution, feature_names).T.reshape(-1, neuron_resolution, neuron_resolution)
    return Snapshot(resolution, out, neuron_resolution, neurons, inputs)


def snapshot(session: TrainingSession, resolution: int, neuron_resolution: int) -> Snapshot:
    names = session.spec.features
    output, hidden = session.predict(snapshot_inputs(names, resolution, neuron_resolution))
    return from_predictions(names, resolution, neuron_resolution, output, hidden)
