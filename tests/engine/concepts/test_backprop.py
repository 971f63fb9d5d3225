import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.backprop import backprop
from app.engine.losses import LOSSES

# The worked example of Matt Mazur's "A Step by Step Backpropagation Example": 2-2-2, sigmoid, squared
# error ½Σ(t − o)², which is Keras's mean squared error over two outputs.
X = [0.05, 0.10]
LAYERS = [{"kernel": [[0.15, 0.25], [0.20, 0.30]], "bias": [0.35, 0.35], "activation": "sigmoid"},
          {"kernel": [[0.40, 0.50], [0.45, 0.55]], "bias": [0.60, 0.60], "activation": "sigmoid"}]
TARGET = [0.01, 0.99]


def test_worked_example_loss_gradient_and_updated_weights():
    r = backprop(x=X, layers=LAYERS, y_true=TARGET, loss="mse", learning_rate=0.5)
    assert r.loss == pytest.approx(0.298371109, abs=1e-9)
    assert r.keras_loss == "keras.losses.mean_squared_error"
    assert r.y_pred == pytest.approx([0.75136507, 0.772928465], abs=1e-8)
    assert r.layers[0]["output"] == pytest.approx([0.593269992, 0.596884378], abs=1e-9)
    assert r.layers[1]["gradients"]["kernel"][0][0] == pytest.approx(0.082167041, abs=1e-9)  # ∂E/∂w5
    np.testing.assert_allclose(r.layers[1]["updated"]["kernel"], [[0.35891648, 0.511301270],
                                                                     [0.408666186, 0.561370121]], atol=1e-8)
    np.testing.assert_allclose(r.layers[0]["updated"]["kernel"], [[0.149780716, 0.24975114],
                                                                     [0.19956143, 0.29950229]], atol=1e-8)


def test_chain_rule_factors_multiply_to_the_tape_gradients():
    r = backprop(x=X, layers=LAYERS, y_true=TARGET, loss="mse", learning_rate=0.5)
    for i, layer in enumerate(r.layers):
        dz = np.array(layer["dloss_dz"])
        np.testing.assert_allclose(dz, np.array(layer["dloss_da"]) * np.array(layer["da_dz"]), rtol=1e-12)
        a = np.array(layer["output"])
        np.testing.assert_allclose(layer["da_dz"], a * (1 - a), rtol=1e-12)  # sigmoid' = a (1 − a)
        np.testing.assert_allclose(layer["gradients"]["kernel"], np.outer(layer["inputs"], dz), rtol=1e-12)
        np.testing.assert_allclose(layer["gradients"]["bias"], dz, rtol=1e-12)
        if i > 0:  # what a layer passes back is the previous layer's ∂L/∂a
            np.testing.assert_allclose(r.layers[i - 1]["dloss_da"], np.array(layer["kernel"]) @ dz, rtol=1e-12)
    out = r.layers[-1]
    np.testing.assert_allclose(out["dloss_da"], (np.array(r.y_pred) - TARGET), rtol=1e-12)  # ∂(½Σ(o − t)²)/∂o


def network(width, depth, activation, seed):
    rng = np.random.default_rng(seed)
    sizes = [width] * (depth + 1)
    return [{"kernel": rng.normal(0, 0.8, (a, b)).tolist(), "bias": rng.normal(0, 0.3, b).tolist(),
             "activation": activation} for a, b in zip(sizes, sizes[1:])]


def test_tape_gradients_equal_a_keras_model_with_the_same_weights():
    layers = network(3, 3, "tanh", seed=1)
    x, target = [0.3, -0.7, 1.1], [0.0, 1.0, 0.0]
    r = backprop(x=x, layers=layers, y_true=target, loss="categorical_crossentropy", learning_rate=0.1)
    model = keras.Sequential([keras.Input((3,), dtype="float64")] + [
        keras.layers.Dense(3, activation="tanh", dtype="float64") for _ in layers])
    for dense, layer in zip(model.layers, layers):
        dense.set_weights([np.array(layer["kernel"]), np.array(layer["bias"])])
    with tf.GradientTape() as tape:
        loss = keras.losses.categorical_crossentropy(tf.constant([target], tf.float64),
                                                      model(tf.constant([x], tf.float64)))[0]
    grads = tape.gradient(loss, model.trainable_variables)
    assert r.loss == pytest.approx(float(loss), rel=1e-12)
    for i, layer in enumerate(r.layers):
        np.testing.assert_allclose(layer["gradients"]["kernel"], grads[2 * i].numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer["gradients"]["bias"], grads[2 * i + 1].numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS.names())
def test_finite_differences_agree_with_the_tape_for_every_activation(activation):
    r = backprop(x=[0.4, -0.9], layers=network(2, 2, activation, seed=2), y_true=[0.2, 0.7], loss="mse",
                 learning_rate=0.1)
    assert r.gradients_agree is True
    for layer in r.layers:
        for key in ("kernel", "bias"):
            np.testing.assert_allclose(layer["finite_differences"][key], layer["gradients"][key],
                                       rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("loss", LOSSES.names())
def test_finite_differences_agree_with_the_tape_for_every_loss(loss):
    layers = network(3, 2, "sigmoid", seed=3)
    r = backprop(x=[0.5, 0.1, -0.4], layers=layers, y_true=[0.0, 1.0, 0.0], loss=loss, learning_rate=0.1)
    assert r.gradients_agree is True
    assert r.max_abs_difference < 1e-7


def test_one_update_is_weights_minus_learning_rate_times_gradient_and_lowers_the_loss():
    r = backprop(x=[1.0, 2.0], layers=network(2, 3, "tanh", seed=4), y_true=[0.5, -0.5], loss="mse",
                 learning_rate=0.05)
    for layer in r.layers:
        for key in ("kernel", "bias"):
            np.testing.assert_allclose(layer["updated"][key],
                                       np.array(layer[key]) - 0.05 * np.array(layer["gradients"][key]), rtol=1e-6)
    assert r.loss_after_update < r.loss


@pytest.mark.parametrize("kwargs, message", [
    ({"layers": [{"kernel": [[1.0]], "bias": [0.0], "activation": "relu"}]}, r"must have 2 rows \(one per input\)"),
    ({"layers": [{"kernel": [[1.0], [1.0]], "bias": [0.0, 1.0], "activation": "relu"}]},
     r"bias must hold one value per unit \(1\)"),
    ({"layers": [{"kernel": [[1.0], [1.0]], "bias": [0.0], "activation": "relux"}]}, "Unknown activation 'relux'"),
    ({"y_true": [1.0, 2.0, 3.0]}, r"one value per output unit \(2\); received 3"),
    ({"loss": "msee"}, "Unknown loss 'msee'. Expected one of"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        backprop(**{"x": X, "layers": LAYERS, "y_true": TARGET, "loss": "mse", "learning_rate": 0.5, **kwargs})
