import pickle
import time

import keras
import numpy as np
import tensorflow as tf
import pytest

from app.engine.features import transform
from app.engine.optimizers import OPTIMIZERS
from app.engine.session import Diverged, Status, TrainingSession
from app.engine.spec import TrainingSpec

SMALL = TrainingSpec(dataset="circle", num_samples=200, hidden_layers=(4, 2))


def history(session):
    return [(p.epoch, p.train_loss, p.test_loss) for p in session.history]


def test_same_config_and_seed_give_identical_histories():
    a, b = TrainingSession(SMALL), TrainingSession(SMALL)
    for s in (a, b):
        for _ in range(3):
            s.train(7)
    assert history(a) == history(b)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa, pb)


def test_splitting_epochs_across_calls_does_not_change_the_weights():
    a, b = TrainingSession(SMALL), TrainingSession(SMALL)
    a.train(12)
    b.train(5)
    b.train(7)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(pa, pb, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "rmsprop"])
@pytest.mark.parametrize("regularization", ["none", "l2", "l1"])
def test_full_batch_training_matches_keras_fit(optimizer, regularization):
    spec = TrainingSpec(dataset="xor", num_samples=120, hidden_layers=(5, 3), activation="tanh",
                        optimizer=optimizer, learning_rate=0.05, batch_size=60,
                        regularization=regularization, regularization_rate=0.01)
    session = TrainingSession(spec, jit_compile=False)
    start = session.parameters()
    session.train(20)

    reg = {"none": None, "l1": keras.regularizers.L1(0.01), "l2": keras.regularizers.L2(0.01)}[regularization]
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(5, "tanh", kernel_regularizer=reg),
                              keras.layers.Dense(3, "tanh", kernel_regularizer=reg),
                              keras.layers.Dense(1, kernel_regularizer=reg)])
    model.set_weights(start)
    model.compile(optimizer=OPTIMIZERS.get(optimizer).keras_factory(0.05),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    split = session.split
    model.fit(transform(split.train_points, ("x1", "x2")), split.train_labels.astype("float32")[:, None],
              batch_size=60, epochs=20, shuffle=False, verbose=0)
    for ours, theirs in zip(session.parameters(), model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)


def test_xla_and_graph_modes_agree():
    # Same shuffles in both modes; only float rounding of fused operations may differ.
    a = TrainingSession(SMALL, jit_compile=True)
    b = TrainingSession(SMALL, jit_compile=False)
    a.train(3)
    b.train(3)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(pa, pb, rtol=1e-5, atol=1e-6)


def test_reset_restores_the_same_initial_weights_and_reseed_draws_new_ones():
    s = TrainingSession(SMALL)
    start = s.parameters()
    s.train(5)
    s.reset()
    assert s.epoch == 0 and len(s.history) == 1
    for p, q in zip(start, s.parameters()):
        np.testing.assert_array_equal(p, q)
    s.reset(reseed=True)
    assert not np.array_equal(start[0], s.parameters()[0])


def test_changing_the_learning_rate_keeps_the_epoch_and_weights():
    s = TrainingSession(SMALL)
    s.train(5)
    before = s.parameters()
    s.update(learning_rate=0.001, regularization="l2", regularization_rate=0.01)
    assert s.epoch == 5 and s.spec.learning_rate == 0.001
    for p, q in zip(before, s.parameters()):
        np.testing.assert_array_equal(p, q)
    s.train(1)
    assert s.epoch == 6


def test_structural_changes_are_refused_while_training():
    s = TrainingSession(SMALL)
    with pytest.raises(ValueError, match="Cannot change hidden_layers"):
        s.update(hidden_layers=(3,))


def test_divergence_rolls_back_and_recovers_after_lowering_the_rate():
    s = TrainingSession(TrainingSpec(dataset="plane", num_samples=100, hidden_layers=(8, 8), activation="relu",
                                     learning_rate=10, loss="mse"))
    before = s.parameters()
    with pytest.raises(Diverged):
        s.train(50)
    assert s.status is Status.DIVERGED and "Lower the learning rate" in s.message
    assert s.epoch == 0
    for p, q in zip(before, s.parameters()):
        np.testing.assert_array_equal(p, q)
    with pytest.raises(Diverged):
        s.train(1)
    s.update(learning_rate=0.01)
    assert s.status is Status.IDLE
    s.train(5)
    assert s.epoch == 5 and np.isfinite(s.state()["train_loss"])


def test_editing_a_weight_changes_the_output_and_the_loss():
    s = TrainingSession(SMALL)
    loss_before = s.state()["train_loss"]
    s.set_parameter(layer=0, kind="weight", index=(1, 2), value=3.5)
    assert s.parameters()[0][1, 2] == 3.5
    assert s.state()["train_loss"] != loss_before
    assert len(s.history) == 1  # an edit replaces the current point, it does not add one
    s.set_parameter(layer=2, kind="bias", index=(0,), value=-1.0)
    assert s.parameters()[5][0] == -1.0


@pytest.mark.parametrize("kwargs, message", [
    ({"layer": 9, "kind": "weight", "index": (0, 0), "value": 1.0}, "layer must be between 0 and 2"),
    ({"layer": 0, "kind": "weight", "index": (5, 0), "value": 1.0}, "within shape"),
    ({"layer": 0, "kind": "bias", "index": (0, 0), "value": 1.0}, "within shape"),
    ({"layer": 0, "kind": "weight", "index": (0, 0), "value": float("nan")}, "finite"),
])
def test_bad_edits_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainingSession(SMALL).set_parameter(**kwargs)


@pytest.mark.parametrize("dataset, loss", [("blobs", "categorical_crossentropy"), ("spiral_k", "mse"),
                                           ("multi_gauss", "huber"), ("xor", "hinge"), ("moons", "kl_divergence")])
def test_every_problem_kind_trains_and_lowers_the_loss(dataset, loss):
    s = TrainingSession(TrainingSpec(dataset=dataset, loss=loss, num_samples=300, hidden_layers=(8,),
                                     optimizer="adam", learning_rate=0.02))
    start = s.state()["train_loss"]
    s.train(30)
    assert s.state()["train_loss"] < start


def test_multiclass_metrics_include_a_confusion_matrix_of_the_test_set():
    s = TrainingSession(TrainingSpec(dataset="blobs", num_classes=5, num_samples=200))
    m = s.state()["metrics"]
    assert np.array(m["confusion_matrix"]).shape == (5, 5)
    assert np.array(m["confusion_matrix"]).sum() == len(s.split.test_labels)


def _same(a: TrainingSession, b: TrainingSession) -> None:
    assert history(a) == history(b) and a.state() == b.state() and a.spec == b.spec
    for pa, pb in zip(a.parameters() + [s.numpy() for s in a.slots], b.parameters() + [s.numpy() for s in b.slots]):
        np.testing.assert_array_equal(pa, pb)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_restored_session_continues_bit_identically_to_one_that_never_moved(optimizer):
    spec = TrainingSpec(dataset="spiral", num_samples=200, hidden_layers=(5, 3), optimizer=optimizer,
                        lr_schedule="exponential_decay", learning_rate=0.05)
    stayed = TrainingSession(spec)
    stayed.train(7)
    stayed.update(learning_rate=0.02)
    state = pickle.loads(pickle.dumps(stayed.export_state()))  # as it crosses to another process
    moved = TrainingSession.from_state(state)
    _same(stayed, moved)
    for s in (stayed, moved):
        s.train(5)
        s.train(3)
    _same(stayed, moved)
    assert moved.epoch == 15 and len(moved.history) == 4


def test_a_diverged_session_stays_diverged_after_moving():
    s = TrainingSession(TrainingSpec(dataset="plane", num_samples=100, hidden_layers=(8, 8), activation="relu",
                                     learning_rate=10, loss="mse"))
    with pytest.raises(Diverged):
        s.train(50)
    moved = TrainingSession.from_state(s.export_state())
    assert moved.status is Status.DIVERGED and moved.message == s.message
    with pytest.raises(Diverged):
        moved.train(1)


def test_load_state_catches_a_copy_up_and_refuses_another_network():
    a, b = TrainingSession(SMALL), TrainingSession(SMALL)
    a.train(4)
    a.reset(reseed=True)
    a.train(2)
    b.load_state(a.export_state())
    _same(a, b)
    other = TrainingSession(TrainingSpec(dataset="circle", num_samples=200, hidden_layers=(3,)))
    with pytest.raises(ValueError, match="Cannot load the state"):
        other.load_state(a.export_state())


def test_warming_compiles_without_changing_the_session():
    s = TrainingSession(SMALL)
    s.train(2)
    before = s.export_state()
    s.warm(8, 4)
    after = s.export_state()
    assert after["epoch"] == before["epoch"] == 2 and after["step"] == before["step"]
    assert after["history"] == before["history"]
    for p, q in zip(before["params"] + before["slots"], after["params"] + after["slots"]):
        np.testing.assert_array_equal(p, q)


def _play(session, *, provisional):
    """A play with a learning-rate change and a batch-size change (a second network) on the way."""
    session.train(5, provisional=provisional)
    session.train(3, provisional=provisional)
    session.update(learning_rate=0.1)
    session.train(4, provisional=provisional)
    session.update(batch_size=20)
    session.train(6, provisional=provisional)


def test_provisional_epochs_are_replayed_to_exactly_the_numbers_of_waiting_for_the_compile(fresh_trainers):
    spec = TrainingSpec(dataset="spiral", num_samples=200, hidden_layers=(6, 5), optimizer="adam")
    played, waited = TrainingSession(spec), TrainingSession(spec)
    _play(played, provisional=True)
    assert played.provisional and played.epoch == 18 and len(played.history) == 5

    assert played.settle() and not played.provisional
    _play(waited, provisional=False)
    _same(played, waited)


def test_graph_mode_stand_in_agrees_with_the_exact_numbers_to_float_rounding(fresh_trainers):
    spec = TrainingSpec(dataset="spiral", num_samples=200, hidden_layers=(6, 5), optimizer="adam")
    s = TrainingSession(spec)
    _play(s, provisional=True)
    provisional = history(s)
    s.settle()
    np.testing.assert_allclose(np.array(history(s)), np.array(provisional), rtol=1e-4)


def test_provisional_play_settles_by_itself_once_compiled(fresh_trainers):
    s = TrainingSession(SMALL)
    s.train(2, provisional=True)
    assert s.provisional
    s.settle()  # stands in for the background compile finishing
    s.train(2, provisional=True)
    assert not s.provisional and s.epoch == 4


def test_reads_that_change_or_move_a_session_settle_it_first(fresh_trainers):
    exact = TrainingSession(SMALL)
    exact.train(3)
    moved = TrainingSession(SMALL)
    moved.train(3, provisional=True)
    state = moved.export_state()
    assert not moved.provisional
    _same(exact, TrainingSession.from_state(state))

    edited = TrainingSession(SMALL)
    edited.train(3, provisional=True)
    edited.set_parameter(layer=0, kind="bias", index=(1,), value=0.5)
    exact.set_parameter(layer=0, kind="bias", index=(1,), value=0.5)
    assert not edited.provisional
    _same(exact, edited)


def test_reset_forgets_provisional_epochs(fresh_trainers):
    s = TrainingSession(SMALL)
    s.train(3, provisional=True)
    s.reset()
    assert not s.provisional and s.epoch == 0 and len(s.history) == 1


def test_a_divergence_after_provisional_epochs_survives_settling(fresh_trainers):
    s = TrainingSession(TrainingSpec(dataset="plane", num_samples=100, hidden_layers=(8, 8), activation="relu",
                                     learning_rate=0.001, loss="mse"))
    s.train(2, provisional=True)
    s.update(learning_rate=10)
    with pytest.raises(Diverged):
        s.train(50, provisional=True)
    s.settle()
    assert s.status is Status.DIVERGED and s.epoch == 2


def test_play_settles_even_when_a_network_it_replays_was_evicted_from_the_cache(monkeypatch):
    from app.engine import session as session_module
    from app.engine.trainer import FunctionCache, Trainer

    monkeypatch.setattr(session_module, "TRAINERS", FunctionCache(Trainer, capacity=2))
    s = TrainingSession(TrainingSpec(dataset="xor", num_samples=120, hidden_layers=(3, 4), activation="selu"))
    s.train(2, provisional=True)  # network A
    s.update(batch_size=15)
    s.train(2, provisional=True)  # network B
    TrainingSession(TrainingSpec(dataset="xor", num_samples=120, hidden_layers=(2,))).train(1)  # evicts A
    deadline = time.monotonic() + 30
    while not s.settle(wait=False):
        assert time.monotonic() < deadline, "the background compiles never caught up"
        time.sleep(0.05)
        s.train(1, provisional=True)
    assert not s.provisional


def _blows_up(inputs):
    """A training function whose results are all NaN."""
    nan = lambda t: tf.fill(tf.shape(t), float("nan"))  # noqa: E731
    params, slots, step = inputs.params, inputs.slots, inputs.step
    loss = {"loss": tf.constant(float("nan"))}
    return [nan(p) for p in params], [nan(s) for s in slots], step, loss, loss


def test_a_stand_in_that_diverges_leaves_the_verdict_to_the_exact_numbers(fresh_trainers, monkeypatch):
    from app.engine.trainer import Trainer

    monkeypatch.setattr(Trainer, "stand_in", lambda self, epochs, args: _blows_up)
    played, waited = TrainingSession(SMALL), TrainingSession(SMALL)
    played.train(3, provisional=True)
    waited.train(3)
    assert played.status is Status.IDLE and not played.provisional
    _same(played, waited)


def test_training_refuses_to_go_on_after_the_replay_diverged(fresh_trainers, monkeypatch):
    from app.engine.trainer import Trainer

    s = TrainingSession(SMALL)
    s.train(2, provisional=True)
    assert s.provisional
    monkeypatch.setattr(Trainer, "__call__", lambda self, *args: _blows_up(*args))
    with pytest.raises(Diverged):
        s.train(2)
    assert s.status is Status.DIVERGED and s.epoch == 0 and not s.provisional


def test_live_fields_are_the_tables_live_entries():
    from app.engine.spec import FIELDS, LIVE_FIELDS

    assert set(LIVE_FIELDS) == {"learning_rate", "lr_schedule", "lr_schedule_params", "regularization",
                                "regularization_rate", "batch_size"}
    assert all(FIELDS[name].live for name in LIVE_FIELDS)


@pytest.mark.parametrize("changes, message", [
    ({"learning_rate": 0}, "learning_rate must be greater than 0"),
    ({"noise": 51}, "noise must be at most 50"),
    ({"hidden_layers": (4, 0)}, "every item of hidden_layers must be at least 1"),
    ({"features": ("x1", "x9")}, "Unknown feature 'x9'"),
])
def test_the_engine_checks_the_tables_limits_itself(changes, message):
    from dataclasses import replace

    with pytest.raises(ValueError, match=message):
        replace(TrainingSpec(), **changes).resolved()
