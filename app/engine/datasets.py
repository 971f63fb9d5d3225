"""Seeded 2-D toy datasets, by name. Points lie in [-6, 6]²; ``noise`` is 0–50 as in TensorFlow Playground.

Every generator takes an explicit ``numpy.random.Generator`` so that the same seed always gives the
same points (the shareable-link and determinism guarantees rest on it).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.engine.problems import Problem
from app.engine.registry import Registry

DOMAIN = 6.0  # inputs live in [-DOMAIN, DOMAIN]^2
RADIUS = 5.0  # most generators place points within this radius
NOISE_RANGE = (0.0, 50.0)  # percent, as TensorFlow Playground's slider
TRAIN_RATIO_RANGE = (0.1, 0.9)  # so that both the training and the test set hold points
MIN_SAMPLES = 10

Generator = Callable[..., tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Dataset:
    generate: Generator | None  # (rng, n, noise, **params) -> (points [n, 2], labels [n]); None: custom
    problem: Problem | None  # None: the points decide (custom data)
    # Extra integer parameters, e.g. the number of classes: name -> (default, minimum, maximum).
    params: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    # The points come with the session's spec (``app.engine.custom_data``) and change while it trains, so its
    # size is no compile key: it trains in graph mode, whose one trace serves every size (``TrainingSpec.architecture``).
    custom: bool = False

    def num_classes(self, params: dict[str, int]) -> int:
        if self.problem is Problem.BINARY:
            return 2
        if self.problem is Problem.MULTICLASS:
            return params["classes"]
        return 0


def _circle(rng, n, noise):
    inner = n // 2
    r = np.concatenate([rng.uniform(0, RADIUS * 0.5, inner), rng.uniform(RADIUS * 0.7, RADIUS, n - inner)])
    angle = rng.uniform(0, 2 * math.pi, n)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    # The label follows the jittered position, so noise blurs the boundary rather than the cloud.
    labels = (np.linalg.norm(points + jitter, axis=1) < RADIUS * 0.5).astype(np.int64)
    return points, labels


def _xor(rng, n, noise):
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)  # keep a margin around the axes
    jitter = rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    noisy = points + jitter
    labels = (noisy[:, 0] * noisy[:, 1] >= 0).astype(np.int64)
    return points, labels


def _gauss(rng, n, noise):
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)
    half = n // 2
    labels = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    points = centres + rng.normal(0, math.sqrt(variance), (n, 2))
    return points, labels


def _spiral_arms(rng, n, noise, arms):
    per_arm = np.array_split(np.arange(n), arms)
    points = np.empty((n, 2))
    labels = np.empty(n, np.int64)
    for arm, idx in enumerate(per_arm):
        i = np.arange(len(idx)) / max(len(idx), 1)
        r = i * RADIUS
        t = 1.75 * i * 2 * math.pi + arm * 2 * math.pi / arms
        points[idx, 0] = r * np.sin(t)
        points[idx, 1] = r * np.cos(t)
        labels[idx] = arm
    points += rng.uniform(-1, 1, (n, 2)) * noise * 2
    return points, labels


def _spiral(rng, n, noise):
    points, arm = _spiral_arms(rng, n, noise, 2)
    return points, 1 - arm  # arm 0 is the positive class, as in TensorFlow Playground


def _spiral_k(rng, n, noise, classes):
    return _spiral_arms(rng, n, noise, classes)


def _moons(rng, n, noise):
    upper = n // 2
    t = np.concatenate([rng.uniform(0, math.pi, upper), rng.uniform(0, math.pi, n - upper)])
    labels = np.concatenate([np.zeros(upper, np.int64), np.ones(n - upper, np.int64)])
    x = np.where(labels == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t))
    points = np.stack([(x - 0.5) * 3.5, (y - 0.25) * 3.5], axis=1)
    points += rng.normal(0, 1, (n, 2)) * noise * 2
    return points, labels


def _checkerboard(rng, n, noise):
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    noisy = points + rng.uniform(-1, 1, (n, 2)) * noise * 2
    cells = np.floor(noisy / (RADIUS / 2)).astype(np.int64)  # 4 x 4 cells of side 2.5
    labels = ((cells[:, 0] + cells[:, 1]) % 2 == 0).astype(np.int64)
    return points, labels


def _blobs(rng, n, noise, classes):
    labels = np.arange(n) % classes
    angle = 2 * math.pi * labels / classes
    centres = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    spread = 0.6 + 3.0 * noise
    return centres + rng.normal(0, spread, (n, 2)), labels.astype(np.int64)


def _plane(rng, n, noise):
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    noisy = points + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    return points, (noisy[:, 0] + noisy[:, 1]) / (2 * RADIUS)


_GAUSSIANS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


def _multi_gauss(rng, n, noise):
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    noisy = points + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    values = np.zeros(n)
    for cx, cy, sign in _GAUSSIANS:
        d2 = (noisy[:, 0] - cx) ** 2 + (noisy[:, 1] - cy) ** 2
        values += sign * np.exp(-d2 / 2.0)  # unit-variance bumps; a regression target in about [-1, 1]
    return points, values


DATASETS: Registry[Dataset] = Registry("dataset")
DATASETS.register("circle", Dataset(_circle, Problem.BINARY), label="Circle", label_zh="圆形")
DATASETS.register("xor", Dataset(_xor, Problem.BINARY), label="Exclusive or", label_zh="异或 (XOR)")
DATASETS.register("gauss", Dataset(_gauss, Problem.BINARY), label="Gaussian", label_zh="高斯")
DATASETS.register("spiral", Dataset(_spiral, Problem.BINARY), label="Spiral", label_zh="螺旋")
DATASETS.register("moons", Dataset(_moons, Problem.BINARY), label="Two moons", label_zh="双月")
DATASETS.register("checkerboard", Dataset(_checkerboard, Problem.BINARY), label="Checkerboard", label_zh="棋盘格")
DATASETS.register("spiral_k", Dataset(_spiral_k, Problem.MULTICLASS, {"classes": (3, 3, 5)}),
                  label="Spiral, k arms", label_zh="k 臂螺旋")
DATASETS.register("blobs", Dataset(_blobs, Problem.MULTICLASS, {"classes": (4, 3, 6)}),
                  label="Blobs", label_zh="团簇")
DATASETS.register("plane", Dataset(_plane, Problem.REGRESSION), label="Plane (regression)",
                  label_zh="平面（回归）")
DATASETS.register("multi_gauss", Dataset(_multi_gauss, Problem.REGRESSION), label="Multi-Gaussian (regression)",
                  label_zh="多高斯（回归）")
# The class limit is custom_data.MAX_CLASSES (the page's palette); the points come with the spec.
DATASETS.register("custom", Dataset(None, None, custom=True), label="Your own data", label_zh="自己的数据")


@dataclass(frozen=True)
class Split:
    """Points, labels and the train/test split of one generated dataset."""

    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    problem: Problem
    num_classes: int


def resolve_params(name: str, num_classes: int | None) -> dict[str, int]:
    dataset = DATASETS.get(name)
    if dataset.custom:  # the points say how many classes there are
        return {}
    if "classes" not in dataset.params:
        if num_classes is not None and num_classes != dataset.num_classes({}):
            raise ValueError(f"Dataset {name!r} has a fixed number of classes; num_classes must be left out")
        return {}
    default, low, high = dataset.params["classes"]
    value = default if num_classes is None else num_classes
    if not low <= value <= high:
        raise ValueError(f"Dataset {name!r} takes num_classes from {low} to {high}; received {value}")
    return {"classes": value}


def training_size(num_samples: int, train_ratio: float) -> int:
    """How many of ``num_samples`` points train (the rest test): the one place this is computed. Python's
    ``round`` halves to even (25 points at 0.5 train 12); the page asks the server instead of rounding itself."""
    return min(max(1, round(num_samples * train_ratio)), num_samples - 1)


def generate(name: str, *, num_samples: int, noise: float, seed: int, train_ratio: float,
             num_classes: int | None = None) -> Split:
    """Generate ``num_samples`` points, shuffle them and split off ``train_ratio`` for training."""
    dataset = DATASETS.get(name)
    if dataset.custom:
        raise ValueError(f"Dataset {name!r} is not generated: its points come with the configuration")
    if not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ValueError(f"noise must be between {NOISE_RANGE[0]:g} and {NOISE_RANGE[1]:g}; received {noise}")
    if not TRAIN_RATIO_RANGE[0] <= train_ratio <= TRAIN_RATIO_RANGE[1]:
        raise ValueError(f"train_ratio must be between {TRAIN_RATIO_RANGE[0]:g} and {TRAIN_RATIO_RANGE[1]:g}; "
                         f"received {train_ratio}")
    if num_samples < MIN_SAMPLES:
        raise ValueError(f"num_samples must be at least {MIN_SAMPLES}; received {num_samples}")
    params = resolve_params(name, num_classes)
    rng = np.random.default_rng(seed)
    points, labels = dataset.generate(rng, num_samples, noise / 100.0, **params)
    points = np.clip(points, -DOMAIN, DOMAIN).astype(np.float32)
    order = rng.permutation(num_samples)
    points, labels = points[order], labels[order]
    n_train = training_size(num_samples, train_ratio)
    labels = labels.astype(np.float32 if dataset.problem is Problem.REGRESSION else np.int64)
    return Split(points[:n_train], labels[:n_train], points[n_train:], labels[n_train:],
                 dataset.problem, dataset.num_classes(params))


def split_points(points: np.ndarray, labels: np.ndarray, *, problem: Problem, num_classes: int, seed: int,
                 train_ratio: float) -> Split:
    """Given points (custom data) shuffled by ``seed`` and split as ``generate`` splits generated ones."""
    n = len(labels)
    order = np.random.default_rng(seed).permutation(n)
    points, labels = np.asarray(points, np.float32)[order], np.asarray(labels)[order]
    labels = labels.astype(np.float32 if problem is Problem.REGRESSION else np.int64)
    n_train = training_size(n, train_ratio)
    return Split(points[:n_train], labels[:n_train], points[n_train:], labels[n_train:], problem, num_classes)
