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


def snapshot(session: TrainingSession, resolution: int, neuron_resolution: int) -> Snapshot:
    names = session.spec.features
    # One call covers both grids: the output grid and the (smaller) neuron grid, stacked.
    out_x = grid_inputs(resolution, names)
    neuron_x = grid_inputs(neuron_resolution, names)
    output, hidden = session.predict(np.concatenate([out_x, neuron_x]))
    n_out = resolution * resolution
    out = output[:n_out]
    out = out[:, 0].reshape(resolution, resolution) if out.shape[1] == 1 else out.reshape(resolution, resolution, -1)
    neurons = [h[n_out:].T.reshape(-1, neuron_resolution, neuron_resolution) for h in hidden]
    inputs = neuron_x.T.reshape(-1, neuron_resolution, neuron_resolution)
    return Snapshot(resolution, out, neuron_resolution, neurons, inputs)
