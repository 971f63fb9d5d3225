"""Loss functions, by name, and how each one trains a network for a given kind of problem.

Every loss is Keras's own function (``keras.losses.*``), so a per-sample value here equals what a
learner computes in a notebook. The network always emits logits; ``training_loss`` says which form
of the output each loss is fed: probabilities for squared errors and KL divergence, logits for
cross entropy (``from_logits=True``, the numerically stable way) and for the hinge losses.
"""

from collections.abc import Callable
from dataclasses import dataclass

import keras
import tensorflow as tf

from app.engine.problems import Problem, class_probabilities, predict
from app.engine.registry import Registry

PerSampleLoss = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


@dataclass(frozen=True)
class Loss:
    keras_fn: Callable[..., tf.Tensor]
    problems: frozenset[Problem]
    accepts_from_logits: bool = False


_CLASSIFICATION = frozenset({Problem.BINARY, Problem.MULTICLASS})
_ALL = frozenset(Problem)

LOSSES: Registry[Loss] = Registry("loss")
LOSSES.register("mse", Loss(keras.losses.mean_squared_error, _ALL), label="Mean squared error",
                label_zh="均方误差", description="mean((y_true - y_pred)^2)")
LOSSES.register("mae", Loss(keras.losses.mean_absolute_error, _ALL), label="Mean absolute error",
                label_zh="平均绝对误差", description="mean(|y_true - y_pred|)")
LOSSES.register("huber", Loss(keras.losses.huber, _ALL), label="Huber (delta 1)",
                label_zh="Huber 损失 (delta 1)", description="squared error near 0, absolute error beyond delta")
LOSSES.register("binary_crossentropy", Loss(keras.losses.binary_crossentropy, _CLASSIFICATION, True),
                label="Binary cross entropy", label_zh="二元交叉熵", description="-(y log p + (1 - y) log(1 - p))")
LOSSES.register("categorical_crossentropy", Loss(keras.losses.categorical_crossentropy, _CLASSIFICATION, True),
                label="Categorical cross entropy", label_zh="分类交叉熵",
                description="-sum(y_true * log(softmax(logits)))")
LOSSES.register("hinge", Loss(keras.losses.hinge, _CLASSIFICATION), label="Hinge",
                label_zh="合页损失 (Hinge)", description="mean(max(0, 1 - y_true * y_pred)), labels as -1/1")
LOSSES.register("squared_hinge", Loss(keras.losses.squared_hinge, _CLASSIFICATION), label="Squared hinge",
                label_zh="平方合页损失", description="mean(max(0, 1 - y_true * y_pred)^2), labels as -1/1")
LOSSES.register("kl_divergence", Loss(keras.losses.kl_divergence, _CLASSIFICATION), label="KL divergence",
                label_zh="KL 散度", description="sum(y_true * log(y_true / y_pred))")

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
    fn = LOSSES.get(name).keras_fn

    if name == "binary_crossentropy":  # one-vs-rest over the k logits when multi-class
        return lambda y, z: fn(y, z, from_logits=True)
    if name == "categorical_crossentropy":
        if problem is Problem.BINARY:
            return lambda y, z: fn(_two_columns(y), class_probabilities(problem, z))
        return lambda y, z: fn(y, z, from_logits=True)
    if name in ("hinge", "squared_hinge"):
        return lambda y, z: fn(y, z)
    if name == "kl_divergence":
        if problem is Problem.BINARY:
            return lambda y, z: fn(_two_columns(y), class_probabilities(problem, z))
        return lambda y, z: fn(y, class_probabilities(problem, z))
    return lambda y, z: fn(y, predict(problem, z))


def _two_columns(y: tf.Tensor) -> tf.Tensor:
    return tf.concat([1.0 - y, y], axis=-1)
