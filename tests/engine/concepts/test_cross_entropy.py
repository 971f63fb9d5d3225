import json
import math
from dataclasses import asdict

import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.concepts.cross_entropy import cross_entropy

TRUTH = [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
PRED = [[0.5, 0.4, 0.1], [0.8, 0.1, 0.1]]


def test_worked_example_is_natural_log_of_the_true_class_probability():
    r = cross_entropy(y_true=TRUTH, y_pred=PRED)
    assert r.steps["per_sample"] == pytest.approx([0.693, 0.223], abs=5e-4)
    assert r.steps["per_sample"] == pytest.approx([math.log(2), -math.log(0.8)], rel=1e-6)
    assert r.steps["loss"] == pytest.approx((math.log(2) - math.log(0.8)) / 2, rel=1e-6)


def test_log_base_10_gives_the_textbook_numbers():
    r = cross_entropy(y_true=TRUTH, y_pred=PRED)
    assert r.log10["per_sample"] == pytest.approx([0.30, 0.10], abs=5e-3)
    assert r.log10["per_sample"] == pytest.approx([math.log10(2), -math.log10(0.8)], rel=1e-6)


def test_every_hand_step_matches_numpy():
    truth = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    pred = np.array([[0.0, 0.7, 0.3], [0.25, 0.25, 0.5]])
    eps = 1e-3
    r = cross_entropy(y_true=truth.tolist(), y_pred=pred.tolist(), epsilon=eps)
    clipped = np.clip(pred, eps, 1 - eps)
    s = r.steps
    np.testing.assert_allclose(s["clipped"], clipped, rtol=1e-6)
    np.testing.assert_allclose(s["log"], np.log(clipped), rtol=1e-5)
    np.testing.assert_allclose(s["product"], truth * np.log(clipped), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(s["row_sums"], (truth * np.log(clipped)).sum(-1), rtol=1e-5)
    np.testing.assert_allclose(s["per_sample"], -(truth * np.log(clipped)).sum(-1), rtol=1e-5)
    assert s["loss"] == pytest.approx(-(truth * np.log(clipped)).sum(-1).mean(), rel=1e-5)


def test_keras_column_is_keras_categorical_crossentropy_and_the_difference_is_hand_minus_keras():
    truth, pred = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[0.2, 0.6, 0.6], [0.05, 0.5, 0.2]]  # rows do not sum to 1
    r = cross_entropy(y_true=truth, y_pred=pred)
    expected = keras.losses.categorical_crossentropy(tf.constant(truth), tf.constant(pred)).numpy()
    np.testing.assert_allclose(r.keras["per_sample"], expected, rtol=1e-6)
    assert r.keras["loss"] == pytest.approx(expected.mean(), rel=1e-6)
    # Keras rescales each row to sum to 1 before the log; the hand steps do not.
    p = np.array(pred) / np.array(pred).sum(-1, keepdims=True)
    np.testing.assert_allclose(expected, -(np.array(truth) * np.log(p)).sum(-1), rtol=1e-5)
    hand = -(np.array(truth) * np.log(np.array(pred))).sum(-1)
    np.testing.assert_allclose(r.keras["difference_per_sample"], hand - expected, rtol=1e-4, atol=1e-6)
    assert min(abs(d) for d in r.keras["difference_per_sample"]) > 0.1


def test_probabilities_that_sum_to_one_give_no_difference_from_keras():
    r = cross_entropy(y_true=TRUTH, y_pred=PRED)
    np.testing.assert_allclose(r.keras["difference_per_sample"], [0.0, 0.0], atol=1e-6)
    assert r.keras_from_logits is None


def test_from_logits_uses_softmax_and_matches_keras_with_from_logits():
    logits = [[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]
    truth = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    r = cross_entropy(y_true=truth, y_pred=logits, from_logits=True)
    np.testing.assert_allclose(r.probabilities, tf.nn.softmax(logits).numpy(), rtol=1e-6)
    reference = tf.nn.softmax_cross_entropy_with_logits(labels=truth, logits=logits).numpy()
    np.testing.assert_allclose(r.keras_from_logits["per_sample"], reference, rtol=1e-5)
    np.testing.assert_allclose(r.steps["per_sample"], reference, rtol=1e-5)
    np.testing.assert_allclose(r.keras_from_logits["difference_per_sample"], [0, 0], atol=1e-5)


def test_clipping_is_what_differs_from_keras_with_from_logits_on_extreme_logits():
    r = cross_entropy(y_true=[[0.0, 1.0]], y_pred=[[50.0, -50.0]], from_logits=True, epsilon=1e-7)
    assert r.keras_from_logits["per_sample"] == pytest.approx([100.0], rel=1e-5)  # no clipping in Keras
    assert r.steps["per_sample"] == pytest.approx([-math.log(1e-7)], rel=1e-4)  # clipped at epsilon
    assert r.keras_from_logits["difference"] == pytest.approx(-math.log(1e-7) - 100.0, rel=1e-4)


def test_cross_entropy_is_not_symmetric():
    truth = np.array([[1.0, 0.0, 0.0], [0.3, 0.3, 0.4]])
    pred = np.array([[0.5, 0.4, 0.1], [0.1, 0.6, 0.3]])
    eps = 1e-7
    r = cross_entropy(y_true=truth.tolist(), y_pred=pred.tolist(), epsilon=eps)
    h_pq = -(truth * np.log(np.clip(pred, eps, 1 - eps))).sum(-1)
    h_qp = -(pred * np.log(np.clip(truth, eps, 1 - eps))).sum(-1)
    np.testing.assert_allclose(r.steps["per_sample"], h_pq, rtol=1e-5)
    np.testing.assert_allclose(r.swapped["per_sample"], h_qp, rtol=1e-5)
    assert r.swapped["loss"] > r.steps["loss"]


def test_without_clipping_log_zero_is_reported_as_overflow_not_nan():
    r = cross_entropy(y_true=[[0.0, 1.0]], y_pred=[[1.0, 0.0]], epsilon=0.0)
    assert r.overflow is True
    assert r.steps["per_sample"] == [None] and r.steps["log"][0][1] is None
    json.dumps(asdict(r), allow_nan=False)


@pytest.mark.parametrize("kwargs, message", [
    ({"y_true": [[1.0, 0.0]], "y_pred": [[0.5, 0.3, 0.2]]}, r"same shape; received \[1, 2\] and \[1, 3\]"),
    ({"y_true": [[1.0, 0.0], [1.0]], "y_pred": [[0.5, 0.5], [1.0]]}, "rectangular"),
    ({"y_true": [[1.0, 0.0]], "y_pred": [[0.9, 0.1]], "epsilon": 0.5}, "epsilon must be at least 0 and below 0.5"),
    ({"y_true": [[1.0]], "y_pred": [[0.5]]}, "at least 2 classes per row; received 1"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy(**kwargs)
