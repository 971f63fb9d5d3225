import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.concepts.learning_rate import schedule_descent
from app.engine.schedules import SCHEDULES, keras_schedule, resolve_params

CASES = {
    "constant": {},
    "exponential_decay": {"decay_steps": 5, "decay_rate": 0.5},
    "inverse_time": {"decay_steps": 3, "decay_rate": 0.7, "staircase": True},
    "piecewise_constant": {"boundaries": [4, 9], "values": [0.8, 0.3, 0.05]},
    "cosine_decay": {"decay_steps": 12, "alpha": 0.1},
}


def test_every_schedule_has_a_case():
    assert sorted(CASES) == sorted(SCHEDULES.names())


@pytest.mark.parametrize("schedule", SCHEDULES.names())
def test_learning_rates_are_the_keras_schedule_called_at_each_step(schedule):
    r = schedule_descent(schedule=schedule, params=CASES[schedule], learning_rate=0.9, steps=20, x=3.0)
    rate = keras_schedule(schedule, 0.9, resolve_params(schedule, CASES[schedule]))
    expected = [float(rate(step)) if callable(rate) else rate for step in range(20)]
    np.testing.assert_allclose(r.learning_rates, expected, rtol=1e-6)


@pytest.mark.parametrize("schedule", SCHEDULES.names())
def test_trajectory_equals_keras_sgd_with_the_schedule(schedule):
    r = schedule_descent(schedule=schedule, params=CASES[schedule], learning_rate=0.9, steps=20, x=3.0)
    x = tf.Variable([3.0])
    optimizer = keras.optimizers.SGD(keras_schedule(schedule, 0.9, resolve_params(schedule, CASES[schedule])))
    expected = [3.0]
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(x * x)
        optimizer.apply_gradients([(tape.gradient(loss, x), x)])
        expected.append(float(x[0]))
    np.testing.assert_allclose([p["x"][0] for p in r.scheduled["trajectory"]], expected, rtol=1e-5, atol=1e-7)


def test_each_step_multiplies_x_by_one_minus_twice_the_rate():
    r = schedule_descent(schedule="cosine_decay", params={"decay_steps": 30}, learning_rate=0.8, steps=30, x=-2.0)
    rates = np.array(r.learning_rates, np.float64)
    expected = -2.0 * np.concatenate([[1.0], np.cumprod(1 - 2 * rates)])
    np.testing.assert_allclose([p["x"][0] for p in r.scheduled["trajectory"]], expected, rtol=1e-4, atol=1e-6)


def test_rate_1_bounces_forever_while_exponential_decay_from_the_same_start_converges():
    r = schedule_descent(schedule="exponential_decay", params={"decay_steps": 5, "decay_rate": 0.5},
                         learning_rate=1.0, steps=200, x=5.0)
    assert [p["x"][0] for p in r.constant["trajectory"]] == [5.0 * (-1) ** t for t in range(201)]
    assert r.constant["verdict"] == "bouncing"
    assert r.scheduled["verdict"] == "converging"
    assert abs(r.scheduled["trajectory"][-1]["x"][0]) < 1e-6
    assert r.overflow is False


def test_parameters_are_resolved_with_defaults():
    r = schedule_descent(schedule="exponential_decay", params={"decay_rate": 0.5}, learning_rate=0.1, steps=3, x=1.0)
    assert r.params == {"decay_steps": 100, "decay_rate": 0.5, "staircase": False}
    assert "ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5, staircase=False)" in r.keras


@pytest.mark.parametrize("kwargs, message", [
    ({"schedule": "linear"}, "Unknown learning-rate schedule 'linear'. Expected one of"),
    ({"params": {"decay_rat": 0.5}}, "Unknown parameter"),
    ({"params": {"decay_rate": 2.0}}, "decay_rate must be between"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        schedule_descent(**{"schedule": "exponential_decay", "params": {}, "learning_rate": 0.1, "steps": 3,
                            "x": 1.0, **kwargs})
