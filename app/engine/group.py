"""Sessions of one architecture trained together, in one compiled call: a classroom pressing play at once.

Every session's weights, optimizer slots, step, live knobs (learning rate, schedule parameters, L1/L2 factors)
and data are stacked on a leading session axis, and the loop of ``app.engine.trainer`` runs over all of them:
the same shuffles (``permutation`` of each session's own seed and epoch), objective, optimizer rule and
schedule. A call costs little more than one session's: the ~20 µs of overhead of each mini-batch update is
paid once for the group instead of once per session.

A session's numbers never depend on its neighbours: nothing mixes the session axis, and under XLA each
operation computes a session's slice in the same order whatever the group's size, so a session ends
bit-identical alone or in a group of 50 (``tests/engine/test_group.py``); without XLA the call runs the members
one by one (``_one_by_one``). Against its solo call it agrees to float rounding only (products summed in
another order: 2.5e-7 at most in a weight after 450 updates).

Sessions stay the owners of their state: ``GroupTrainer.train`` takes each one's arguments
(``TrainingSession._inputs``) and hands each outcome back (``TrainingSession.accept``), so a session can
join or leave a group between any two calls, and one that diverges is rolled back alone.
"""

import functools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from app.engine import schedules
from app.engine.background import in_background
from app.engine.network import forward
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import predict
from app.engine.session import Diverged, Status, TrainingSession
from app.engine.shuffle import permutation
from app.engine.grid import grid_inputs
from app.engine.snapshot import Snapshot, from_maps
from app.engine.trainer import (Architecture, FunctionCache, Kind, Shape, ShapeFree, TrainingInputs, _training_loop,
                                evaluate, objective)

# The group sizes compiled: a group is padded (with copies of a member, whose results are dropped) to the next
# one, so an architecture compiles at most this many functions and a call wastes at most a third of its work.
# None is 1: batched kernels take another path for a batch of one (TensorFlow's BatchMatMul and XLA's dot both
# drop the axis) and round differently, so a session alone would not match itself in a group.
GROUP_SIZES = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
MAX_GROUP_SIZE = GROUP_SIZES[-1]
# The sizes compiled in the background for live play (``GroupTrainer.compile_later``): a compile costs seconds of
# a core that play needs too, so a class compiles few; a group runs padded to the next one compiled meanwhile.
BACKGROUND_SIZES = (8, 16, 32, 64)


def padded_size(members: int) -> int:
    """The compiled group size that holds ``members`` (at most ``MAX_GROUP_SIZE``)."""
    for size in GROUP_SIZES:
        if size >= members:
            return size
    raise ValueError(f"A group holds 1 to {MAX_GROUP_SIZE} sessions; received {members}")


def ready_size(arch: Architecture, members: int) -> int | None:
    """The smallest group size already compiled for ``arch`` that holds ``members`` (None: none yet). A group
    may run padded further than ``padded_size`` while its own size compiles: under XLA its numbers are the same."""
    for size in GROUP_SIZES:
        if size >= members:
            fn = GROUP_FUNCTIONS.peek(GroupShape(arch, size))
            if fn is not None and fn.compiled:
                return size
    return None


def slices(count: int, max_size: int) -> list[range]:
    """``range(count)`` cut into the fewest even slices of at most ``max_size``."""
    parts = -(-count // max_size)
    bounds = [round(i * count / parts) for i in range(parts + 1)]
    return [range(lo, hi) for lo, hi in zip(bounds, bounds[1:])]


# Per session, a product of at most this many elements (rows x inputs x outputs) is summed in one fused loop;
# a larger one (a big batch, wide layers, a whole data set) takes the batched matmul, whose fixed cost per
# product is small next to its arithmetic. Even unfused, 64 sessions' products then hold 4 MB at most.
FUSED_PRODUCT_ELEMENTS = 1 << 14


def multiply_and_sum(h: tf.Tensor, w: tf.Tensor) -> tf.Tensor:
    """``h @ w`` for every session on the leading axis ([N, rows, i] @ [N, i, j]), as XLA runs fastest for small
    networks. XLA runs a batched ``matmul`` as one small matrix product per session, as slow as N solo calls
    (measured: no faster at N = 50); a broadcast product summed over ``i`` fuses into one loop over every
    session. The choice hangs on one session's shapes, never on N, so every group size sums alike."""
    if h.shape[-2] * h.shape[-1] * w.shape[-1] > FUSED_PRODUCT_ELEMENTS:
        return tf.matmul(h, w)
    return tf.reduce_sum(h[..., :, None] * w[..., None, :, :], axis=-2)


@dataclass(frozen=True)
class GroupShape:
    """What shapes a group's compiled function: the members' architecture and the padded group size."""

    arch: Architecture
    size: int


def _lift(tensors: Sequence[tf.Tensor]) -> list[tf.Tensor]:
    """Stacked biases [N, units] as [N, 1, units], so every variable broadcasts against a batch [N, rows, units]
    and against per-session scalars shaped [N, 1, 1]."""
    return [t[:, None] if t.shape.rank == 2 else t for t in tensors]


def _lower(tensors: Sequence[tf.Tensor], like: Sequence[tf.Tensor]) -> list[tf.Tensor]:
    return [tf.reshape(t, tf.shape(original)) for t, original in zip(tensors, like)]


def _keep(active: tf.Tensor, new: Sequence[tf.Tensor], old: Sequence[tf.Tensor]) -> list[tf.Tensor]:
    """``new`` for the sessions still ``active`` (a [N] mask), ``old`` (exactly) for those done."""
    return [tf.where(tf.reshape(active, [-1] + [1] * (n.shape.rank - 1)), n, o) for n, o in zip(new, old)]


def _group_loop(kind: Kind, n: int, batch_size: int, matmul: Callable) -> Callable:
    """The loop of ``trainer._training_loop`` (static shapes) over stacked sessions: its ``TrainingInputs`` are
    those of ``TrainingSession._inputs`` stacked on a new leading axis. Each member runs its own ``epochs``: the
    loop runs the most any member asked for, and a member past its own count keeps its numbers unchanged."""
    optimizer = OPTIMIZERS.get(kind.optimizer)
    full_batches, remainder = divmod(n, batch_size)

    def rates(lr, step, sched):
        # A schedule is written for one session (piecewise compares one step with a list of boundaries):
        # vectorized_map turns it into batched ops over the session axis (refusing to fall back to a loop).
        return tf.vectorized_map(lambda a: schedules.rate(kind.lr_schedule, *a), (lr, step, sched),
                                 fallback_to_while_loop=False)

    def update(params, slots, step, x, y, lr, sched, l1, l2):
        with tf.GradientTape() as tape:
            tape.watch(params)
            # Sessions share no variable, so the gradient of the sum is each session's own gradient.
            total = tf.reduce_sum(objective(kind, params, x, y, l1, l2, matmul=matmul))
        grads = tape.gradient(total, params)
        rate = rates(lr, step, sched)
        params, slots = optimizer.apply(params, grads, slots, rate[:, None, None], step[:, None, None])
        return params, slots, step + 1

    def run(inputs: TrainingInputs):
        params, slots, step, epoch, seed = inputs.params, inputs.slots, inputs.step, inputs.epoch, inputs.seed
        x_train, y_train, x_test, y_test = inputs.x_train, inputs.y_train, inputs.x_test, inputs.y_test
        lr, sched, l1, l2 = inputs.lr, inputs.sched, inputs.l1, inputs.l2
        epochs = inputs.epochs
        k = tf.reduce_max(epochs)
        stacked_params, stacked_slots = list(params), list(slots)
        params, slots = _lift(params), _lift(slots)
        size = x_train.shape[0]

        def as_batches(t):  # [N, n, d] -> [batches, N, batch_size, d]: batch i of every session is one slice
            t = tf.reshape(t[:, :full_batches * batch_size], [size, full_batches, batch_size, t.shape[-1]])
            return tf.transpose(t, [1, 0, 2, 3])

        def one_epoch(e, old_params, old_slots, old_step):
            params, slots, step = old_params, old_slots, old_step
            order = permutation(n, seed[:, None], (epoch + e)[:, None])  # each row is that session's solo order
            xs, ys = tf.gather(x_train, order, batch_dims=1), tf.gather(y_train, order, batch_dims=1)
            xb, yb = as_batches(xs), as_batches(ys)

            def one_batch(i, params, slots, step):
                params, slots, step = update(params, slots, step, xb[i], yb[i], lr, sched, l1, l2)
                return i + 1, params, slots, step

            _, params, slots, step = tf.while_loop(
                lambda i, *_: i < full_batches, one_batch, (tf.constant(0), params, slots, step))
            if remainder:
                tail = full_batches * batch_size
                params, slots, step = update(params, slots, step, xs[:, tail:], ys[:, tail:], lr, sched, l1, l2)
            active = e < epochs
            params, slots = _keep(active, params, old_params), _keep(active, slots, old_slots)
            return e + 1, params, slots, tf.where(active, step, old_step)

        _, params, slots, step = tf.while_loop(
            lambda e, *_: e < k, one_epoch, (tf.constant(0, tf.int64), params, slots, step))
        train_m = evaluate(kind, params, x_train, y_train, matmul=matmul)
        test_m = evaluate(kind, params, x_test, y_test, matmul=matmul)
        finite = tf.reduce_all(tf.stack([tf.reduce_all(tf.math.is_finite(p), axis=[1, 2]) for p in params]), axis=0)
        return _lower(params, stacked_params), _lower(slots, stacked_slots), step, train_m, test_m, finite

    return run


def _one_by_one(kind: Kind, n: int, batch_size: int) -> Callable:
    """Without XLA, the same call runs each member's own solo loop (``trainer._training_loop``) in turn: graph
    mode's batched kernels pick their inner loops by the whole batch, so stacked sessions would round
    differently in groups of different sizes (measured: about half of a layer's weights
    an ulp or two apart between groups of 2 and 8)."""
    solo = _training_loop(kind, (n, batch_size))
    bs = tf.constant(batch_size, tf.int64)

    def run(members: TrainingInputs):
        def one(m):
            return solo(m, bs)

        one_member = tf.nest.map_structure(lambda t: tf.TensorSpec(t.shape[1:], t.dtype), members)
        outputs = tf.function(one, autograph=False).get_concrete_function(one_member).structured_outputs
        signature = tf.nest.map_structure(lambda t: tf.TensorSpec(t.shape, t.dtype), outputs)
        params, slots, step, train_m, test_m = tf.map_fn(one, members, fn_output_signature=signature)
        finite = tf.reduce_all(tf.stack([tf.reduce_all(tf.reshape(tf.math.is_finite(p), [tf.shape(p)[0], -1]),
                                                       axis=1) for p in params]), axis=0)
        return params, slots, step, train_m, test_m, finite

    return run


class GroupFunction:
    """The compiled training function of one ``GroupShape``, and whether it has run (so costs no compile)."""

    def __init__(self, shape: GroupShape) -> None:
        arch = shape.arch
        self.shape = shape
        if arch.jit_compile:
            run = _group_loop(arch.kind, arch.n_train, arch.batch_size, multiply_and_sum)
        else:
            run = _one_by_one(arch.kind, arch.n_train, arch.batch_size)
        self._fn = tf.function(run, jit_compile=arch.jit_compile, reduce_retracing=True, autograph=False)
        self._compiled = threading.Event()

    def __repr__(self) -> str:
        return f"GroupFunction({self.shape})"

    @property
    def compiled(self) -> bool:
        return self._compiled.is_set()

    def __call__(self, *args):
        result = self._fn(*args)
        self._compiled.set()
        return result


GROUP_FUNCTIONS: FunctionCache[GroupShape] = FunctionCache(GroupFunction)  # each costs 5–11 MB, as a Trainer


def _build_group_predictor(shape: Shape) -> ShapeFree:
    def run(params, x_output, x_neurons):
        # The output grid keeps no hidden layer: only the (smaller) neuron grid's activations come back.
        logits, _ = forward(_lift(params), x_output, shape.activations)
        _, hidden = forward(_lift(params), x_neurons, shape.activations, keep_hidden=True)
        return predict(shape.problem, logits), hidden

    return ShapeFree(run)  # one trace for any group size, width and grid


GROUP_PREDICTORS: FunctionCache[Shape] = FunctionCache(_build_group_predictor)


@contextmanager
def _locked(sessions: Sequence[TrainingSession]) -> Iterator[None]:
    """Every session's lock, taken in one global order so two groups sharing members cannot deadlock."""
    with ExitStack() as stack:
        for session in sorted(sessions, key=id):
            stack.enter_context(session._lock)
        yield


def _stack(inputs: list[TrainingInputs], size: int) -> TrainingInputs:
    """``TrainingSession._inputs`` of every member stacked, padded to ``size`` with copies of the first."""
    padded = inputs + [inputs[0]] * (size - len(inputs))
    return tf.nest.map_structure(lambda *ts: tf.stack(ts), *padded)


def _unstack(outcome: tuple, members: int) -> list[tuple]:
    """The group's outcome as each member's own (``TrainingSession.accept`` takes it): one unstack per tensor."""
    columns = [tf.unstack(t) for t in tf.nest.flatten(outcome)]
    return [tf.nest.pack_sequence_as(outcome, [c[i] for c in columns]) for i in range(members)]


class GroupTrainer:
    """Trains sessions of one architecture together. A call holds at most ``max_size`` sessions (bounding its
    memory and time); more are trained in even slices, one call each."""

    def __init__(self, max_size: int = MAX_GROUP_SIZE) -> None:
        if not 1 <= max_size <= MAX_GROUP_SIZE:
            raise ValueError(f"max_size must be between 1 and {MAX_GROUP_SIZE}; received {max_size}")
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"GroupTrainer(max_size={self.max_size})"

    def train(self, sessions: Sequence[TrainingSession], epochs: int | Sequence[int]) -> list[Diverged | None]:
        """Run ``epochs`` exact epochs of every session (one count for all, or each member's own), as its own
        ``train(epochs)`` would (up to float rounding).

        Provisional epochs are settled first. Returns, per session, ``None`` or the ``Diverged`` it met: that
        session alone keeps its last finite weights (one that had diverged before is not trained).
        """
        counts = [epochs] * len(sessions) if isinstance(epochs, int) else list(epochs)
        if len(counts) != len(sessions):
            raise ValueError(f"A group takes one epoch count per session; received {len(counts)} for "
                             f"{len(sessions)} sessions")
        if min(counts, default=1) < 1:
            raise ValueError(f"epochs must be at least 1; received {min(counts)}")
        _check_group(sessions, lambda s: s.architecture, "architecture")
        outcome: list[Diverged | None] = [None] * len(sessions)
        with _locked(sessions):
            live = []
            for i, session in enumerate(sessions):
                session.settle()
                if session.status is Status.DIVERGED:
                    outcome[i] = Diverged(session.message or "training diverged")
                else:
                    live.append(i)
            for part in slices(len(live), self.max_size):
                members = [live[j] for j in part]
                trained = self._train_together([sessions[i] for i in members], [counts[i] for i in members])
                for i, error in zip(members, trained):
                    outcome[i] = error
        return outcome

    def _train_together(self, members: list[TrainingSession], epochs: list[int]) -> list[Diverged | None]:
        arch = members[0].architecture
        size = ready_size(arch, len(members)) or padded_size(len(members))
        fn = GROUP_FUNCTIONS.get(GroupShape(arch, size))
        inputs = [m._inputs(e, m._live_tensors()) for m, e in zip(members, epochs)]
        started = time.perf_counter()
        *result, finite = fn(_stack(inputs, size))
        share = (time.perf_counter() - started) / len(members)  # each member's part of the call
        errors: list[Diverged | None] = []
        for member, e, own, ok in zip(members, epochs, _unstack(tuple(result), len(members)), finite.numpy()):
            try:
                member.accept(e, own, share, params_finite=bool(ok))
                errors.append(None)
            except Diverged as error:
                errors.append(error)
        return errors

    def compiled(self, sessions: Sequence[TrainingSession]) -> bool:
        """Whether training ``sessions`` together would reuse compiled functions (no compile to wait for)."""
        _check_group(sessions, lambda s: s.architecture, "architecture")
        return all(ready_size(sessions[part[0]].architecture, len(part)) is not None
                   for part in slices(len(sessions), self.max_size))

    def warm(self, sessions: Sequence[TrainingSession]) -> None:
        """Compile what training ``sessions`` together needs, without changing them (zero epochs)."""
        _check_group(sessions, lambda s: s.architecture, "architecture")
        with _locked(sessions):
            for part in slices(len(sessions), self.max_size):
                members = [sessions[i] for i in part]
                size = padded_size(len(members))
                fn = GROUP_FUNCTIONS.get(GroupShape(members[0].architecture, size))
                fn(_stack([m._inputs(0, m._live_tensors()) for m in members], size))

    def compile_later(self, sessions: Sequence[TrainingSession]) -> None:
        """Compile, on the engine's background thread, a function that can train ``sessions`` together (unless
        one is compiled: the next of ``BACKGROUND_SIZES``): their arguments are taken now (under their locks, for
        a moment), so the compile holds no session."""
        _check_group(sessions, lambda s: s.architecture, "architecture")
        for part in slices(len(sessions), self.max_size):
            members = [sessions[i] for i in part]
            arch = members[0].architecture
            if ready_size(arch, len(members)) is not None:
                continue
            shape = GroupShape(arch, next(size for size in BACKGROUND_SIZES if size >= len(members)))
            fn = GROUP_FUNCTIONS.get(shape)
            with _locked(members):
                stacked = _stack([m._inputs(0, m._live_tensors()) for m in members], shape.size)
            in_background(("group", shape), lambda fn=fn, stacked=stacked: fn(stacked))

    def warm_sizes(self, session: TrainingSession, sizes: Sequence[int]) -> None:
        """Compile the group functions of ``session``'s architecture for groups of ``sizes`` (copies of it stand
        in for the members), so a classroom of that network trains together from its first frames."""
        with session._lock:
            inputs = session._inputs(0, session._live_tensors())
        for size in sizes:
            GROUP_FUNCTIONS.get(GroupShape(session.architecture, size))(_stack([inputs], size))

    def snapshots(self, sessions: Sequence[TrainingSession], resolution: int,
                  neuron_resolution: int) -> list[Snapshot]:
        """Each session's ``snapshot`` (output and every neuron over the grid), from one call per slice."""
        _check_group(sessions, lambda s: (s.shape, s.spec.layer_sizes), "network")
        out: list[Snapshot] = []
        for part in slices(len(sessions), self.max_size):
            members = [sessions[i] for i in part]
            with _locked(members):
                params = [tf.stack(ts) for ts in zip(*(m.params for m in members))]
            x_output = np.stack([_grid(m.spec.features, resolution) for m in members])
            x_neurons = np.stack([_grid(m.spec.features, neuron_resolution) for m in members])
            output, hidden = GROUP_PREDICTORS.get(members[0].shape)(params, tf.constant(x_output),
                                                                     tf.constant(x_neurons))
            output, hidden = output.numpy(), [h.numpy() for h in hidden]
            out += [from_maps(m.spec.features, resolution, neuron_resolution, output[i], [h[i] for h in hidden])
                    for i, m in enumerate(members)]
        return out


@functools.lru_cache(maxsize=64)
def _grid(feature_names: tuple[str, ...], resolution: int) -> np.ndarray:
    """A grid's network inputs (``grid_inputs``), computed once per features and resolution (read-only)."""
    x = grid_inputs(resolution, feature_names)
    x.setflags(write=False)
    return x


def _check_group(sessions: Sequence[TrainingSession], key: Callable, what: str) -> None:
    if len({id(s) for s in sessions}) != len(sessions):
        raise ValueError("A group lists each session once; received a session twice")
    keys = {key(s) for s in sessions}
    if len(keys) > 1:
        raise ValueError(f"A group's sessions share one {what}; received {len(keys)}: {sorted(map(str, keys))}")
