"""The three kinds of problem a dataset poses, and how a network's raw outputs become predictions."""

from enum import StrEnum

import tensorflow as tf


class Problem(StrEnum):
    BINARY = "binary"  # one output unit, a logit; labels 0/1
    MULTICLASS = "multiclass"  # k output units, logits; softmax over them
    REGRESSION = "regression"  # one linear output unit


def output_units(problem: Problem, num_classes: int) -> int:
    return num_classes if problem is Problem.MULTICLASS else 1


def predict(problem: Problem, logits: tf.Tensor) -> tf.Tensor:
    """Probabilities for classification (sigmoid / softmax), the raw value for regression."""
    if problem is Problem.BINARY:
        return tf.sigmoid(logits)
    if problem is Problem.MULTICLASS:
        return tf.nn.softmax(logits, axis=-1)
    return logits


def class_probabilities(problem: Problem, logits: tf.Tensor) -> tf.Tensor:
    """Per-class probabilities, two columns for a binary problem."""
    if problem is Problem.BINARY:
        p = tf.sigmoid(logits)
        return tf.concat([1.0 - p, p], axis=-1)
    return tf.nn.softmax(logits, axis=-1)
