import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.concepts.softmax import softmax


def numpy_softmax(z, axis=-1):
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_probabilities_equal_tf_nn_softmax():
    logits = [2.0, 1.0, 0.1]
    result = softmax(logits)
    np.testing.assert_array_equal(result.probabilities, tf.nn.softmax(tf.constant(logits)).numpy())
    np.testing.assert_allclose(result.probabilities, numpy_softmax(logits), rtol=1e-6)


def test_probabilities_equal_a_keras_softmax_layer_appended_to_a_model():
    logits = np.array([[2.0, 1.0, 0.1], [-1.0, 3.0, 0.5]], np.float32)
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(3, use_bias=False, kernel_initializer="identity"),  # passes the logits through
        keras.layers.Softmax(),
    ])
    np.testing.assert_allclose(softmax(logits.tolist()).probabilities, model(logits).numpy(), rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_any_axis_of_a_matrix_sums_to_one_along_that_axis(axis):
    logits = [[1.0, 2.0, 3.0], [4.0, 0.0, -2.0]]
    result = softmax(logits, axis=axis)
    np.testing.assert_allclose(result.probabilities, tf.nn.softmax(tf.constant(logits), axis=axis).numpy(), rtol=1e-6)
    np.testing.assert_allclose(result.probabilities.sum(axis=axis), 1.0, rtol=1e-6)
    assert result.axis == axis % 2


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 10.0])
def test_temperature_divides_the_logits(temperature):
    logits = [3.0, 1.0, -2.0]
    result = softmax(logits, temperature=temperature)
    np.testing.assert_allclose(result.probabilities, numpy_softmax(np.array(logits) / temperature), rtol=1e-6)


def test_higher_temperature_flattens_the_distribution():
    logits = [3.0, 1.0, -2.0]
    assert softmax(logits, temperature=5.0).probabilities.max() < softmax(logits, temperature=0.5).probabilities.max()


def test_large_logits_give_finite_probabilities_summing_to_one():
    result = softmax([1000.0, -1000.0])
    assert np.isfinite(result.probabilities).all()
    assert result.probabilities.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(result.probabilities, [1.0, 0.0])
    # The naive way overflows: exp(1000) is infinite in float32. The stable way subtracts the max first.
    assert np.isinf(result.naive_exponentials[0])
    np.testing.assert_array_equal(result.shifted_logits, [0.0, -2000.0])


def test_stable_steps_reproduce_the_probabilities():
    result = softmax([[1.0, 2.0], [3.0, 5.0]], axis=1, temperature=2.0)
    z = np.array([[1.0, 2.0], [3.0, 5.0]]) / 2.0
    np.testing.assert_allclose(result.scaled_logits, z)
    np.testing.assert_allclose(result.max_logits, [[1.0], [2.5]])
    np.testing.assert_allclose(result.exponentials, np.exp(z - z.max(axis=1, keepdims=True)), rtol=1e-6)
    np.testing.assert_allclose(result.exponentials / result.sums, result.probabilities, rtol=1e-6)


def test_worked_example_of_three_logits():
    # e^2, e^1, e^0.1 = 7.389, 2.718, 1.105; sum 11.212 -> 0.659, 0.242, 0.099
    np.testing.assert_allclose(softmax([2.0, 1.0, 0.1]).probabilities, [0.659, 0.242, 0.099], atol=1e-3)


@pytest.mark.parametrize("logits, kwargs, message", [
    ([[1.0, 2.0], [3.0]], {}, "rectangular"),
    ([1.0, 2.0], {"axis": 1}, "axis must be between -1 and 0"),
    ([], {}, "must not be empty"),
    ([[[1.0]]], {}, "1 or 2 dimension"),
    ([1.0, 2.0], {"temperature": 0.0}, "temperature must be"),
    ([1e39, 0.0], {}, "finite float32"),
])
def test_bad_input_says_what_was_expected(logits, kwargs, message):
    with pytest.raises(ValueError, match=message):
        softmax(logits, **kwargs)
