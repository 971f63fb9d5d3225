"""The compiled training loop, shared by every session with the same architecture.

One call runs ``k`` epochs inside the graph: shuffle (by a hash of ``[seed, epoch]`` so a
replay is identical however the epochs are split into calls), mini-batch updates in a
``tf.while_loop`` (``k`` stays a tensor, so a new ``k`` never recompiles), then the train and test
losses and metrics. Everything that may change while training — learning rate, schedule
parameters, regularization — comes in as tensors, so changing it never retraces.

Three ways to run the same loop, from no wait to full speed (``Trainer``):
  - op by op (eager): nothing to trace; ~10 epochs/s;
  - graph mode, traced once per ``Kind`` for any width, data size and batch size (``ShapeFree``): ~0.3 s to
    trace, ~500 epochs/s;
  - XLA, compiled per ``Architecture`` (static shapes): ~1 s to compile, 3,000–10,000 epochs/s.
XLA is the exact version (graph mode when ``jit_compile`` is off): its numbers are a session's. While it
compiles on a background thread (``Trainer.compile_later``), live play trains provisionally on the others
and replays exactly afterwards (``TrainingSession.train``).
"""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

import numpy as np
import tensorflow as tf

from app.engine import schedules
from app.engine.background import in_background
from app.engine.losses import training_loss
from app.engine.network import forward
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem, predict
from app.engine.shuffle import permutation


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Kind:
    """What the graph-mode training function depends on. Layer widths, data sizes and the batch size are
    left out: it takes them as tensors of unknown shape, so one trace serves every width of a network.
    Built by ``TrainingSpec.kind``, for the trainer and the worker placement alike."""

    activations: tuple[str, ...]
    problem: Problem
    num_classes: int
    loss: str
    optimizer: str
    lr_schedule: str


@dataclass(frozen=True)
class Architecture:
    """Everything that shapes the compiled (XLA) function. Sessions that agree on it share one. Built by
    ``TrainingSpec.architecture``, for the trainer and the worker placement alike."""

    kind: Kind
    layer_sizes: tuple[int, ...]
    schedule_shapes: tuple[tuple[str, int], ...]  # list-valued schedule parameters change shapes
    batch_size: int
    n_train: int
    n_test: int
    jit_compile: bool


class TrainingInputs(NamedTuple):
    """What one call of a training function takes, by name (every field a tensor, or a list or dict of them).

    ``epochs`` is how many epochs the call runs (0: none, only the losses), from epoch ``epoch`` on. The live
    knobs are tensors so a new value never retraces: ``lr``, the schedule's parameters ``sched``, and the
    regularization weights ``l1`` and ``l2``.
    """

    params: list[tf.Tensor]
    slots: list[tf.Tensor]
    step: tf.Tensor
    epoch: tf.Tensor
    epochs: tf.Tensor
    seed: tf.Tensor
    x_train: tf.Tensor
    y_train: tf.Tensor
    x_test: tf.Tensor
    y_test: tf.Tensor
    lr: tf.Tensor
    sched: dict[str, tf.Tensor]
    l1: tf.Tensor
    l2: tf.Tensor


def per_network(reduce: Callable, t: tf.Tensor, rank: int) -> tf.Tensor:
    """``reduce`` (``tf.reduce_mean``, ``tf.reduce_sum``) over one network's ``rank`` axes of ``t``: one value,
    or one per network when networks are stacked on a leading axis (``app.engine.group``).

    One network reduces over every axis: named negative axes of unknown sizes (the graph-mode stand-in's) make
    each reduction's gradient compute its shape (Range, FloorMod, DynamicStitch, Fill: 84 more nodes in a
    3-layer network's trace, 9 more ops in every update run op by op), which a first frame waits for.
    """
    if t.shape.rank == rank:
        return reduce(t)
    return reduce(t, axis=list(range(-rank, 0)))


def evaluate(kind: Kind, params, x, y, matmul: Callable = tf.matmul) -> dict[str, tf.Tensor]:
    """Mean data loss and the problem's metric (accuracy, or MAE for regression), per network (``per_network``)."""
    logits, _ = forward(params, x, kind.activations, matmul=matmul)
    loss = per_network(tf.reduce_mean, training_loss(kind.loss, kind.problem)(y, logits), 1)
    out = {"loss": loss}
    if kind.problem is Problem.REGRESSION:
        out["mae"] = per_network(tf.reduce_mean, tf.abs(logits - y), 2)
        return out
    if kind.problem is Problem.BINARY:
        predicted = tf.cast(logits[..., 0] > 0, tf.int32)
        truth = tf.cast(y[..., 0], tf.int32)
    else:
        predicted = tf.argmax(logits, axis=-1, output_type=tf.int32)
        truth = tf.argmax(y, axis=-1, output_type=tf.int32)
    out["accuracy"] = per_network(tf.reduce_mean, tf.cast(tf.equal(predicted, truth), tf.float32), 1)
    # Rows are true classes, columns predicted ones (tf.math.confusion_matrix's layout, without its
    # asserts, which XLA cannot compile).
    out["confusion"] = tf.matmul(tf.one_hot(truth, kind.num_classes), tf.one_hot(predicted, kind.num_classes),
                                 transpose_a=True)
    return out


def objective(kind: Kind, params, x, y, l1, l2, matmul: Callable = tf.matmul) -> tf.Tensor:
    """What the optimizer minimises: the mean data loss plus the L1 and L2 penalties on the kernels (one value
    per network when they are stacked on a leading axis)."""
    logits, _ = forward(params, x, kind.activations, matmul=matmul)
    data = per_network(tf.reduce_mean, training_loss(kind.loss, kind.problem)(y, logits), 1)
    kernels = params[0::2]
    # Op by op (a first frame's stand-in) a penalty known to be zero is left out: adding 0 and its zero
    # gradient changes no number and saves a third of a small network's ops per update. Traced, a rate is a
    # tensor of unknown value: both penalties are always in the graph, added as before.
    terms = [rate * tf.add_n([per_network(tf.reduce_sum, size(w), 2) for w in kernels])
             for rate, size in ((l1, tf.abs), (l2, tf.square)) if not _known_zero(rate)]
    if not terms:
        return data
    return data + (terms[0] + terms[1] if len(terms) == 2 else terms[0])


def _known_zero(t: tf.Tensor) -> bool:
    value = tf.get_static_value(t)
    return value is not None and not np.any(value)


def _training_loop(kind: Kind, sizes: tuple[int, int] | None) -> Callable:
    """The Python function both versions trace. With ``sizes`` (training-set size, batch size) every shape
    is static, as XLA needs; without, both come from the tensors (``batch_size`` is then an argument)."""
    optimizer = OPTIMIZERS.get(kind.optimizer)

    def update(params, slots, step, x, y, lr, sched, l1, l2):
        with tf.GradientTape() as tape:
            tape.watch(params)
            total = objective(kind, params, x, y, l1, l2)
        grads = tape.gradient(total, params)
        rate = schedules.rate(kind.lr_schedule, lr, step, sched)
        params, slots = optimizer.apply(params, grads, slots, rate, step)
        return params, slots, step + 1

    def run(inputs: TrainingInputs, batch_size):
        params, slots, step = list(inputs.params), list(inputs.slots), inputs.step
        epoch, k, seed, lr, sched, l1, l2 = (inputs.epoch, inputs.epochs, inputs.seed, inputs.lr, inputs.sched,
                                             inputs.l1, inputs.l2)
        x_train, y_train, x_test, y_test = inputs.x_train, inputs.y_train, inputs.x_test, inputs.y_test
        n = sizes[0] if sizes else tf.shape(x_train, out_type=tf.int64)[0]

        def one_epoch(e, params, slots, step):
            order = permutation(n, seed, epoch + e)
            xs, ys = tf.gather(x_train, order), tf.gather(y_train, order)
            params, slots, step = (batches_static if sizes else batches_dynamic)(xs, ys, params, slots, step)
            return e + 1, params, slots, step

        def batches_static(xs, ys, params, slots, step):
            # XLA needs every batch's shape: the full batches as one [batches, size, ...] tensor, the
            # remainder (if any) as one more update.
            bs = sizes[1]
            full_batches, remainder = divmod(n, bs)
            xb = tf.reshape(xs[: full_batches * bs], [full_batches, bs, -1])
            yb = tf.reshape(ys[: full_batches * bs], [full_batches, bs, -1])

            def one_batch(i, params, slots, step):
                params, slots, step = update(params, slots, step, xb[i], yb[i], lr, sched, l1, l2)
                return i + 1, params, slots, step

            _, params, slots, step = tf.while_loop(
                lambda i, *_: i < full_batches, one_batch, (tf.constant(0), params, slots, step))
            if remainder:
                params, slots, step = update(params, slots, step, xs[full_batches * bs:], ys[full_batches * bs:],
                                             lr, sched, l1, l2)
            return params, slots, step

        def batches_dynamic(xs, ys, params, slots, step):
            # Graph mode slices batches of any size: the same batches, one update traced.
            bs = tf.cast(batch_size, tf.int64)

            def one_batch(lo, params, slots, step):
                hi = tf.minimum(lo + bs, n)
                params, slots, step = update(params, slots, step, xs[lo:hi], ys[lo:hi], lr, sched, l1, l2)
                return hi, params, slots, step

            _, params, slots, step = tf.while_loop(
                lambda lo, *_: lo < n, one_batch, (tf.constant(0, tf.int64), params, slots, step))
            return params, slots, step

        _, params, slots, step = tf.while_loop(
            lambda e, *_: e < k, one_epoch, (tf.constant(0, tf.int64), params, slots, step))
        return params, slots, step, evaluate(kind, params, x_train, y_train), evaluate(kind, params, x_test, y_test)

    return run


def _layout(value: Any) -> Any:
    """The nesting, ranks and dtypes of ``value``: what a shape-free trace depends on (cheap to compute)."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_layout(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *((k, _layout(v)) for k, v in sorted(value.items())))
    return value.shape.rank, value.dtype


class ShapeFree:
    """A graph-mode function traced for unknown dimensions: only ranks and dtypes, read off its first call,
    are fixed, so later calls with other shapes (another width, data size or batch) reuse the trace."""

    def __init__(self, fn: Callable) -> None:
        self.eager = fn  # the same function run op by op: no trace to wait for, slower per step
        self._traced: dict[tuple, Callable] = {}
        self._ready: set[tuple] = set()
        self._lock = threading.Lock()

    def traced(self) -> bool:
        """Traced and run for some arguments: every call of the same structure reuses that trace."""
        return bool(self._ready)

    def ready(self, *args) -> bool:
        """Traced for arguments like ``args`` and run once (the first run also optimises the graph)."""
        return _layout(args) in self._ready

    def __call__(self, *args):
        return self._call(_layout(args), args)

    def _call(self, key: tuple, args: tuple):
        with self._lock:
            traced = self._traced.get(key)
            if traced is None:
                signature = tf.nest.map_structure(lambda t: tf.TensorSpec([None] * t.shape.rank, t.dtype), args)
                # No AutoGraph: the loops are tf.while_loop already, and converting would parse source in this
                # thread (on CPython 3.11.7 two threads in ast.parse at once can fail; tests/engine/conftest.py).
                traced = self._traced[key] = tf.function(self.eager, input_signature=signature, autograph=False)
        result = traced(*args)
        self._ready.add(key)
        return result

    def now(self, *args):
        """The traced function if ready, else the eager one while the trace is made in the background."""
        key = _layout(args)
        if key in self._ready:
            return self._call(key, args)
        self.warm_later(*args)
        return self.eager(*args)

    def warm_later(self, *args) -> None:
        key = _layout(args)
        if key not in self._ready:
            in_background((self, key), lambda: self._call(key, args))


class Trainer:
    """The training functions of one architecture. Calling it runs the exact version: XLA-compiled when
    ``arch.jit_compile``, else graph mode; ``graph`` runs the graph-mode one (shared by every width) and
    ``eager`` the same op by op. ``stand_in`` picks between those two while the exact one is not compiled.

    They give the same numbers up to float rounding (~1e-7 after hundreds of epochs), not bitwise, so a
    session's reference numbers are always the exact version's. A session holds on to the ``Trainer`` of
    every provisional call, so a compile done in the background stays done even if the cache drops it.
    """

    # Op by op an update costs ~3–7 ms: a call with more updates is faster traced (then it waits for the trace).
    MAX_EAGER_UPDATES = 64

    def __init__(self, arch: Architecture) -> None:
        self.arch = arch
        self._shape_free = GRAPH_TRAINERS.get(arch.kind)
        self._batch_size = tf.constant(arch.batch_size, tf.int64)
        self._updates_per_epoch = -(-arch.n_train // arch.batch_size)
        self._xla = tf.function(_training_loop(arch.kind, (arch.n_train, arch.batch_size)), jit_compile=True,
                                reduce_retracing=True, autograph=False) if arch.jit_compile else None
        self._compiled = threading.Event()

    def __repr__(self) -> str:
        return f"Trainer({self.arch})"

    def graph(self, inputs: TrainingInputs):
        return self._shape_free(inputs, self._batch_size)

    def eager(self, inputs: TrainingInputs):
        return self._shape_free.eager(inputs, self._batch_size)

    def stand_in(self, epochs: int, inputs: TrainingInputs) -> Callable:
        """What to run ``epochs`` epochs with while the exact version is not compiled."""
        if self._shape_free.ready(inputs, self._batch_size) or epochs * self._updates_per_epoch > self.MAX_EAGER_UPDATES:
            return self.graph
        return self.eager

    @property
    def compiled(self) -> bool:
        """The exact version has run once, so calling it costs no compile. Without XLA the exact version is
        the graph-mode one, shared by every size of this kind of network: ready once any of them has run."""
        return self._compiled.is_set() or (self._xla is None and self._shape_free.traced())

    def __call__(self, inputs: TrainingInputs):
        result = self._xla(inputs, self._batch_size) if self._xla else self.graph(inputs)
        self._compiled.set()
        return result

    def compile(self, inputs: TrainingInputs) -> None:
        """Make the graph-mode version, then the exact one, ready by running them on ``inputs`` (zero epochs;
        the results are dropped)."""
        self.graph(inputs)
        self(inputs)

    def compile_later(self, inputs: TrainingInputs) -> None:
        """``compile`` on the background thread, unless compiled or queued already."""
        if not self.compiled:
            in_background(self, lambda: self.compile(inputs))


class FunctionCache(Generic[K]):
    """Functions by what shapes their graph (an ``Architecture``, a ``Kind`` or a ``Shape``), built on first
    use. Beyond ``capacity`` the least recently used are let go; one that something still holds (a session's
    provisional calls hold their ``Trainer``) is found again rather than built and compiled a second time."""

    def __init__(self, build: Callable[[K], Callable], capacity: int = 64) -> None:
        self._build = build
        self._capacity = capacity
        self._functions: OrderedDict[K, Callable] = OrderedDict()
        self._held: weakref.WeakValueDictionary[K, Callable] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def get(self, key: K) -> Callable:
        with self._lock:
            fn = self._functions.get(key)
            if fn is None:
                fn = self._held.get(key)
                if fn is None:
                    fn = self._held[key] = self._build(key)
                self._functions[key] = fn
                while len(self._functions) > self._capacity:
                    self._functions.popitem(last=False)
            else:
                self._functions.move_to_end(key)
            return fn

    def peek(self, key: K) -> Callable | None:
        """The function of ``key`` if it is built, else None (nothing is built, nothing let go)."""
        with self._lock:
            return self._functions.get(key) or self._held.get(key)

    def __len__(self) -> int:
        return len(self._functions)


GRAPH_TRAINERS = FunctionCache(lambda kind: ShapeFree(_training_loop(kind, None)))


TRAINERS: FunctionCache[Architecture] = FunctionCache(Trainer)  # each compiled XLA function costs 5–11 MB


@dataclass(frozen=True)
class Shape:
    """What the forward pass depends on (not the widths: ``ShapeFree``), so snapshots share one trace
    across more sessions than training."""

    activations: tuple[str, ...]
    problem: Problem


def _build_predictor(shape: Shape) -> Callable:
    def run(params, x):
        logits, hidden = forward(params, x, shape.activations, keep_hidden=True)
        return predict(shape.problem, logits), hidden

    return ShapeFree(run)


PREDICTORS = FunctionCache(_build_predictor)
