"""A session on a learner's own points: it trains on exactly them, takes new ones live (weights kept when the
network stays the same), moves between processes with them, and never compiles per data size."""

import numpy as np
import pytest
import tensorflow as tf

from app.engine.custom_data import DECIMALS, from_rows
from app.engine.problems import Problem
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.engine.trainer import TRAINERS


def two_blobs(n: int, seed: int = 0, gap: float = 2.5) -> list[list[float]]:
    """Two well separated groups: left class 0, right class 1."""
    rng = np.random.default_rng(seed)
    left = np.column_stack([rng.uniform(-5, -gap, n // 2), rng.uniform(-5, 5, n // 2), np.zeros(n // 2)])
    right = np.column_stack([rng.uniform(gap, 5, n - n // 2), rng.uniform(-5, 5, n - n // 2), np.ones(n - n // 2)])
    return np.concatenate([left, right]).tolist()


def custom(points, **fields) -> TrainingSpec:
    return TrainingSpec(dataset="custom", points=tuple(map(tuple, points)), hidden_layers=(4,), **fields)


def split_rows(session: TrainingSession) -> np.ndarray:
    s = session.split
    rows = np.column_stack([np.concatenate([s.train_points, s.test_points]),
                            np.concatenate([s.train_labels, s.test_labels])]).astype(np.float64)
    return rows[np.lexsort(rows.T[::-1])]


def sorted_rows(points) -> np.ndarray:
    """The rows as a session trains on them: coordinates to custom_data.DECIMALS places, in float32."""
    rows = np.asarray(points, np.float64)
    rows[:, :2] = np.round(rows[:, :2], DECIMALS)
    return rows[np.lexsort(rows.T[::-1])].astype(np.float32).astype(np.float64)


def logits(params: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    """The network by hand in NumPy (tanh hidden layers): the reference for the session's losses."""
    for w, b in zip(params[0:-2:2], params[1:-2:2]):
        x = np.tanh(x @ w + b)
    return x @ params[-2] + params[-1]


def binary_cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def test_a_session_trains_on_exactly_its_points_split_by_the_ratio():
    points = two_blobs(20)
    session = TrainingSession(custom(points, train_ratio=0.7, seed=3))
    assert len(session.split.train_points) == 14 and len(session.split.test_points) == 6
    np.testing.assert_allclose(split_rows(session), sorted_rows(points))
    assert session.spec.problem is Problem.BINARY and session.spec.num_classes == 2


def test_twenty_separable_points_of_two_classes_are_learned_exactly():
    session = TrainingSession(custom(two_blobs(20), learning_rate=0.1, batch_size=10))
    session.train(200)
    assert session.state()["train_metrics"]["accuracy"] == 1.0
    assert session.state()["metrics"]["accuracy"] == 1.0


def test_new_points_keep_the_weights_and_the_losses_are_the_new_points_losses():
    session = TrainingSession(custom(two_blobs(20)))
    session.train(30)
    before = session.parameters()
    new = two_blobs(31, seed=5)
    session.update(points=tuple(map(tuple, new)))
    assert session.epoch == 30
    for a, b in zip(before, session.parameters()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(split_rows(session), sorted_rows(new))
    split = session.split
    expected = binary_cross_entropy(logits(session.parameters(), split.train_points)[:, 0], split.train_labels)
    assert session.state()["train_loss"] == pytest.approx(expected, rel=1e-5)


def test_naming_the_upload_of_the_points_trained_on_changes_only_the_id():
    points = two_blobs(20)
    session = TrainingSession(custom(points))
    session.train(3)
    split, history = session.split, list(session.history)
    session.update(points=tuple(map(tuple, points)), dataset_id="u" * 22)
    assert session.spec.dataset_id == "u" * 22 and session.epoch == 3
    assert session.split is split and session.history == history  # not split or evaluated again
    session.update(points=tuple(map(tuple, two_blobs(21))), dataset_id="v" * 22)
    assert len(session.history) == len(history) + 1 and session.split is not split


def test_a_change_of_class_count_starts_a_fresh_network():
    session = TrainingSession(custom(two_blobs(20)))
    session.train(10)
    three = [row[:2] + [i % 3] for i, row in enumerate(two_blobs(30))]
    session.update(points=tuple(map(tuple, three)))
    assert session.epoch == 0 and session.spec.problem is Problem.MULTICLASS
    assert session.parameters()[-1].shape == (3,)


def test_a_refused_change_keeps_the_data_as_it_was():
    points = two_blobs(20)
    session = TrainingSession(custom(points))
    with pytest.raises(ValueError, match="at least 2 classes"):
        session.update(points=((0.0, 0.0, 1.0), (1.0, 1.0, 1.0)))
    np.testing.assert_allclose(split_rows(session), sorted_rows(points))


def test_a_built_in_dataset_becomes_custom_data_live_and_back():
    session = TrainingSession(TrainingSpec(dataset="spiral", num_samples=100, hidden_layers=(4,)))
    session.train(5)
    session.update(dataset="custom", points=tuple(map(tuple, two_blobs(20))))
    assert session.epoch == 5 and len(session.split.train_points) == 10
    session.update(dataset="spiral")
    assert session.spec.points is None and session.spec.class_names is None
    assert len(session.split.train_points) == 50 and session.epoch == 5


def test_inline_points_out_of_the_square_are_scaled_like_an_upload():
    points = [[x * 10, y, label] for x, y, label in two_blobs(20)]
    session = TrainingSession(custom(points))
    np.testing.assert_allclose(split_rows(session), sorted_rows(from_rows(points).rows))
    assert np.abs(session.split.train_points).max() <= 6


def test_a_moved_session_carries_its_points_and_continues_bit_identically():
    session = TrainingSession(custom(two_blobs(24), batch_size=5))
    session.train(7)
    copy = TrainingSession.from_state(session.export_state())
    session.train(9)
    copy.train(9)
    for a, b in zip(session.parameters(), copy.parameters()):
        np.testing.assert_array_equal(a, b)


def test_custom_data_trains_in_graph_mode_for_every_size():
    # XLA would compile a function for every training-set size a drawing passes through
    session = TrainingSession(custom(two_blobs(20)))
    session.train(1)
    for n in (21, 22, 23):
        session.update(points=tuple(map(tuple, two_blobs(n))))
        session.train(1, provisional=True)
        assert not session.provisional  # trained exactly at once: nothing to compile
        assert not session.architecture.jit_compile
    assert TRAINERS.get(session.architecture)._xla is None


def test_a_batch_above_the_training_points_trains_them_all_at_once():
    session = TrainingSession(custom(two_blobs(6), batch_size=10, learning_rate=0.5))
    assert session.architecture.batch_size == 3
    params = [tf.constant(p) for p in session.parameters()]
    session.train(1)
    # one full-batch gradient step by hand (SGD), the reference
    split = session.split
    with tf.GradientTape() as tape:
        tape.watch(params)
        z = tf.constant(split.train_points)
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            z = tf.tanh(z @ w + b)
        z = z @ params[-2] + params[-1]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.constant(split.train_labels, tf.float32)[:, None], logits=z))
    grads = tape.gradient(loss, params)
    for p, g, after in zip(params, grads, session.parameters()):
        np.testing.assert_allclose(after, (p - 0.5 * g).numpy(), rtol=1e-5, atol=1e-6)
