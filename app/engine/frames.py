"""Live frames (``Frame``): a session's state as a JSON header plus one binary message of uint8 heatmaps.

Heatmaps travel as bytes, not JSON floats: a 100×100 output costs 10,000 bytes instead of ~70,000 characters,
so the default network's frame stays near 17 KB and a stream can send 25+ frames a second.

Byte layout (described again in every header under ``"maps"``, so a client never guesses):
  the maps follow one another with no padding, each ``rows × cols`` bytes, row-major, rows from x2 = +6 (top)
  to x2 = -6, columns from x1 = -6 to +6. Order: the output (one map, or one per class for multi-class), then
  input features, then hidden neurons layer by layer, unit by unit.
A byte ``q`` stands for ``lo + q / 255 * (hi - lo)`` where ``[lo, hi]`` is the map's ``range``: values are
clipped to it first, so the error is at most ``(hi - lo) / 510`` inside the range.
  - probabilities (binary and multi-class output): ``[0, 1]``;
  - activations bounded by construction (tanh, softsign: ``[-1, 1]``; sigmoid, hard sigmoid: ``[0, 1]``);
  - everything else (regression output, unbounded activations, input features): the map's own min and max.
"""

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine import features
from app.engine.problems import Problem
from app.engine.grid import grid_inputs
from app.engine.snapshot import Snapshot, snapshot
from app.engine.session import TrainingSession

FIXED_RANGES: dict[str, tuple[float, float]] = {
    "tanh": (-1.0, 1.0),
    "softsign": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "hard_sigmoid": (0.0, 1.0),
}

ENCODING = "uint8; value = lo + q / 255 * (hi - lo); maps concatenated in 'maps' order, row-major from x2=+6"


def value_range(values: np.ndarray, fixed: tuple[float, float] | None = None) -> tuple[float, float]:
    """The range a map is quantised over: ``fixed`` if given, else its own finite min and max."""
    if fixed is not None:
        return fixed
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (0.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    if hi - lo < 1e-12:  # a flat map: any non-empty range decodes it exactly as lo
        hi = lo + 1.0
    return (lo, hi)


def quantise(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Values → uint8 over ``[lo, hi]`` (clipped; NaN becomes ``lo``)."""
    scaled = (np.nan_to_num(values.astype(np.float64), nan=lo) - lo) * (255.0 / (hi - lo))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def dequantise(data: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return lo + data.astype(np.float64) * ((hi - lo) / 255.0)


@dataclass
class EncodedMaps:
    maps: list[dict[str, Any]]  # layout: kind, offset, shape, range, and what the map is
    data: bytes


def encode_maps(snap: Snapshot, *, problem: Problem, activations: tuple[str, ...],
                feature_names: tuple[str, ...], extra_features: dict[str, np.ndarray] | None = None) -> EncodedMaps:
    """Quantise a snapshot's heatmaps into one byte string and describe where each map lies in it.

    ``extra_features`` adds maps for features the network does not use (the page draws them as thumbnails).
    """
    layout: list[dict[str, Any]] = []
    chunks: list[np.ndarray] = []
    offset = 0

    def add(values: np.ndarray, fixed: tuple[float, float] | None, **what: Any) -> None:
        nonlocal offset
        lo, hi = value_range(values, fixed)
        q = quantise(values, lo, hi)
        layout.append({**what, "offset": offset, "shape": list(q.shape), "range": [lo, hi]})
        chunks.append(q.ravel())
        offset += q.size

    if problem is Problem.MULTICLASS:
        for c in range(snap.output.shape[-1]):
            add(snap.output[..., c], (0.0, 1.0), kind="output", unit=c)
    else:
        add(snap.output, (0.0, 1.0) if problem is Problem.BINARY else None, kind="output", unit=0)
    for name, values in zip(feature_names, snap.inputs):
        add(values, None, kind="input", feature=name, active=True)
    for name, values in (extra_features or {}).items():
        add(values, None, kind="input", feature=name, active=False)
    for layer, (units, activation) in enumerate(zip(snap.neurons, activations)):
        fixed = FIXED_RANGES.get(activation)
        if fixed is None:
            for unit, values in enumerate(units):
                add(values, None, kind="neuron", layer=layer, unit=unit)
            continue
        q = quantise(units, *fixed)  # a layer over one range: every unit's map in one pass
        for unit in range(len(units)):
            layout.append({"kind": "neuron", "layer": layer, "unit": unit, "offset": offset,
                           "shape": list(q.shape[1:]), "range": list(fixed)})
            offset += q[unit].size
        chunks.append(q.ravel())
    data = np.concatenate(chunks).tobytes() if chunks else b""
    return EncodedMaps(layout, data)


def inactive_feature_maps(active: tuple[str, ...], resolution: int) -> dict[str, np.ndarray]:
    """Heatmaps of every registered feature the network does not use (constant: they depend on no weight)."""
    names = tuple(n for n in features.FEATURES.names() if n not in active)
    if not names:
        return {}
    values = grid_inputs(resolution, names).T.reshape(-1, resolution, resolution)
    return dict(zip(names, values))


def _round(a: np.ndarray) -> list:
    return np.round(a.astype(np.float64), 5).tolist()


@dataclass(frozen=True)
class Frame:
    """A picture of a session after one call: its state, weights and heatmaps, and what the call did.

    Built once where the session lives, of plain data only, so it crosses a process boundary in one pickle;
    ``wire`` turns it into the stream's two messages. What only the stream knows (whether it plays, how fast)
    is added there, not carried here.
    """

    state: dict[str, Any]  # ``TrainingSession.state()``: status, message, epoch, losses, metrics
    problem: str
    init_seed: int
    learning_rate: float
    weights: list[dict[str, list]]  # per layer: {"weights": [from][to], "biases": [to]}
    resolution: int
    neuron_resolution: int
    maps: list[dict[str, Any]]  # where each map lies in ``data`` (``encode_maps``)
    data: bytes
    seconds: float = 0.0  # training time of the call that made it (a diverged run costs time too)
    diverged: bool = False  # that call's training diverged: the weights are the last finite ones
    compiling: bool = False  # some epochs shown were trained by a stand-in, to be replayed exactly
    # The points it trained on: a page changing its data knows which frame is the first on the new points.
    n_train: int = 0
    n_test: int = 0

    @property
    def status(self) -> str:
        return self.state["status"]

    @property
    def epoch(self) -> int:
        return self.state["epoch"]

    def header(self, **extra: Any) -> dict[str, Any]:
        """The JSON header that describes ``data``; ``extra`` adds the stream's own fields."""
        return {
            "type": "frame",
            **self.state,
            "problem": self.problem,
            "init_seed": self.init_seed,
            "learning_rate": self.learning_rate,
            "weights": self.weights,
            "resolution": self.resolution,
            "neuron_resolution": self.neuron_resolution,
            "encoding": ENCODING,
            "maps": self.maps,
            "bytes": len(self.data),
            "compiling": self.compiling,
            "n_train": self.n_train,
            "n_test": self.n_test,
            **extra,
        }

    def wire(self, **extra: Any) -> tuple[str, bytes]:
        """The two WebSocket messages of this frame: the header as JSON text, then the heatmap bytes."""
        return json.dumps(self.header(**extra)), self.data


def build_frame(session: TrainingSession, *, resolution: int, neuron_resolution: int,
                all_features: bool = False, seconds: float = 0.0, diverged: bool = False,
                snap: Snapshot | None = None) -> Frame:
    """A frame of ``session`` now; ``seconds`` and ``diverged`` say what the call that trained it did. ``snap``:
    its heatmaps when already drawn (a group's, from one call), else drawn here."""
    snap = snap if snap is not None else snapshot(session, resolution, neuron_resolution)
    spec = session.spec
    encoded = encode_maps(
        snap, problem=spec.problem, activations=spec.activations, feature_names=spec.features,
        extra_features=inactive_feature_maps(spec.features, neuron_resolution) if all_features else None)
    params = session.parameters()
    return Frame(
        state=session.state(), problem=spec.problem.value, init_seed=spec.init_seed,
        learning_rate=spec.learning_rate,
        weights=[{"weights": _round(w), "biases": _round(b)} for w, b in zip(params[0::2], params[1::2])],
        resolution=resolution, neuron_resolution=neuron_resolution, maps=encoded.maps, data=encoded.data,
        seconds=seconds, diverged=diverged, compiling=session.provisional,
        n_train=len(session.split.train_labels), n_test=len(session.split.test_labels))


def decode_maps(header: dict[str, Any], data: bytes) -> list[np.ndarray]:
    """The inverse of the byte layout, as a client reads it: one float array per entry of ``header["maps"]``."""
    raw = np.frombuffer(data, dtype=np.uint8)
    out = []
    for m in header["maps"]:
        size = int(np.prod(m["shape"]))
        q = raw[m["offset"]:m["offset"] + size].reshape(m["shape"])
        out.append(dequantise(q, *m["range"]))
    return out
