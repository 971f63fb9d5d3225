import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.activations import curves, evaluate, linspace, saturated_ends

# Points away from kinks (ReLU-like functions at 0, hard sigmoid at ±3), where finite differences hold.
X = [-4.3, -2.1, -0.7, -0.2, 0.3, 0.9, 1.7, 3.6]


def finite_difference(fn, x, h=1e-4):
    x = tf.constant(x, tf.float64)
    return ((fn(x + h) - fn(x - h)) / (2 * h)).numpy()


@pytest.mark.parametrize("name", ACTIVATIONS.names())
def test_values_equal_keras_activations(name):
    result = evaluate([name], x=X)
    expected = keras.activations.get(name)(tf.constant(X, tf.float32)).numpy()
    np.testing.assert_allclose(result.curves[0].values, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ACTIVATIONS.names())
def test_derivatives_agree_with_finite_differences(name):
    result = evaluate([name], x=X)
    reference = finite_difference(keras.activations.get(name), X)
    np.testing.assert_allclose(result.curves[0].derivatives, reference, rtol=2e-3, atol=2e-4)


def test_derivatives_match_known_formulas():
    x = np.array(X)
    curves = {c.name: c for c in evaluate(["sigmoid", "tanh", "relu", "linear", "softplus", "softsign"], x=X).curves}
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(curves["sigmoid"].derivatives, s * (1 - s), rtol=1e-5)
    # float32: 1 - tanh(x)^2 loses digits where tanh(x) is close to ±1
    np.testing.assert_allclose(curves["tanh"].derivatives, 1 - np.tanh(x) ** 2, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(curves["relu"].derivatives, (x > 0).astype(float))
    np.testing.assert_array_equal(curves["linear"].derivatives, np.ones_like(x))
    np.testing.assert_allclose(curves["softplus"].derivatives, s, rtol=1e-5)
    np.testing.assert_allclose(curves["softsign"].derivatives, 1 / (1 + np.abs(x)) ** 2, rtol=1e-5)


def test_relu_derivative_at_zero_is_zero_as_tensorflow_defines_it():
    assert evaluate(["relu"], x=[0.0]).curves[0].derivatives[0] == 0.0


def test_default_range_is_tf_linspace():
    result = evaluate(["tanh"], start=-2.0, stop=2.0, num=5)
    np.testing.assert_array_equal(result.x, [-2.0, -1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(linspace(-5, 5, 101), tf.linspace(-5.0, 5.0, 101).numpy())


def test_sigmoid_saturates_at_both_ends_and_relu_on_the_left():
    curves = {c.name: c for c in evaluate(["sigmoid", "relu", "linear"], start=-6.0, stop=6.0, num=121).curves}
    # sigmoid'(x) = s(1 - s) < 0.05 where |x| > ~2.9
    (left0, left1), (right0, right1) = curves["sigmoid"].saturated
    assert left0 == -6.0 and -3.0 <= left1 <= -2.8
    assert 2.8 <= right0 <= 3.0 and right1 == 6.0
    assert curves["relu"].saturated == [(-6.0, 0.0)]
    assert curves["linear"].saturated == []


def test_saturation_ignores_a_flat_spot_in_the_middle():
    # GELU and Swish have a flat spot at their minimum; saturation is about the flattened tails only.
    x = np.linspace(-1, 1, 5)
    assert saturated_ends(x, np.array([1.0, 1.0, 0.0, 1.0, 1.0]), 0.05) == []
    assert saturated_ends(x, np.zeros(5), 0.05) == [(-1.0, 1.0)]


def test_maxout_is_the_max_of_its_linear_pieces_with_the_winning_slope_as_derivative():
    w, b = np.array([-1.0, 0.5, 2.0]), np.array([0.0, 1.0, -2.0])
    x = np.array([-3.0, -1.5, 0.2, 1.0, 1.9, 4.0])
    result = evaluate([], x=x.tolist(), maxout_weights=w.tolist(), maxout_biases=b.tolist()).maxout
    pieces = x[None, :] * w[:, None] + b[:, None]
    np.testing.assert_allclose(result.pieces, pieces, rtol=1e-6)
    np.testing.assert_allclose(result.values, pieces.max(axis=0), rtol=1e-6)
    np.testing.assert_array_equal(result.active_piece, pieces.argmax(axis=0))
    np.testing.assert_allclose(result.derivatives, w[pieces.argmax(axis=0)])


def test_maxout_with_pieces_x_and_minus_x_is_the_absolute_value():
    x = [-2.0, -0.5, 0.5, 3.0]
    result = evaluate([], x=x, maxout_weights=[1.0, -1.0], maxout_biases=[0.0, 0.0]).maxout
    np.testing.assert_allclose(result.values, np.abs(x))
    np.testing.assert_allclose(result.derivatives, np.sign(x))


@pytest.mark.parametrize("kwargs, message", [
    ({"names": ["relux"], "x": [0.0]}, "Unknown activation 'relux'. Expected one of: relu"),
    ({"names": [], "x": [0.0]}, "at least one activation"),
    ({"names": ["relu"], "x": [1.0, 0.0]}, "strictly increasing"),
    ({"names": ["relu"], "start": 1.0, "stop": -1.0}, "start must be less than stop"),
    ({"names": [], "x": [0.0], "maxout_weights": [1.0, 2.0], "maxout_biases": [0.0]}, "one bias per weight"),
    ({"names": [], "x": [0.0], "maxout_weights": [1.0], "maxout_biases": [0.0]}, "between 2 and 8"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    names = kwargs.pop("names")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        evaluate(names, **kwargs)


def test_the_lab_entry_takes_maxout_as_one_object_of_weights_and_biases():
    r = curves(activations=["relu"], start=-2.0, stop=2.0, num=5, maxout={"weights": [1.0, -1.0], "biases": [0.0, 0.5]})
    x = np.linspace(-2.0, 2.0, 5)
    np.testing.assert_allclose(r.maxout.values, np.maximum(x, 0.5 - x), rtol=1e-6)
    np.testing.assert_allclose(r.curves[0].values, np.maximum(x, 0.0), rtol=1e-6)
    assert curves(activations=["relu"], num=3, start=-1.0, stop=1.0).maxout is None
