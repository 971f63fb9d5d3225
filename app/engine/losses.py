"""Loss functions, by name, each entry carrying everything that differs from one loss to another.

Every loss is Keras's own function (``keras.losses.*``), so a per-sample value here equals what a
learner computes in a notebook. The network always emits logits (raw values for regression); an
entry says, per problem it fits, what of that output the loss is fed (its ``Feed``): the logits
with ``from_logits=True`` for cross entropy (the numerically stable way), raw scores for the hinge
losses, probabilities for squared errors and KL divergence. Training (``training_loss``), the
exported Keras script (``app.engine.export``) and the losses lab (``app.engine.concepts.losses``)
all read the entry, so registering a loss is the only edit a new one needs.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import keras
import tensorflow as tf

from app.engine.problems import Problem, class_probabilities, predict
from app.engine.registry import Registry

PerSampleLoss = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


@dataclass(frozen=True)
class Feed:
    """What a loss receives of the network's output, and so what a plain Keras model must emit for it."""

    name: str
    description: str
    from_logits: bool = False  # the raw output goes in with ``from_logits=True``
    squash: bool = False  # sigmoid (binary) or softmax (multi-class) first; regression outputs stay raw
    two_columns: bool = False  # a binary problem's one unit p becomes the distribution [1 - p, p], labels too

    def inputs(self, problem: Problem, y: tf.Tensor, z: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """``(y_true, y_pred)`` for the Keras function, from the targets and the network's output."""
        if not self.squash:
            return y, z
        if self.two_columns and problem is Problem.BINARY:
            return tf.concat([1.0 - y, y], axis=-1), class_probabilities(problem, z)
        return y, predict(problem, z)

    def activation(self, problem: Problem) -> str | None:
        """The output layer's activation in a Keras model whose output this loss takes as it is."""
        if not self.squash or problem is Problem.REGRESSION:
            return None
        return "sigmoid" if problem is Problem.BINARY else "softmax"

    def __repr__(self) -> str:
        return f"Feed({self.name!r})"


LOGITS = Feed("logits", "the output layer's logits, with from_logits=True", from_logits=True)
SCORES = Feed("scores", "the raw output as a score (Keras turns 0/1 labels into -1/+1)")
PREDICTIONS = Feed("predictions", "probabilities (sigmoid or softmax) for classification, values for regression",
                   squash=True)
CLASS_PROBABILITIES = Feed("class probabilities", "a probability per class ([1 - p, p] for a binary problem)",
                           squash=True, two_columns=True)


@dataclass(frozen=True)
class Loss:
    """One loss: its Keras function and class, what it is fed per problem, and what the lab checks."""

    keras_fn: Callable[..., tf.Tensor]  # per sample: training calls it, the lab computes and names it
    keras_class: str  # the same loss as a class in ``keras.losses``, for the exported script
    feeds: Mapping[Problem, Feed]  # the problems it fits, and what it receives in each
    args: Mapping[str, Any] = field(default_factory=dict)  # keyword arguments of both the function and the class
    probabilities: bool = False  # y_pred must hold probabilities in [0, 1] (unless fed logits)
    min_classes: int = 1  # the columns y_pred needs
    distribution: bool = False  # compares distributions: the lab's curves give it [1 - t, t] and [1 - p, p]

    @property
    def problems(self) -> frozenset[Problem]:
        return frozenset(self.feeds)

    @property
    def accepts_from_logits(self) -> bool:
        """Whether the Keras function takes ``from_logits`` (the lab passes it to these only)."""
        return any(feed.from_logits for feed in self.feeds.values())

    def feed(self, problem: Problem) -> Feed:
        try:
            return self.feeds[problem]
        except KeyError:
            raise ValueError(f"{self.keras_class} does not fit a {problem.value} problem") from None

    def per_sample(self, problem: Problem) -> PerSampleLoss:
        """``(targets, logits) -> per-sample loss`` for a network trained on ``problem``."""
        feed = self.feed(problem)
        kwargs = {**self.args, **({"from_logits": True} if feed.from_logits else {})}
        return lambda y, z: self.keras_fn(*feed.inputs(problem, y, z), **kwargs)

    def keras_source(self, problem: Problem, **extra: Any) -> str:
        """The Keras loss object for ``problem`` as Python source, e.g. ``keras.losses.Huber(delta=0.5)``."""
        kwargs = {**self.args, **({"from_logits": True} if self.feed(problem).from_logits else {}), **extra}
        return f"keras.losses.{self.keras_class}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


_ANY = dict.fromkeys(Problem, PREDICTIONS)  # compares predictions: probabilities, or values for regression

LOSSES: Registry[Loss] = Registry("loss")
LOSSES.register("mse", Loss(keras.losses.mean_squared_error, "MeanSquaredError", _ANY),
                label="Mean squared error", label_zh="均方误差", description="mean((y_true - y_pred)^2)")
LOSSES.register("mae", Loss(keras.losses.mean_absolute_error, "MeanAbsoluteError", _ANY),
                label="Mean absolute error", label_zh="平均绝对误差", description="mean(|y_true - y_pred|)")
LOSSES.register("huber", Loss(keras.losses.huber, "Huber", _ANY), label="Huber (delta 1)",
                label_zh="Huber 损失 (delta 1)", description="squared error near 0, absolute error beyond delta")
# Multi-class: one-vs-rest over the k logits.
LOSSES.register("binary_crossentropy",
                Loss(keras.losses.binary_crossentropy, "BinaryCrossentropy",
                     {Problem.BINARY: LOGITS, Problem.MULTICLASS: LOGITS}, probabilities=True),
                label="Binary cross entropy", label_zh="二元交叉熵", description="-(y log p + (1 - y) log(1 - p))")
LOSSES.register("categorical_crossentropy",
                Loss(keras.losses.categorical_crossentropy, "CategoricalCrossentropy",
                     {Problem.BINARY: CLASS_PROBABILITIES, Problem.MULTICLASS: LOGITS}, probabilities=True,
                     min_classes=2, distribution=True),
                label="Categorical cross entropy", label_zh="分类交叉熵",
                description="-sum(y_true * log(softmax(logits)))")
LOSSES.register("hinge", Loss(keras.losses.hinge, "Hinge", {Problem.BINARY: SCORES, Problem.MULTICLASS: SCORES}),
                label="Hinge", label_zh="合页损失 (Hinge)",
                description="mean(max(0, 1 - y_true * y_pred)), labels as -1/1")
LOSSES.register("squared_hinge",
                Loss(keras.losses.squared_hinge, "SquaredHinge", {Problem.BINARY: SCORES, Problem.MULTICLASS: SCORES}),
                label="Squared hinge", label_zh="平方合页损失",
                description="mean(max(0, 1 - y_true * y_pred)^2), labels as -1/1")
LOSSES.register("kl_divergence",
                Loss(keras.losses.kl_divergence, "KLDivergence",
                     {Problem.BINARY: CLASS_PROBABILITIES, Problem.MULTICLASS: CLASS_PROBABILITIES},
                     probabilities=True, distribution=True),
                label="KL divergence", label_zh="KL 散度", description="sum(y_true * log(y_true / y_pred))")

DEFAULT_LOSS = {
    Problem.BINARY: "binary_crossentropy",
    Problem.MULTICLASS: "categorical_crossentropy",
    Problem.REGRESSION: "mse",
}


def check_fits(name: str, problem: Problem) -> None:
    loss = LOSSES.get(name)
    if problem not in loss.problems:
        fitting = [e.name for e in LOSSES if problem in e.value.problems]
        raise ValueError(
            f"Loss {name!r} does not fit a {problem.value} problem. Expected one of: {', '.join(fitting)}"
        )


def training_loss(name: str, problem: Problem) -> PerSampleLoss:
    """``(targets, logits) -> per-sample loss``; targets are 0/1 (binary), one-hot or real values."""
    check_fits(name, problem)
    return LOSSES.get(name).per_sample(problem)
