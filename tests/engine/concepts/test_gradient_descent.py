import json
import math
from dataclasses import asdict

import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.concepts.gradient_descent import (
    FUNCTIONS,
    compare_batch_sizes,
    descend,
    regression_data,
    run_descent,
)
from app.engine.optimizers import OPTIMIZERS


def xs(run):
    return [p["x"][0] for p in run["trajectory"]]


def test_worked_example_x_squared_from_5_with_learning_rate_0_3():
    r = descend(function="square", x=[5.0], learning_rate=0.3, steps=5, optimizers=["sgd"])
    assert xs(r.runs[0]) == pytest.approx([5, 2, 0.8, 0.32, 0.128, 0.0512], rel=1e-6)
    run = r.runs[0]["trajectory"]
    assert [p["loss"] for p in run] == pytest.approx([x * x for x in [5, 2, 0.8, 0.32, 0.128, 0.0512]], rel=1e-5)
    assert [p["gradient"][0] for p in run] == pytest.approx([2 * x for x in [5, 2, 0.8, 0.32, 0.128, 0.0512]],
                                                            rel=1e-6)


@pytest.mark.parametrize("learning_rate, verdict", [(0.1, "converging"), (0.3, "converging"), (0.7, "oscillating"),
                                                    (1.0, "bouncing"), (1.2, "diverging"), (1.5, "diverging")])
def test_x_squared_follows_one_minus_two_eta_to_the_t_and_gets_the_verdict_of_its_band(learning_rate, verdict):
    r = descend(function="square", x=[5.0], learning_rate=learning_rate, steps=30, optimizers=["sgd"])
    expected = 5.0 * (1 - 2 * learning_rate) ** np.arange(31)
    np.testing.assert_allclose(xs(r.runs[0]), expected, rtol=1e-4, atol=1e-6)
    assert r.runs[0]["verdict"] == verdict
    assert r.regime == verdict


def test_learning_rate_1_bounces_between_plus_and_minus_x0_forever():
    r = descend(function="square", x=[5.0], learning_rate=1.0, steps=1000, optimizers=["sgd"])
    assert xs(r.runs[0]) == [5.0 * (-1) ** t for t in range(1001)]


def test_bands_follow_the_curvature_of_the_quadratic():
    r = descend(function="elongated_bowl", x=[1.0, 1.0], learning_rate=0.01, steps=1, optimizers=["sgd"])
    bands = {b["regime"]: (b["low"], b["high"]) for b in r.learning_rate_bands}
    assert bands["converging"] == (0.0, pytest.approx(1 / 20))  # J = x² + 10 y²: curvature 20 along y
    assert bands["diverging"] == (pytest.approx(2 / 20), None)
    assert descend(function="rosenbrock", x=[0.0, 0.0], learning_rate=0.001, steps=1,
                   optimizers=["sgd"]).learning_rate_bands is None


def test_diverging_run_overflows_into_nulls_never_nan():
    r = descend(function="square", x=[5.0], learning_rate=1.5, steps=1000, optimizers=["sgd"])
    run = r.runs[0]
    assert r.overflow is True and run["overflow"] is True and run["verdict"] == "diverging"
    assert run["steps_run"] < 1000
    assert run["trajectory"][-1]["loss"] is None
    json.dumps(asdict(r), allow_nan=False)


def keras_reference(function, optimizer, start, learning_rate, steps):
    """The loop a learner writes: an eager Keras optimizer on a tf.Variable."""
    x = tf.Variable(start, dtype=tf.float32)
    opt = OPTIMIZERS.get(optimizer).keras_factory(learning_rate)
    points = [x.numpy().copy()]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = FUNCTIONS.get(function).fn(x)
        opt.apply_gradients([(tape.gradient(loss, x), x)])
        points.append(x.numpy().copy())
    return np.array(points)


@pytest.mark.parametrize("optimizer", OPTIMIZERS.names())
def test_each_optimizer_matches_an_eager_keras_loop(optimizer):
    r = descend(function="himmelblau", x=[0.5, -0.5], learning_rate=0.01, steps=25, optimizers=[optimizer])
    points = np.array([p["x"] for p in r.runs[0]["trajectory"]])
    np.testing.assert_allclose(points, keras_reference("himmelblau", optimizer, [0.5, -0.5], 0.01, 25),
                               rtol=1e-5, atol=1e-6)


def test_a_second_run_starts_from_fresh_optimizer_state():
    first = run_descent("bowl", "adam", [1.0, 2.0], [0.1] * 10)
    run_descent("bowl", "adam", [-3.0, 0.5], [0.5] * 40)
    again = run_descent("bowl", "adam", [1.0, 2.0], [0.1] * 10)
    np.testing.assert_array_equal(first.points, again.points)


NUMPY_FUNCTIONS = {
    "square": lambda x, y: x ** 2,
    "quartic": lambda x, y: x ** 4 - 3 * x ** 2,
    "smooth_abs": lambda x, y: np.sqrt(x ** 2 + 0.01),
    "bumpy": lambda x, y: 0.1 * x ** 2 - np.cos(3 * x),
    "bowl": lambda x, y: x ** 2 + y ** 2,
    "elongated_bowl": lambda x, y: x ** 2 + 10 * y ** 2,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
    "saddle": lambda x, y: x ** 2 - y ** 2,
    "himmelblau": lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
}


@pytest.mark.parametrize("name", FUNCTIONS.names())
def test_function_values_gradients_and_plot_match_numpy(name):
    f = FUNCTIONS.get(name)
    start = [0.7, -1.3][:f.dimensions]
    r = descend(function=name, x=start, learning_rate=1e-3, steps=1, optimizers=["sgd"], resolution=16)
    reference = NUMPY_FUNCTIONS[name]
    args = (*start, 0.0)[:2]
    first = r.runs[0]["trajectory"][0]
    assert first["loss"] == pytest.approx(reference(*args), rel=1e-5, abs=1e-6)
    h = 1e-6
    numeric = [(reference(*np.add(args, d)) - reference(*np.subtract(args, d))) / (2 * h)
               for d in np.eye(2)[:f.dimensions] * h]
    np.testing.assert_allclose(first["gradient"], numeric, rtol=1e-3, atol=1e-3)
    plot = r.plot
    if f.dimensions == 1:
        np.testing.assert_allclose(plot["loss"], reference(np.array(plot["x"]), 0), rtol=1e-5, atol=1e-5)
    else:
        gx, gy = np.meshgrid(plot["x"], plot["y"])
        np.testing.assert_allclose(plot["loss"], reference(gx, gy), rtol=1e-5, atol=1e-3)
    for minimum in f.minima:  # each listed minimum is lower than every point around it
        centre = np.array((*minimum, 0.0)[:2])
        around = [centre + 1e-3 * np.array([math.cos(a), math.sin(a) if f.dimensions == 2 else 0.0])
                  for a in np.linspace(0, 2 * math.pi, 8, endpoint=False)]
        assert all(reference(*p) > reference(*centre) - 1e-9 for p in around)


def test_without_a_start_each_function_starts_from_its_own():
    for name in FUNCTIONS.names():
        r = descend(function=name, learning_rate=1e-3, steps=1, optimizers=["sgd"], resolution=4)
        assert r.start == list(FUNCTIONS.get(name).start)
        assert r.runs[0]["trajectory"][0]["x"] == pytest.approx(r.start, rel=1e-7)  # float32


def test_saddle_runs_away_and_elongated_bowl_zig_zags():
    saddle = descend(function="saddle", x=[2.5, 0.05], learning_rate=0.1, steps=100, optimizers=["sgd"])
    assert saddle.runs[0]["verdict"] == "diverging"
    bowl = descend(function="elongated_bowl", x=[2.5, 1.5], learning_rate=0.08, steps=20, optimizers=["sgd"])
    ys = [p["x"][1] for p in bowl.runs[0]["trajectory"]]
    assert all(a * b < 0 for a, b in zip(ys, ys[1:]))  # y flips sign every step: 1 − 20·0.08 < 0


@pytest.mark.parametrize("kwargs, message", [
    ({"function": "bowl", "x": [1.0]}, r"takes 2 coordinate\(s\); received a start of 1"),
    ({"optimizers": ["sgd", "sgd"]}, "Each optimizer may be listed once"),
    ({"optimizers": ["adamw"]}, "Unknown optimizer 'adamw'. Expected one of"),
    ({"function": "cubic"}, "Unknown function 'cubic'. Expected one of"),
])
def test_bad_input_says_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        descend(**{"function": "square", "x": [1.0], "learning_rate": 0.1, "steps": 3, "optimizers": ["sgd"],
                   **kwargs})


# --- batch sizes -----------------------------------------------------------------------------------------

def numpy_sgd(x, y, *, batch_size, epochs, learning_rate, seed):
    """Mini-batch gradient descent on mean squared error, written out in NumPy."""
    w = b = 0.0
    losses = []
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        xo, yo = x[order].astype(np.float64), y[order].astype(np.float64)
        for lo in range(0, len(x), batch_size):
            xb, yb = xo[lo:lo + batch_size], yo[lo:lo + batch_size]
            err = w * xb + b - yb
            losses.append(np.mean(err ** 2))
            w, b = w - learning_rate * np.mean(2 * err * xb), b - learning_rate * np.mean(2 * err)
    return w, b, losses


def test_each_batch_mode_matches_numpy_gradient_descent():
    kwargs = {"samples": 30, "noise": 0.3, "epochs": 4, "learning_rate": 0.1, "seed": 5}
    r = compare_batch_sizes(batch_size=7, **kwargs)
    x, y = regression_data(samples=30, noise=0.3, seed=5)
    for mode, size in (("full_batch", 30), ("stochastic", 1), ("mini_batch", 7)):
        w, b, losses = numpy_sgd(x, y, batch_size=size, epochs=4, learning_rate=0.1, seed=5)
        run = getattr(r, mode)
        assert run["batch_size"] == size and run["updates_per_epoch"] == math.ceil(30 / size)
        assert len(run["update_losses"]) == 4 * math.ceil(30 / size) and len(run["epoch_losses"]) == 5
        np.testing.assert_allclose(run["update_losses"], losses, rtol=1e-4, atol=1e-6)
        assert (run["w"], run["b"]) == (pytest.approx(w, rel=1e-4), pytest.approx(b, rel=1e-4, abs=1e-5))
        assert run["epoch_losses"][-1] == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-4)


def test_least_squares_is_numpy_polyfit_and_the_data_is_seeded():
    r = compare_batch_sizes(samples=50, noise=0.5, batch_size=5, epochs=1, learning_rate=0.1, seed=1)
    w, b = np.polyfit(r.x, r.y, 1)
    assert (r.least_squares["w"], r.least_squares["b"]) == (pytest.approx(w), pytest.approx(b))
    assert r == compare_batch_sizes(samples=50, noise=0.5, batch_size=5, epochs=1, learning_rate=0.1, seed=1)
    assert r.x != compare_batch_sizes(samples=50, noise=0.5, batch_size=5, epochs=1, learning_rate=0.1,
                                         seed=2).x


def test_stochastic_descent_gets_closer_in_one_epoch_than_full_batch():
    r = compare_batch_sizes(samples=100, noise=0.2, batch_size=10, epochs=1, learning_rate=0.05, seed=0)
    assert r.stochastic["epoch_losses"][-1] < r.mini_batch["epoch_losses"][-1] < \
        r.full_batch["epoch_losses"][-1]


def test_batch_size_larger_than_samples_is_refused():
    with pytest.raises(ValueError, match=r"batch_size must be between 1 and samples \(10\); received 11"):
        compare_batch_sizes(samples=10, noise=0.1, batch_size=11, epochs=1, learning_rate=0.1, seed=0)


def test_compiling_the_descent_loops_parses_no_python_source(monkeypatch, source_parses):
    from app.engine.concepts import gradient_descent

    monkeypatch.setattr(gradient_descent, "_descenders", {})
    monkeypatch.setattr(gradient_descent, "_regression", None)
    run = run_descent("bowl", "momentum", [1.0, 2.0], [0.1] * 5)
    compare_batch_sizes(samples=20, noise=0.1, batch_size=4, epochs=2, learning_rate=0.1, seed=3)

    assert len(run.losses) == 6
    assert source_parses == []
