import numpy as np
import pytest
import tensorflow as tf

from app.engine import schedules
from app.engine.schedules import SCHEDULES

CASES = {
    "constant": {},
    "exponential_decay": {"decay_steps": 10, "decay_rate": 0.5, "staircase": False},
    "inverse_time": {"decay_steps": 7, "decay_rate": 0.3, "staircase": True},
    "piecewise_constant": {"boundaries": [5, 20], "values": [0.1, 0.05, 0.01]},
    "cosine_decay": {"decay_steps": 30, "alpha": 0.1},
}


def test_every_registered_schedule_is_tested():
    assert set(CASES) == set(SCHEDULES.names())


@pytest.mark.parametrize("name", SCHEDULES.names())
def test_graph_rate_equals_the_keras_schedule(name):
    params = schedules.resolve_params(name, CASES[name])
    keras_sched = schedules.keras_schedule(name, 0.1, params)
    graph = schedules.graph_params(name, params)
    for step in [0, 1, 4, 5, 6, 10, 19, 20, 21, 29, 30, 45]:
        ours = float(schedules.rate(name, tf.constant(0.1), tf.constant(step, tf.int64), graph))
        theirs = 0.1 if name == "constant" else float(keras_sched(step))
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, err_msg=f"step {step}")


def test_staircase_decays_in_whole_periods():
    params = schedules.resolve_params("exponential_decay", {"decay_steps": 10, "decay_rate": 0.5, "staircase": True})
    graph = schedules.graph_params("exponential_decay", params)
    rates = [float(schedules.rate("exponential_decay", tf.constant(1.0), tf.constant(s, tf.int64), graph))
             for s in (0, 9, 10, 19, 20)]
    assert rates == [1.0, 1.0, 0.5, 0.5, 0.25]


@pytest.mark.parametrize("name, params, message", [
    ("exponential_decay", {"alpha": 1}, "Unknown parameter"),
    ("exponential_decay", {"decay_steps": 0}, "between"),
    ("piecewise_constant", {"boundaries": [10], "values": [0.1]}, "one more value than boundaries"),
    ("piecewise_constant", {"boundaries": [10, 5], "values": [0.1, 0.2, 0.3]}, "must increase"),
    ("cosine_decay", {"alpha": float("nan")}, "finite"),
])
def test_bad_parameters_are_refused(name, params, message):
    with pytest.raises(ValueError, match=message):
        schedules.resolve_params(name, params)
