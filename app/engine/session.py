"""A training session: one network learning one dataset, step by step, inspectable at any time."""

import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np
import tensorflow as tf

from app.engine import datasets, features, schedules
from app.engine.grid import grid_inputs
from app.engine.network import initial_parameters
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem
from app.engine.regularizers import REGULARIZERS
from app.engine.spec import DATA_FIELDS, LIVE_FIELDS, TrainingSpec
from app.engine.trainer import PREDICTORS, TRAINERS, Architecture, Shape, Trainer, TrainingInputs, evaluate


class Status(StrEnum):
    """What training left the session in. Whether a stream plays it is the stream's business (the frame header's
    ``playing``): between calls a session is never running, whoever plays it."""

    IDLE = "idle"
    DIVERGED = "diverged"


class Diverged(RuntimeError):
    """Training produced NaN or infinity; the weights were rolled back to the last finite ones."""


@dataclass
class HistoryPoint:
    epoch: int
    train_loss: float
    test_loss: float


@dataclass
class Metrics:
    train: dict[str, Any] = field(default_factory=dict)
    test: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Call:
    """One training call made by a stand-in, to be replayed exactly: its network's functions and live knobs."""

    trainer: Trainer
    epochs: int
    live: dict[str, Any]


@dataclass
class _Provisional:
    """Where a session left the exact path, and the stand-in calls made since."""

    params: list[tf.Tensor]
    slots: list[tf.Tensor]
    step: tf.Tensor
    epoch: int
    history_length: int
    calls: list[_Call] = field(default_factory=list)


# A play whose compile has not caught up after this many stand-in calls (~10 s of frames) waits for it, so
# the replay stays short.
MAX_PROVISIONAL_CALLS = 300


class TrainingSession:
    """Holds the data split, the parameters and optimizer state, the epoch count and the loss history.

    Thread-safe: calls on one session are serialised by a lock; different sessions run in parallel.
    """

    def __init__(self, spec: TrainingSpec, *, jit_compile: bool = True) -> None:
        self._lock = threading.RLock()
        self._jit = jit_compile
        self.spec = spec.resolved()
        self.status = Status.IDLE
        self.message: str | None = None
        self._load_data()
        self._init_weights()

    # -- moving between processes -------------------------------------------------------------

    def export_state(self) -> dict[str, Any]:
        """Everything that makes this session what it is, as plain picklable data (NumPy arrays, no tensors).

        The data split is not included: it is regenerated from the spec's seed, identically.
        """
        with self._lock:
            self.settle()
            return {
                "spec": self.spec,
                "params": [p.numpy() for p in self.params],
                "slots": [s.numpy() for s in self.slots],
                "step": int(self.step),
                "epoch": self.epoch,
                "history": [(p.epoch, p.train_loss, p.test_loss) for p in self.history],
                "metrics": (self.metrics.train, self.metrics.test),
                "status": self.status.value,
                "message": self.message,
                "train_seconds": self.train_seconds,
            }

    @classmethod
    def from_state(cls, state: dict[str, Any], *, jit_compile: bool = True) -> "TrainingSession":
        """The session ``export_state`` described: training continues bit-identically to the original."""
        session = cls.__new__(cls)
        session._lock = threading.RLock()
        session._jit = jit_compile
        session.spec = state["spec"].resolved()
        session._load_data()
        session.load_state(state)
        return session

    def load_state(self, state: dict[str, Any]) -> None:
        """Take the weights, optimizer slots, counters and history of ``state`` (same architecture)."""
        with self._lock:
            spec = state["spec"].resolved()
            if _structure(spec) != _structure(self.spec):
                raise ValueError(f"Cannot load the state of another data set or network ({spec}) into {self}")
            self.spec = spec
            self._provisional = None
            self.params = [tf.constant(p) for p in state["params"]]
            self.slots = [tf.constant(s) for s in state["slots"]]
            self.step = tf.constant(state["step"], tf.int64)
            self.epoch = state["epoch"]
            self.history = [HistoryPoint(*point) for point in state["history"]]
            self.metrics = Metrics(*(dict(m) for m in state["metrics"]))
            self.status = Status(state["status"])
            self.message = state["message"]
            self.train_seconds = state["train_seconds"]

    def warm(self, resolution: int, neuron_resolution: int) -> None:
        """Compile this session's training and drawing functions without changing it (zero epochs)."""
        with self._lock:
            # with the graph-mode version: the stand-in of every other width of this kind of network
            TRAINERS.get(self.architecture).compile(self._inputs(0, self._live_tensors()))
            names = self.spec.features
            grid = np.concatenate([grid_inputs(resolution, names), grid_inputs(neuron_resolution, names)])
            # traced here and now, where ``predict`` would run op by op and trace in the background
            PREDICTORS.get(self.shape)(self.params, tf.constant(grid, tf.float32))

    # -- construction -------------------------------------------------------------------------

    def _load_data(self) -> None:
        s = self.spec
        if s.custom:
            data = s.custom_points()
            self.split = datasets.split_points(data.points, data.labels, problem=s.problem,
                                               num_classes=s.num_classes or 0, seed=s.seed, train_ratio=s.train_ratio)
        else:
            self.split = datasets.generate(s.dataset, num_samples=s.num_samples, noise=s.noise, seed=s.seed,
                                           train_ratio=s.train_ratio, num_classes=s.num_classes)
        self._x_train = tf.constant(features.transform(self.split.train_points, s.features))
        self._x_test = tf.constant(features.transform(self.split.test_points, s.features))
        self._y_train = tf.constant(self._targets(self.split.train_labels))
        self._y_test = tf.constant(self._targets(self.split.test_labels))

    def _targets(self, labels: np.ndarray) -> np.ndarray:
        if self.split.problem is Problem.MULTICLASS:
            return np.eye(self.split.num_classes, dtype=np.float32)[labels]
        return labels.astype(np.float32)[:, None]

    def _init_weights(self) -> None:
        self.params = [tf.constant(p) for p in initial_parameters(self.spec.layer_sizes, self.spec.init_seed)]
        self.slots = OPTIMIZERS.get(self.spec.optimizer).init_slots(self.params)
        self._provisional: _Provisional | None = None
        self.step = tf.constant(0, tf.int64)
        self.epoch = 0
        self.history: list[HistoryPoint] = []
        self.metrics = Metrics()
        self.status = Status.IDLE
        self.message = None
        self.train_seconds = 0.0
        self._evaluate()

    # -- what it is ---------------------------------------------------------------------------

    @property
    def architecture(self) -> Architecture:
        return self.spec.architecture(jit_compile=self._jit)

    @property
    def shape(self) -> Shape:
        return Shape(self.spec.activations, self.spec.problem)

    def __repr__(self) -> str:
        return (f"TrainingSession({self.spec.dataset}, layers={list(self.spec.layer_sizes)}, "
                f"epoch={self.epoch}, status={self.status.value})")

    def parameters(self) -> list[np.ndarray]:
        return [p.numpy() for p in self.params]

    # -- training -----------------------------------------------------------------------------

    def _live_tensors(self) -> dict[str, Any]:
        s = self.spec
        reg = REGULARIZERS.get(s.regularization)
        return {
            "lr": tf.constant(s.learning_rate, tf.float32),
            "sched": schedules.graph_params(s.lr_schedule, s.lr_schedule_params),
            "l1": tf.constant(reg.l1 * s.regularization_rate, tf.float32),
            "l2": tf.constant(reg.l2 * s.regularization_rate, tf.float32),
        }

    def train(self, epochs: int, *, provisional: bool = False) -> None:
        """Run ``epochs`` epochs in one compiled call. Raises ``Diverged`` (weights rolled back) on NaN/inf.

        A network's first call compiles it with XLA, about a second. With ``provisional`` the call does not
        wait: until the XLA version is compiled (in the background) training runs op by op, then in graph
        mode (``Trainer.stand_in``), and the first call after that replays those epochs exactly, so the
        numbers end up as if nothing was provisional. Live play uses it; everything else reads settled numbers.
        """
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1; received {epochs}")
        with self._lock:
            if self.status is Status.DIVERGED:
                raise Diverged(self.message or "training diverged")
            trainer = TRAINERS.get(self.architecture)
            live = self._live_tensors()
            waiting = self._provisional.calls if self._provisional else []
            if not provisional or len(waiting) >= MAX_PROVISIONAL_CALLS or \
                    all(t.compiled for t in (trainer, *(c.trainer for c in waiting))):
                self._exactly(trainer, epochs, live)
                return
            mark = self._provisional or _Provisional(list(self.params), list(self.slots), self.step, self.epoch,
                                                     len(self.history))
            try:
                self._run(trainer.stand_in(epochs, self._inputs(0, live)), epochs, live)
            except Diverged:  # the exact numbers decide whether it really diverges
                self.status, self.message = Status.IDLE, None
                self._exactly(trainer, epochs, live)
                return
            self._provisional = mark
            mark.calls.append(_Call(trainer, epochs, live))
            for call in {id(c.trainer): c for c in mark.calls}.values():  # a batch-size change adds a network
                call.trainer.compile_later(self._inputs(0, call.live))

    def _exactly(self, trainer: Trainer, epochs: int, live: dict[str, Any]) -> None:
        self.settle()
        if self.status is Status.DIVERGED:  # the replay diverged
            raise Diverged(self.message or "training diverged")
        self._run(trainer, epochs, live)

    @property
    def provisional(self) -> bool:
        """Some epochs were trained by a stand-in and are not yet replayed exactly (see ``train``)."""
        return self._provisional is not None

    def settle(self, *, wait: bool = True) -> bool:
        """Replay the provisional epochs exactly (compiling first when ``wait``). True if now exact."""
        with self._lock:
            if self._provisional is None:
                return True
            if not wait and not all(call.trainer.compiled for call in self._provisional.calls):
                return False
            mark, self._provisional = self._provisional, None
            self.params, self.slots, self.step, self.epoch = list(mark.params), list(mark.slots), mark.step, mark.epoch
            del self.history[mark.history_length:]
            for call in mark.calls:
                try:
                    self._run(call.trainer, call.epochs, call.live)
                except Diverged:  # the exact numbers diverged where the stand-in did not: keep the last finite ones
                    break
            return True

    def _inputs(self, epochs: int, live: dict[str, Any]) -> TrainingInputs:
        """A training call's inputs: ``epochs`` epochs from where the session is now, with the knobs ``live``."""
        return TrainingInputs(
            params=self.params, slots=self.slots, step=self.step, epoch=tf.constant(self.epoch, tf.int64),
            epochs=tf.constant(epochs, tf.int64), seed=tf.constant(self.spec.seed, tf.int64),
            x_train=self._x_train, y_train=self._y_train, x_test=self._x_test, y_test=self._y_test, **live)

    def _run(self, fn: Callable, epochs: int, live: dict[str, Any]) -> None:
        started = time.perf_counter()
        result = fn(self._inputs(epochs, live))
        self.accept(epochs, result, time.perf_counter() - started)

    def accept(self, epochs: int, result: tuple, seconds: float, *, params_finite: bool | None = None) -> None:
        """Take the outcome of ``epochs`` exact epochs trained from this session's arguments, here or in a group
        call (``app.engine.group``, which checks ``params_finite`` in its own graph). Raises ``Diverged``,
        keeping the weights it had, if a loss or weight is NaN or infinite."""
        params, slots, step, train_m, test_m = result
        self.train_seconds += seconds
        train_loss, test_loss = float(train_m["loss"]), float(test_m["loss"])
        if params_finite is None:
            params_finite = all(bool(tf.reduce_all(tf.math.is_finite(p))) for p in params)
        finite = math.isfinite(train_loss) and math.isfinite(test_loss) and params_finite
        if not finite:
            self.status = Status.DIVERGED
            self.message = (f"Training diverged between epochs {self.epoch} and {self.epoch + epochs}: "
                            f"the loss became NaN or infinite. Lower the learning rate or reset.")
            raise Diverged(self.message)
        self.params, self.slots, self.step = list(params), list(slots), step
        self.epoch += epochs
        self._record(train_m, test_m)

    def _evaluate(self) -> None:
        kind = self.architecture.kind
        self._record(evaluate(kind, self.params, self._x_train, self._y_train),
                     evaluate(kind, self.params, self._x_test, self._y_test))

    def _record(self, train_m: dict[str, tf.Tensor], test_m: dict[str, tf.Tensor]) -> None:
        self.metrics = Metrics(_metrics(train_m), _metrics(test_m))
        self.history.append(HistoryPoint(self.epoch, self.metrics.train["loss"], self.metrics.test["loss"]))

    # -- changes ------------------------------------------------------------------------------

    def update(self, **changes: Any) -> None:
        """Change live knobs (learning rate, regularization, batch size, schedule) without a reset, or the data
        (``DATA_FIELDS``): the next epochs train on the new points, with the weights kept when the network
        stays the same (the problem and class count), else a fresh network at epoch 0. A refused change
        leaves the session as it was."""
        unknown = set(changes) - set(LIVE_FIELDS) - set(DATA_FIELDS)
        if unknown:
            raise ValueError(f"Cannot change {', '.join(sorted(unknown))} while training. "
                             f"Expected some of: {', '.join((*LIVE_FIELDS, *DATA_FIELDS))}")
        with self._lock:
            if "lr_schedule" in changes and "lr_schedule_params" not in changes:
                changes["lr_schedule_params"] = {}
            if "points" in changes:  # new points say what they are, or it is inferred again
                changes = {"dataset_id": None, "problem_type": None, "class_names": None, **changes}
            spec = replace(self.spec, **changes).resolved()
            # An upload's id stands for its points: naming the upload of points already trained on (a page sends
            # drawn points at once, then the id of their upload) only renames the data; the split stays.
            if any(getattr(spec, name) != getattr(self.spec, name) for name in DATA_FIELDS if name != "dataset_id"):
                self._change_data(spec)
            else:
                self.spec = spec
            if self.status is Status.DIVERGED:
                self.status, self.message = Status.IDLE, None

    def _change_data(self, spec: TrainingSpec) -> None:
        self.settle()  # the epochs played so far replay on the points they trained on
        same_network = spec.layer_sizes == self.spec.layer_sizes and spec.kind() == self.spec.kind()
        self.spec = spec
        self._load_data()
        if same_network:  # the losses on the new points, at the same epoch
            trainer = TRAINERS.get(self.architecture)
            if trainer.compiled:  # in the compiled function, zero epochs: ~0.5 ms, where op by op takes ~4 ms
                *_, train_m, test_m = trainer(self._inputs(0, self._live_tensors()))
                self._record(train_m, test_m)
            else:
                self._evaluate()
        else:
            self._init_weights()

    def reset(self, *, reseed: bool = False) -> None:
        """Back to epoch 0 with the same initial weights, or new ones when ``reseed``."""
        with self._lock:
            if reseed:
                self.spec = replace(self.spec, init_seed=secrets.randbelow(2**31 - 1) + 1)
            self._init_weights()

    def set_parameter(self, *, layer: int, kind: str, index: tuple[int, ...], value: float) -> None:
        """Set one weight (``kind="weight"``, ``index=(from, to)``) or bias (``index=(neuron,)``) of ``layer``.

        Layers count from 0 (the first hidden layer) to the output layer.
        """
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number; received {value}")
        with self._lock:
            self.settle()
            n_layers = len(self.params) // 2
            if not 0 <= layer < n_layers:
                raise ValueError(f"layer must be between 0 and {n_layers - 1}; received {layer}")
            if kind not in ("weight", "bias"):
                raise ValueError(f"kind must be 'weight' or 'bias'; received {kind!r}")
            slot = 2 * layer + (0 if kind == "weight" else 1)
            array = self.params[slot].numpy().copy()
            if len(index) != array.ndim or any(not 0 <= i < n for i, n in zip(index, array.shape)):
                raise ValueError(f"index for a {kind} of layer {layer} must be within shape {list(array.shape)}; "
                                 f"received {list(index)}")
            array[index] = value
            self.params[slot] = tf.constant(array)
            self._evaluate_in_place()

    def _evaluate_in_place(self) -> None:
        """Refresh the current losses after an edit, replacing (not adding) the last history point."""
        self.history.pop()
        self._evaluate()

    # -- looking inside -----------------------------------------------------------------------

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Output (probabilities or values) and every hidden activation for network inputs ``x``."""
        with self._lock:
            out, hidden = PREDICTORS.get(self.shape).now(self.params, tf.constant(x, tf.float32))
            return out.numpy(), [h.numpy() for h in hidden]

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "status": self.status.value,
                "message": self.message,
                "epoch": self.epoch,
                "train_loss": self.metrics.train.get("loss"),
                "test_loss": self.metrics.test.get("loss"),
                "metrics": self.metrics.test,
                "train_metrics": self.metrics.train,
            }


def _structure(spec: TrainingSpec) -> TrainingSpec:
    """``spec`` without what may change during a session's life: the live knobs and the initial-weight seed."""
    blank = TrainingSpec()
    return replace(spec, **{name: getattr(blank, name) for name in LIVE_FIELDS}, init_seed=blank.init_seed)


def _metrics(values: dict[str, tf.Tensor]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, v in values.items():
        array = v.numpy()
        if key == "confusion":
            out["confusion_matrix"] = array.astype(int).tolist()
        else:
            f = float(array)
            out[key] = f if math.isfinite(f) else None
    return out
