import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.concepts.forward import HEAD, LISTED, forward, parameter_count


def reference_model(input_size, units, activation, seed):
    """The same network as a learner builds it: a Sequential of seeded Dense layers."""
    return keras.Sequential([keras.Input((input_size,))] + [
        keras.layers.Dense(u, activation=a, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i))
        for i, (u, a) in enumerate(zip(units, activation))])


def test_each_layer_is_input_times_kernel_plus_bias_through_the_activation():
    x = [0.5, -1.0, 2.0]
    r = forward(x=x, units=[4, 3, 2], activation=["relu", "tanh", "sigmoid"], seed=3)
    h = np.array([x])
    for layer, f in zip(r.layers, [lambda z: np.maximum(z, 0), np.tanh, lambda z: 1 / (1 + np.exp(-z))]):
        kernel, bias = np.array(layer["kernel"]["values"]), np.array(layer["bias"]["values"])
        z = h @ kernel + bias
        np.testing.assert_allclose(layer["pre_activation"]["values"], z, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer["output"]["values"], f(z), rtol=1e-5, atol=1e-6)
        h = f(z)
    assert [layer["pre_activation"]["shape"] for layer in r.layers] == [[1, 4], [1, 3], [1, 2]]


def test_output_equals_a_keras_sequential_with_the_same_seeded_initialisers():
    x = np.array([[0.1, 0.2, -0.3, 0.4, 0.5]], np.float32)
    units, activation = [6, 6, 3], ["elu", "swish", "linear"]
    r = forward(x=x[0].tolist(), units=units, activation=activation, softmax=True, seed=11)
    logits = reference_model(5, units, activation, 11)(x).numpy()
    np.testing.assert_allclose(r.layers[-1]["output"]["values"], logits, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(r.softmax["values"], tf.nn.softmax(logits).numpy(), rtol=1e-5)
    assert r.output == r.softmax
    assert sum(r.softmax["values"][0]) == pytest.approx(1.0, rel=1e-6)


def test_784_256_128_64_10_on_a_seeded_random_input_is_summarised():
    units, activation = [256, 128, 64, 10], ["relu", "relu", "relu", "linear"]
    r = forward(input_size=784, units=units, activation=activation, softmax=True, seed=0)
    x = tf.random.stateless_uniform([1, 784], seed=[0, 0])
    np.testing.assert_allclose(r.input["head"], x.numpy()[0, :HEAD], rtol=1e-6)
    assert r.random_input is True and r.input["values"] is None
    model = reference_model(784, units, activation, 0)
    h = x
    for layer, ref in zip(r.layers, model.layers):
        h = ref(h).numpy()
        summary = layer["output"]
        assert summary["shape"] == [1, ref.units]
        assert (summary["values"] is None) == (ref.units > LISTED)
        np.testing.assert_allclose(summary["head"], h[0, :HEAD], rtol=1e-5, atol=1e-6)
        for stat, fn in (("min", np.min), ("max", np.max), ("mean", np.mean), ("std", np.std)):
            assert summary[stat] == pytest.approx(float(fn(h)), rel=1e-4, abs=1e-6)
    assert r.parameters == 784 * 256 + 256 + 256 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    assert r.parameters == model.count_params()
    assert [layer["parameters"] for layer in r.layers] == [ref.count_params() for ref in model.layers]


def test_same_seed_same_network_and_another_seed_another():
    spec = {"input_size": 4, "units": [3], "activation": ["linear"]}
    a, b, c = (forward(**spec, seed=s) for s in (5, 5, 6))
    assert a == b
    assert a.layers[0]["kernel"]["values"] != c.layers[0]["kernel"]["values"]
    assert a.input["values"] != c.input["values"]


def test_parameter_count_counts_weights_and_biases():
    assert parameter_count(3, [4, 2]) == (3 * 4 + 4) + (4 * 2 + 2)


@pytest.mark.parametrize("kwargs, message", [
    ({"units": [2, 2], "activation": ["relu"], "x": [1.0]}, r"one function per layer \(2\); received 1"),
    ({"units": [2], "activation": ["relux"], "x": [1.0]}, "Unknown activation 'relux'. Expected one of"),
    ({"units": [2], "activation": ["relu"]}, "Expected x .* or input_size"),
    ({"units": [2], "activation": ["relu"], "x": [1.0, 2.0], "input_size": 3}, r"input_size \(3\) must equal"),
    ({"units": [], "activation": [], "x": [1.0]}, "at least one layer"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        forward(**kwargs)
