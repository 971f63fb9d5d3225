import sys
from collections import OrderedDict

import numpy as np
import pytest
import tensorflow as tf

from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.engine.trainer import PREDICTORS, TRAINERS, ShapeFree, Trainer, TrainingInputs


def _session(**spec) -> TrainingSession:
    return TrainingSession(TrainingSpec(**{"dataset": "circle", "num_samples": 200, **spec}))


def _arguments(session: TrainingSession, epochs: int) -> TrainingInputs:
    return session._inputs(epochs, session._live_tensors())


def test_compiling_a_new_network_parses_no_python_source(monkeypatch, source_parses):
    monkeypatch.setattr(TRAINERS, "_functions", OrderedDict())
    monkeypatch.setattr(PREDICTORS, "_functions", OrderedDict())
    session = TrainingSession(TrainingSpec(dataset="spiral", hidden_layers=(3, 5), activation="softsign",
                                           optimizer="adagrad", batch_size=7))
    session.train(3)
    session.warm(8, 4)

    assert session.state()["epoch"] == 3
    assert source_parses == []


def test_one_graph_mode_trace_serves_every_width_data_size_and_batch_size():
    double = ShapeFree(lambda x, w: tf.matmul(x, w) * 2.0)
    for rows, inner, cols in [(3, 2, 4), (5, 7, 1), (1, 1, 9)]:
        x, w = tf.ones([rows, inner]), tf.ones([inner, cols])
        np.testing.assert_array_equal(double(x, w), 2.0 * inner * np.ones([rows, cols]))
    assert [f.experimental_get_tracing_count() for f in double._traced.values()] == [1]


def test_a_shape_free_function_is_ready_only_after_it_ran_for_that_signature():
    square = ShapeFree(lambda x: x * x)
    assert not square.ready(tf.ones([3]))
    square(tf.ones([3]))
    assert square.ready(tf.ones([7])) and not square.ready(tf.ones([2, 2]))


@pytest.mark.parametrize("spec", [
    {"hidden_layers": (4, 2)},
    {"hidden_layers": (6, 3, 5), "optimizer": "adam", "batch_size": 7},  # a remainder batch every epoch
    {"dataset": "blobs", "hidden_layers": (5,), "loss": "categorical_crossentropy", "optimizer": "rmsprop"},
])
def test_graph_mode_and_op_by_op_stand_ins_agree_with_the_exact_version(spec):
    session = _session(**spec)
    trainer = Trainer(session.architecture)
    args = _arguments(session, 4)
    exact = trainer(args)
    for stand_in in (trainer.graph, trainer.eager):
        params, slots, step, train_m, test_m = stand_in(args)
        assert int(step) == int(exact[2])
        for got, want in zip(params + slots, exact[0] + exact[1]):
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(float(train_m["loss"]), float(exact[3]["loss"]), rtol=1e-5)


def test_a_stand_in_runs_op_by_op_until_traced_and_never_for_a_long_call(fresh_trainers):
    session = _session(hidden_layers=(3, 3), activation="elu", batch_size=20)  # 5 updates an epoch
    trainer = fresh_trainers.get(session.architecture)
    assert trainer.stand_in(1, _arguments(session, 0)) == trainer.eager
    assert trainer.stand_in(13, _arguments(session, 0)) == trainer.graph  # 65 updates: faster traced
    trainer.graph(_arguments(session, 0))
    assert trainer.stand_in(1, _arguments(session, 0)) == trainer.graph


def _ops_run(fn, *args) -> int:
    """TensorFlow ops ``fn`` runs one by one (eager), counted as the calls into TensorFlow's fast path."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "c_call" and getattr(arg, "__name__", "") == "TFE_Py_FastPathExecute":
            count += 1

    sys.setprofile(profile)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return count


def test_the_trace_a_new_kind_of_network_waits_for_has_no_shape_arithmetic_for_its_reductions(fresh_trainers):
    # Reductions over named negative axes of unknown sizes made every reduction's gradient compute its shape
    # (a DynamicStitch, FloorMod, Range, Fill each): 607 nodes instead of 523 for this network and 10 of each
    # instead of 1 (Keras's binary cross-entropy, a mean over the last axis), so a new network's trace took longer.
    session = _session(hidden_layers=(9, 6, 3), activation="elu")
    trainer = fresh_trainers.get(session.architecture)
    trainer.graph(_arguments(session, 0))
    (traced,) = trainer._shape_free._traced.values()
    graph = traced.get_concrete_function(_arguments(session, 0), trainer._batch_size).graph.as_graph_def()
    ops = [n.op for n in graph.node] + [n.op for f in graph.library.function for n in f.node_def]
    assert ops.count("DynamicStitch") == 1


def test_op_by_op_an_unregularized_update_runs_no_penalty_ops_and_gives_the_same_numbers():
    plain = _session(hidden_layers=(9, 6, 3), activation="elu")
    trainer = Trainer(plain.architecture)
    live = plain._live_tensors()
    penalised = {**live, "l1": tf.constant(0.0), "l2": tf.constant(1e-30)}  # adds ~0: the penalty ops run
    args = plain._inputs(1, live)
    fast, full = _ops_run(trainer.eager, args), _ops_run(trainer.eager, plain._inputs(1, penalised))
    # measured 1,240 and 1,570 ops for one epoch of 10 updates (1,950 without a penalty on the code before)
    assert fast < 0.85 * full
    exact_zero = {**live, "l1": tf.constant(0.0), "l2": tf.constant(0.0)}
    for got, want in zip(trainer.eager(args)[0], trainer.graph(plain._inputs(1, exact_zero))[0]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_the_cache_lets_go_of_the_least_recently_used_but_finds_one_still_held_elsewhere():
    from app.engine.trainer import FunctionCache

    built = []

    class Function:
        def __init__(self, key):
            built.append(key)

    cache = FunctionCache(Function, capacity=1)
    held = cache.get("a")
    cache.get("b")  # lets "a" go, but it is still held
    assert cache.get("a") is held and built == ["a", "b"]
    cache.get("c")  # lets "a" go again; "b" is held by nobody
    assert cache.get("b") is not None and built == ["a", "b", "c", "b"]
