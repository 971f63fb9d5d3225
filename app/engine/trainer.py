"""The compiled training loop, shared by every session with the same architecture.

One call runs ``k`` epochs inside the graph: shuffle (by a hash of ``[seed, epoch]`` so a
replay is identical however the epochs are split into calls), mini-batch updates in a
``tf.while_loop`` (``k`` stays a tensor, so a new ``k`` never recompiles), then the train and test
losses and metrics. Everything that may change while training — learning rate, schedule
parameters, regularization — comes in as tensors, so changing it never retraces.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import tensorflow as tf

from app.engine import schedules
from app.engine.losses import training_loss
from app.engine.network import forward
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem, predict
from app.engine.shuffle import permutation


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Architecture:
    """Everything that changes the graph. Sessions that agree on it share one compiled function."""

    layer_sizes: tuple[int, ...]
    activations: tuple[str, ...]
    problem: Problem
    num_classes: int
    loss: str
    optimizer: str
    lr_schedule: str
    schedule_shapes: tuple[tuple[str, int], ...]  # list-valued schedule parameters change shapes
    batch_size: int
    n_train: int
    n_test: int
    jit_compile: bool


def evaluate(arch: Architecture, params, x, y) -> dict[str, tf.Tensor]:
    """Mean data loss and the problem's metric (accuracy, or MAE for regression)."""
    logits, _ = forward(params, x, arch.activations)
    loss = tf.reduce_mean(training_loss(arch.loss, arch.problem)(y, logits))
    out = {"loss": loss}
    if arch.problem is Problem.REGRESSION:
        out["mae"] = tf.reduce_mean(tf.abs(logits - y))
        return out
    if arch.problem is Problem.BINARY:
        predicted = tf.cast(logits[:, 0] > 0, tf.int32)
        truth = tf.cast(y[:, 0], tf.int32)
    else:
        predicted = tf.argmax(logits, axis=1, output_type=tf.int32)
        truth = tf.argmax(y, axis=1, output_type=tf.int32)
    out["accuracy"] = tf.reduce_mean(tf.cast(tf.equal(predicted, truth), tf.float32))
    # Rows are true classes, columns predicted ones (tf.math.confusion_matrix's layout, without its
    # asserts, which XLA cannot compile).
    out["confusion"] = tf.matmul(tf.one_hot(truth, arch.num_classes), tf.one_hot(predicted, arch.num_classes),
                                 transpose_a=True)
    return out


def _build(arch: Architecture) -> Callable:
    optimizer = OPTIMIZERS.get(arch.optimizer)
    per_sample_loss = training_loss(arch.loss, arch.problem)
    n, bs = arch.n_train, arch.batch_size
    full_batches, remainder = divmod(n, bs)

    def objective(params, x, y, l1, l2):
        logits, _ = forward(params, x, arch.activations)
        data = tf.reduce_mean(per_sample_loss(y, logits))
        kernels = params[0::2]
        penalty = l1 * tf.add_n([tf.reduce_sum(tf.abs(w)) for w in kernels]) + \
            l2 * tf.add_n([tf.reduce_sum(tf.square(w)) for w in kernels])
        return data + penalty

    def update(params, slots, step, x, y, lr, sched, l1, l2):
        with tf.GradientTape() as tape:
            tape.watch(params)
            total = objective(params, x, y, l1, l2)
        grads = tape.gradient(total, params)
        rate = schedules.rate(arch.lr_schedule, lr, step, sched)
        params, slots = optimizer.apply(params, grads, slots, rate, step)
        return params, slots, step + 1

    def run(params, slots, step, epoch, k, seed, x_train, y_train, x_test, y_test, lr, sched, l1, l2):
        params, slots = list(params), list(slots)

        def one_epoch(e, params, slots, step):
            order = permutation(n, seed, epoch + e)
            xs, ys = tf.gather(x_train, order), tf.gather(y_train, order)
            xb = tf.reshape(xs[: full_batches * bs], [full_batches, bs, -1])
            yb = tf.reshape(ys[: full_batches * bs], [full_batches, bs, -1])

            def one_batch(i, params, slots, step):
                params, slots, step = update(params, slots, step, xb[i], yb[i], lr, sched, l1, l2)
                return i + 1, params, slots, step

            _, params, slots, step = tf.while_loop(
                lambda i, *_: i < full_batches, one_batch, (tf.constant(0), params, slots, step))
            if remainder:
                params, slots, step = update(params, slots, step, xs[full_batches * bs:],
                                             ys[full_batches * bs:], lr, sched, l1, l2)
            return e + 1, params, slots, step

        _, params, slots, step = tf.while_loop(
            lambda e, *_: e < k, one_epoch, (tf.constant(0, tf.int64), params, slots, step))
        return params, slots, step, evaluate(arch, params, x_train, y_train), evaluate(arch, params, x_test, y_test)

    # No AutoGraph: the loops are tf.while_loop already, and converting would parse this module's source in
    # the training thread (on CPython 3.11.7, two threads in ast.parse at once can fail; tests/engine/conftest.py).
    return tf.function(run, jit_compile=arch.jit_compile, reduce_retracing=True, autograph=False)


class FunctionCache(Generic[K]):
    """Compiled functions by what shapes their graph (an ``Architecture`` or a ``Shape``), least recently
    used evicted (each costs 5–11 MB)."""

    def __init__(self, build: Callable[[K], Callable], capacity: int = 64) -> None:
        self._build = build
        self._capacity = capacity
        self._functions: OrderedDict[K, Callable] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> Callable:
        with self._lock:
            fn = self._functions.get(key)
            if fn is None:
                fn = self._functions[key] = self._build(key)
                while len(self._functions) > self._capacity:
                    self._functions.popitem(last=False)
            else:
                self._functions.move_to_end(key)
            return fn

    def __len__(self) -> int:
        return len(self._functions)


TRAINERS = FunctionCache(_build)


@dataclass(frozen=True)
class Shape:
    """What the forward pass depends on: snapshots are shared across more sessions than training."""

    layer_sizes: tuple[int, ...]
    activations: tuple[str, ...]
    problem: Problem


def _build_predictor(shape: Shape) -> Callable:
    def run(params, x):
        logits, hidden = forward(params, x, shape.activations, keep_hidden=True)
        return predict(shape.problem, logits), hidden

    return tf.function(run, reduce_retracing=True, autograph=False)


PREDICTORS = FunctionCache(_build_predictor)
