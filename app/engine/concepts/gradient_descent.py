"""Gradient descent on small functions with Keras's own optimizers, and batch sizes on a linear regression.

A descent run is the loop a learner writes in a notebook: ``tf.GradientTape`` for the gradient, then
``optimizer.apply_gradients``. It runs inside one ``tf.function`` that is compiled once per
(function, optimizer) pair and reused for every request (the optimizer's state is reset before each
run), so 1,000 steps take milliseconds instead of the seconds an eager loop costs.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.numeric import scalar, to_json
from app.engine.optimizers import OPTIMIZERS
from app.engine.registry import Registry

VERDICTS = ("converging", "oscillating", "bouncing", "diverging")


@dataclass(frozen=True)
class Function:
    """J(x) over the last axis of ``x`` (so one call evaluates a whole grid)."""

    fn: Callable[[tf.Tensor], tf.Tensor]
    dimensions: int
    source: str  # the same J as Python code over ``x`` (a tf.Variable), for the page's code block
    domain: tuple[tuple[float, float], ...]  # where to draw it, per axis
    start: tuple[float, ...]  # a start that shows the function's character
    minima: tuple[tuple[float, ...], ...] = ()
    # Second derivative along each axis, for quadratics: plain gradient descent on them is smooth for
    # lr < 1/c, oscillates for 1/c < lr < 2/c, bounces at lr = 2/c and diverges beyond.
    curvatures: tuple[float, ...] | None = None


def _c(x: tf.Tensor, i: int) -> tf.Tensor:
    return x[..., i]


# The lab page offers these in its two selects (1-D and 2-D), each option showing its label.
FUNCTIONS: Registry[Function] = Registry("function")
FUNCTIONS.register("square", Function(lambda x: tf.square(_c(x, 0)), 1, "x[0] ** 2", ((-6.0, 6.0),), (5.0,),
                                      ((0.0,),), (2.0,)),
                   label="x²", description="J(x) = x²")
FUNCTIONS.register("quartic", Function(lambda x: _c(x, 0) ** 4 - 3.0 * _c(x, 0) ** 2, 1,
                                       "x[0] ** 4 - 3 * x[0] ** 2", ((-2.5, 2.5),), (2.0,),
                                       ((-math.sqrt(1.5),), (math.sqrt(1.5),))),
                   label="x⁴ − 3x²", description="two valleys with a hump between them")
FUNCTIONS.register("smooth_abs", Function(lambda x: tf.sqrt(tf.square(_c(x, 0)) + 0.01), 1,
                                          "tf.sqrt(x[0] ** 2 + 0.01)", ((-6.0, 6.0),), (5.0,), ((0.0,),)),
                   label="√(x² + 0.01) (smooth |x|)",
                   description="slope ≈ ±1 everywhere but at 0: a fixed step never settles")
FUNCTIONS.register("bumpy", Function(lambda x: 0.1 * tf.square(_c(x, 0)) - tf.cos(3.0 * _c(x, 0)), 1,
                                     "0.1 * x[0] ** 2 - tf.cos(3 * x[0])", ((-6.0, 6.0),), (4.0,), ((0.0,),)),
                   label="0.1x² − cos 3x", description="many local minima; the global one is at 0")
FUNCTIONS.register("bowl", Function(lambda x: tf.square(_c(x, 0)) + tf.square(_c(x, 1)), 2,
                                    "x[0] ** 2 + x[1] ** 2", ((-3.0, 3.0), (-3.0, 3.0)), (2.5, 2.0),
                                    ((0.0, 0.0),), (2.0, 2.0)),
                   label="x² + y²", description="round: every direction curves the same")
FUNCTIONS.register("elongated_bowl", Function(lambda x: tf.square(_c(x, 0)) + 10.0 * tf.square(_c(x, 1)), 2,
                                              "x[0] ** 2 + 10 * x[1] ** 2", ((-3.0, 3.0), (-3.0, 3.0)),
                                              (2.5, 1.5), ((0.0, 0.0),), (2.0, 20.0)),
                   label="x² + 10y²", description="steep across, shallow along: zig-zags")
FUNCTIONS.register("rosenbrock", Function(
    lambda x: tf.square(1.0 - _c(x, 0)) + 100.0 * tf.square(_c(x, 1) - tf.square(_c(x, 0))), 2,
    "(1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2", ((-2.0, 2.0), (-1.0, 3.0)), (-1.5, 2.0), ((1.0, 1.0),)),
    label="Rosenbrock", description="a curved, flat-bottomed valley; minimum at (1, 1)")
FUNCTIONS.register("saddle", Function(lambda x: tf.square(_c(x, 0)) - tf.square(_c(x, 1)), 2,
                                      "x[0] ** 2 - x[1] ** 2", ((-3.0, 3.0), (-3.0, 3.0)), (2.5, 0.05)),
                   label="x² − y² (saddle)", description="downhill along y forever; (0, 0) is not a minimum")
FUNCTIONS.register("himmelblau", Function(
    lambda x: tf.square(tf.square(_c(x, 0)) + _c(x, 1) - 11.0) + tf.square(_c(x, 0) + tf.square(_c(x, 1)) - 7.0), 2,
    "(x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2", ((-5.0, 5.0), (-5.0, 5.0)), (0.0, 0.0),
    ((3.0, 2.0), (-2.805118, 3.131312), (-3.77931, -3.283186), (3.584428, -1.848126))),
    label="Himmelblau", description="four minima of equal depth")


@dataclass
class Run:
    """One descent: ``steps_run + 1`` points, the loss and gradient at each, cut at the first overflow."""

    points: np.ndarray  # [n, dims]
    losses: np.ndarray  # [n]
    gradients: np.ndarray  # [n, dims]
    overflow: bool = False
    verdict: str = field(init=False)

    def __post_init__(self) -> None:
        self.verdict = verdict(self.points, self.losses, self.overflow)

    def trajectory(self) -> list[dict[str, Any]]:
        points, _ = to_json(self.points)
        gradients, _ = to_json(self.gradients)
        return [{"step": i, "x": points[i], "loss": scalar(self.losses[i]), "gradient": gradients[i]}
                for i in range(len(self.losses))]


class _Descender:
    """A compiled descent loop for one (function, optimizer) pair; one run at a time."""

    def __init__(self, function: str, optimizer: str) -> None:
        self._fn = FUNCTIONS.get(function).fn
        self._x = tf.Variable(tf.zeros([FUNCTIONS.get(function).dimensions]), name="x")
        self._optimizer = OPTIMIZERS.get(optimizer).keras_factory(0.01)
        self._optimizer.build([self._x])
        self._initial_state = [v.numpy() for v in self._optimizer.variables]
        self._lock = threading.Lock()
        self._loop = tf.function(self._steps, input_signature=[tf.TensorSpec([None], tf.float32)], autograph=False)

    def run(self, start: Sequence[float], learning_rates: Sequence[float]) -> tuple[np.ndarray, ...]:
        with self._lock:
            self._x.assign(start)
            for variable, value in zip(self._optimizer.variables, self._initial_state, strict=True):
                variable.assign(value)
            return tuple(t.numpy() for t in self._loop(tf.constant(learning_rates, tf.float32)))

    def _point(self) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            loss = self._fn(self._x)
        return loss, tape.gradient(loss, self._x)

    def _steps(self, learning_rates: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        n = tf.shape(learning_rates)[0]

        def record(i, points, losses, gradients):
            loss, gradient = self._point()
            return gradient, points.write(i, self._x.read_value()), losses.write(i, loss), gradients.write(i, gradient)

        def step(i, *arrays):
            gradient, *arrays = record(i, *arrays)
            self._optimizer.learning_rate = learning_rates[i]  # assigns the optimizer's variable: no retrace
            self._optimizer.apply_gradients([(gradient, self._x)])
            return i + 1, *arrays

        arrays = [tf.TensorArray(tf.float32, size=n + 1) for _ in range(3)]
        _, *arrays = tf.while_loop(lambda i, *_: i < n, step, (tf.constant(0), *arrays))
        _, *arrays = record(n, *arrays)
        points, losses, gradients = (a.stack() for a in arrays)
        return points, losses, gradients


_descenders: dict[tuple[str, str], _Descender] = {}
_descenders_lock = threading.Lock()


def run_descent(function: str, optimizer: str, start: Sequence[float], learning_rates: Sequence[float]) -> Run:
    """Descend from ``start``, update ``i`` using ``learning_rates[i]``; the run stops at the first overflow."""
    dims = FUNCTIONS.get(function).dimensions
    OPTIMIZERS.entry(optimizer)
    if len(start) != dims:
        raise ValueError(f"Function {function!r} takes {dims} coordinate(s); received a start of {len(start)}")
    with _descenders_lock:
        descender = _descenders.get((function, optimizer))
        if descender is None:
            descender = _descenders[(function, optimizer)] = _Descender(function, optimizer)
    points, losses, gradients = descender.run(start, learning_rates)
    finite = np.isfinite(points).all(axis=1) & np.isfinite(losses) & np.isfinite(gradients).all(axis=1)
    end = len(losses) if finite.all() else int(np.argmin(finite)) + 1
    return Run(points[:end].astype(np.float64), losses[:end].astype(np.float64),
               gradients[:end].astype(np.float64), overflow=not finite.all())


def verdict(points: np.ndarray, losses: np.ndarray, overflow: bool = False) -> str:
    """How a descent behaves.

    ``diverging``: it overflowed, or it ends higher than it started with steps that grew, or it runs
    away with steps a hundred times its first (a saddle); ``bouncing``: over its second half the loss no
    longer falls while the steps stay as large; ``oscillating``: over its second half most steps reverse
    the one before; else ``converging``.
    """
    if overflow:
        return "diverging"
    moves = np.diff(points, axis=0)
    sizes = np.linalg.norm(moves, axis=1)
    if len(sizes) == 0 or sizes[0] == 0:
        return "converging"
    quarter = max(1, len(sizes) // 4)
    growing = len(sizes) == 1 or sizes[-quarter:].mean() > 1.05 * sizes[:quarter].mean()
    climbed = losses[-1] > losses[0] + 1e-6 * max(abs(losses[0]), 1e-12)
    runaway = len(sizes) > 2 and sizes[-1] > 100 * sizes[0] and sizes[-1] > sizes[-2]
    if (climbed and growing) or runaway:
        return "diverging"
    mid = len(sizes) // 2
    tail_flat = losses[-1] >= losses[mid] - 1e-6 * max(abs(losses[mid]), 1e-12)
    if tail_flat and sizes[-1] > 1e-9 and sizes[-1] >= 0.5 * sizes[mid]:
        return "bouncing"
    tail = moves[max(0, mid - 1):]
    pairs = [(a, b) for a, b in zip(tail, tail[1:]) if np.any(a) and np.any(b)]
    reversals = sum(1 for a, b in pairs if float(np.dot(a, b)) < 0)
    if pairs and reversals > len(pairs) / 2:
        return "oscillating"
    return "converging"


def learning_rate_bands(function: str) -> list[dict[str, Any]] | None:
    """Learning-rate ranges of plain gradient descent on a quadratic, from its largest curvature."""
    curvatures = FUNCTIONS.get(function).curvatures
    if curvatures is None:
        return None
    c = max(curvatures)
    return [{"regime": "converging", "low": 0.0, "high": 1 / c},
            {"regime": "oscillating", "low": 1 / c, "high": 2 / c},
            {"regime": "bouncing", "low": 2 / c, "high": 2 / c},
            {"regime": "diverging", "low": 2 / c, "high": None}]


def regime(function: str, learning_rate: float) -> str | None:
    """Which band of ``learning_rate_bands`` a rate falls in (``None`` when the function is not a quadratic)."""
    curvatures = FUNCTIONS.get(function).curvatures
    if curvatures is None:
        return None
    scaled = learning_rate * max(curvatures)
    if math.isclose(scaled, 2.0, rel_tol=1e-9):
        return "bouncing"
    return "converging" if scaled <= 1 else "oscillating" if scaled < 2 else "diverging"


def _plot(function: str, runs: Sequence[Run], size: int) -> dict[str, Any]:
    """J sampled where the figure draws it: a curve (1-D) or a grid (2-D), widened to show the starts."""
    f = FUNCTIONS.get(function)
    reach = np.abs(np.concatenate([r.points[:1] for r in runs])).max(axis=0)
    axes = [np.linspace(min(lo, -1.2 * r), max(hi, 1.2 * r), size)
            for (lo, hi), r in zip(f.domain, reach, strict=True)]
    if f.dimensions == 1:
        values, overflow = to_json(f.fn(tf.constant(axes[0][:, None], tf.float32)).numpy())
        return {"x": axes[0].tolist(), "y": None, "loss": values, "overflow": overflow}
    gx, gy = np.meshgrid(axes[0], axes[1])  # rows follow y, columns follow x
    values, overflow = to_json(f.fn(tf.constant(np.stack([gx, gy], axis=-1), tf.float32)).numpy())
    return {"x": axes[0].tolist(), "y": axes[1].tolist(), "loss": values, "overflow": overflow}


@dataclass(frozen=True)
class DescentResult:
    """Each optimizer's run on one function, JSON-ready. Each of ``runs`` holds ``optimizer``,
    ``trajectory``, ``steps_run``, ``verdict``, ``overflow`` and ``keras`` (the optimizer as code); ``plot``
    holds ``x``, ``y`` (None in 1-D), ``loss`` and ``overflow``."""

    function: str
    dimensions: int
    formula: str
    start: list[float]
    minima: list[list[float]]
    runs: list[dict[str, Any]]
    plot: dict[str, Any]
    learning_rate_bands: list[dict[str, Any]] | None
    regime: str | None
    overflow: bool

    def __repr__(self) -> str:
        verdicts = {run["optimizer"]: run["verdict"] for run in self.runs}
        return f"DescentResult({self.function}, start={self.start}, {verdicts})"


def descend(*, function: str, learning_rate: float, steps: int, optimizers: Sequence[str],
            x: Sequence[float] | None = None, resolution: int = 64) -> DescentResult:
    """Each optimizer from the same start (``x``, else the function's own) with the same constant learning
    rate, and J drawn around them."""
    if len(set(optimizers)) != len(optimizers):
        raise ValueError(f"Each optimizer may be listed once; received {list(optimizers)}")
    f = FUNCTIONS.get(function)
    start = list(f.start) if x is None else list(x)
    runs = [run_descent(function, name, start, [learning_rate] * steps) for name in optimizers]
    plot = _plot(function, runs, resolution if f.dimensions == 2 else 4 * resolution)
    bands = learning_rate_bands(function)
    return DescentResult(
        function=function,
        dimensions=f.dimensions,
        formula=f.source,
        start=start,
        minima=[list(m) for m in f.minima],
        runs=[{"optimizer": name, "trajectory": run.trajectory(), "steps_run": len(run.losses) - 1,
               "verdict": run.verdict, "overflow": run.overflow,
               "keras": OPTIMIZERS.get(name).keras_source.format(lr=learning_rate)}
              for name, run in zip(optimizers, runs, strict=True)],
        plot=plot,
        learning_rate_bands=bands,
        regime=regime(function, learning_rate),
        overflow=any(r.overflow for r in runs) or plot["overflow"],
    )


# --- Full-batch, stochastic and mini-batch descent on y = TRUE_W * x + TRUE_B + noise --------------------

TRUE_W, TRUE_B = 3.0, 0.5


class _LinearRegression:
    """``y ≈ w x + b`` trained one epoch per call with ``keras.optimizers.SGD``; one run at a time."""

    def __init__(self) -> None:
        self._w = tf.Variable([0.0], name="w")
        self._b = tf.Variable([0.0], name="b")
        self._optimizer = keras.optimizers.SGD(0.01)
        self._optimizer.build([self._w, self._b])
        self.lock = threading.Lock()
        self.epoch = tf.function(self._epoch, input_signature=[
            tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32),
            tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.float32)], autograph=False)

    def reset(self) -> None:
        self._w.assign([0.0])
        self._b.assign([0.0])
        self._optimizer.iterations.assign(0)

    def loss(self, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        return tf.reduce_mean(tf.square(self._w * x + self._b - y))

    @property
    def weights(self) -> tuple[float, float]:
        return float(self._w[0]), float(self._b[0])

    def _epoch(self, x: tf.Tensor, y: tf.Tensor, batch_size: tf.Tensor, learning_rate: tf.Tensor) -> tf.Tensor:
        n = tf.shape(x)[0]
        updates = (n + batch_size - 1) // batch_size
        self._optimizer.learning_rate = learning_rate

        def update(u, losses):
            lo, hi = u * batch_size, tf.minimum((u + 1) * batch_size, n)
            with tf.GradientTape() as tape:
                loss = self.loss(x[lo:hi], y[lo:hi])
            grads = tape.gradient(loss, [self._w, self._b])
            self._optimizer.apply_gradients(zip(grads, [self._w, self._b]))
            return u + 1, losses.write(u, loss)

        _, losses = tf.while_loop(lambda u, _: u < updates, update,
                                  (tf.constant(0), tf.TensorArray(tf.float32, size=updates)))
        return losses.stack()


_regression: _LinearRegression | None = None
_regression_lock = threading.Lock()


def regression_data(*, samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``x`` uniform in [-1, 1], ``y = TRUE_W x + TRUE_B`` plus Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, samples).astype(np.float32)
    y = (TRUE_W * x + TRUE_B + noise * rng.standard_normal(samples)).astype(np.float32)
    return x, y


@dataclass(frozen=True)
class BatchComparison:
    """The same regression descended three ways, JSON-ready. ``full_batch``, ``stochastic`` and
    ``mini_batch`` each hold ``batch_size``, ``updates_per_epoch``, ``update_losses``, ``epoch_losses``,
    ``w`` and ``b``; ``least_squares`` holds the exact optimum's ``w``, ``b`` and ``loss``."""

    x: list[float]
    y: list[float]
    true_w: float
    true_b: float
    least_squares: dict[str, float]
    full_batch: dict[str, Any]
    stochastic: dict[str, Any]
    mini_batch: dict[str, Any]
    overflow: bool

    def __repr__(self) -> str:
        return (f"BatchComparison(samples={len(self.x)}, mini_batch={self.mini_batch['batch_size']}, "
                f"least_squares={self.least_squares})")


def compare_batch_sizes(*, samples: int, noise: float, batch_size: int, epochs: int, learning_rate: float,
                        seed: int) -> BatchComparison:
    """The same data, start and epochs with batches of all samples, of one sample, and of ``batch_size``.

    Each epoch visits the samples in the order of ``np.random.default_rng([seed, epoch]).permutation``,
    the same order for every mode.
    """
    global _regression
    if not 1 <= batch_size <= samples:
        raise ValueError(f"batch_size must be between 1 and samples ({samples}); received {batch_size}")
    x, y = regression_data(samples=samples, noise=noise, seed=seed)
    design = np.stack([x, np.ones_like(x)], axis=1).astype(np.float64)
    (w_star, b_star), *_ = np.linalg.lstsq(design, y.astype(np.float64), rcond=None)
    with _regression_lock:
        if _regression is None:
            _regression = _LinearRegression()
    model = _regression
    modes = {}
    overflow = False
    with model.lock:
        for mode, size in (("full_batch", samples), ("stochastic", 1), ("mini_batch", batch_size)):
            model.reset()
            update_losses: list[np.ndarray] = []
            epoch_losses = [float(model.loss(x, y))]
            for epoch in range(epochs):
                order = np.random.default_rng([seed, epoch]).permutation(samples)
                update_losses.append(model.epoch(x[order], y[order], tf.constant(size), tf.constant(learning_rate,
                                                                                                    tf.float32)).numpy())
                epoch_losses.append(float(model.loss(x, y)))
            updates, bad_updates = to_json(np.concatenate(update_losses))
            per_epoch, bad_epochs = to_json(epoch_losses)
            w, b = model.weights
            overflow = overflow or bad_updates or bad_epochs
            modes[mode] = {"batch_size": size, "updates_per_epoch": -(-samples // size),
                           "update_losses": updates, "epoch_losses": per_epoch,
                           "w": scalar(w), "b": scalar(b)}
    return BatchComparison(
        x=x.tolist(), y=y.tolist(), true_w=TRUE_W, true_b=TRUE_B,
        least_squares={"w": float(w_star), "b": float(b_star),
                       "loss": float(np.mean((w_star * x + b_star - y) ** 2))},
        **modes,
        overflow=overflow,
    )
