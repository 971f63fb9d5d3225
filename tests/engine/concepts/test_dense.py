import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.dense import dense

X = np.array([[1.0, 2.0, 3.0], [-0.5, 0.0, 4.0]])
W = np.array([[0.5, -1.0], [0.25, 0.0], [-0.5, 1.0]])
B = np.array([0.1, -0.2])


@pytest.mark.parametrize("activation", ACTIVATIONS.names())
def test_output_is_x_times_w_plus_b_through_the_activation(activation):
    r = dense(X.tolist(), units=2, activation=activation, kernel=W.tolist(), bias=B.tolist())
    np.testing.assert_allclose(r.matmul, X @ W, rtol=1e-6)
    np.testing.assert_allclose(r.pre_activation, X @ W + B, rtol=1e-6)
    expected = keras.activations.get(activation)(tf.constant(X @ W + B, tf.float32)).numpy()
    np.testing.assert_allclose(r.output, expected, rtol=1e-5, atol=1e-6)


def test_worked_example_with_relu():
    # [1, 2, 3] · W = [0.5 + 0.5 - 1.5, -1 + 0 + 3] = [-0.5, 2]; + b = [-0.4, 1.8]; relu -> [0, 1.8]
    r = dense([[1.0, 2.0, 3.0]], units=2, activation="relu", kernel=W.tolist(), bias=B.tolist())
    np.testing.assert_allclose(r.output, [[0.0, 1.8]], rtol=1e-6)


@pytest.mark.parametrize("features, units, use_bias", [(3, 2, True), (784, 10, True), (5, 7, False)])
def test_parameter_count_is_inputs_times_units_plus_units(features, units, use_bias):
    r = dense(np.ones((1, features)).tolist(), units=units, use_bias=use_bias)
    assert r.parameter_count == features * units + (units if use_bias else 0)
    assert r.kernel.shape == (features, units)
    assert r.output_shape == [1, units]
    assert (r.bias is None) == (not use_bias)


def test_seeded_initialisation_is_keras_glorot_uniform_and_bias_zero():
    r = dense(X.tolist(), units=4, seed=7)
    layer = keras.layers.Dense(4, kernel_initializer=keras.initializers.GlorotUniform(seed=7))
    layer.build((None, 3))
    np.testing.assert_array_equal(r.kernel, layer.kernel.numpy())
    np.testing.assert_array_equal(r.bias, np.zeros(4))
    np.testing.assert_allclose(r.output, layer(X.astype(np.float32)).numpy(), rtol=1e-6)
    limit = np.sqrt(6 / (3 + 4))
    assert np.abs(r.kernel).max() <= limit


def test_same_seed_gives_same_kernel_and_another_seed_another():
    a, b, c = (dense(X.tolist(), units=3, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.kernel, b.kernel)
    assert not np.array_equal(a.kernel, c.kernel)


@pytest.mark.parametrize("kwargs, message", [
    ({"kernel": [[1.0, 2.0]]}, r"kernel must have shape \[3, 2\]"),
    ({"bias": [1.0]}, "bias must have 2 values"),
    ({"bias": [1.0, 2.0], "use_bias": False}, "use_bias is false"),
    ({"activation": "relux"}, "Unknown activation 'relux'. Expected one of"),
    ({"units": 0}, "units must be at least 1"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dense(X.tolist(), **{"units": 2, **kwargs})
