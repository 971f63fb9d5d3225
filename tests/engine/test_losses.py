import keras
import numpy as np
import pytest
import tensorflow as tf

from app.engine.losses import LOSSES, check_fits, training_loss
from app.engine.problems import Problem

rng = np.random.default_rng(0)
LOGITS_1 = rng.normal(size=(6, 1)).astype(np.float32)
LABELS_1 = rng.integers(0, 2, size=(6, 1)).astype(np.float32)
LOGITS_K = rng.normal(size=(6, 3)).astype(np.float32)
ONE_HOT = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=6)]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_binary_cross_entropy_is_minus_log_likelihood_of_the_label():
    ours = training_loss("binary_crossentropy", Problem.BINARY)(LABELS_1, LOGITS_1).numpy()
    p = sigmoid(LOGITS_1[:, 0])
    y = LABELS_1[:, 0]
    np.testing.assert_allclose(ours, -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-5)


def test_categorical_cross_entropy_over_two_classes_equals_binary_cross_entropy():
    cce = training_loss("categorical_crossentropy", Problem.BINARY)(LABELS_1, LOGITS_1).numpy()
    bce = training_loss("binary_crossentropy", Problem.BINARY)(LABELS_1, LOGITS_1).numpy()
    np.testing.assert_allclose(cce, bce, rtol=1e-4)


def test_multiclass_cross_entropy_is_minus_log_softmax_of_the_true_class():
    ours = training_loss("categorical_crossentropy", Problem.MULTICLASS)(ONE_HOT, LOGITS_K).numpy()
    np.testing.assert_allclose(ours, -np.log((softmax(LOGITS_K) * ONE_HOT).sum(axis=1)), rtol=1e-5)


def test_squared_error_on_a_binary_problem_compares_probabilities():
    ours = training_loss("mse", Problem.BINARY)(LABELS_1, LOGITS_1).numpy()
    np.testing.assert_allclose(ours, (sigmoid(LOGITS_1[:, 0]) - LABELS_1[:, 0]) ** 2, rtol=1e-5)


def test_hinge_turns_zero_one_labels_into_signs():
    ours = training_loss("hinge", Problem.BINARY)(LABELS_1, LOGITS_1).numpy()
    sign = 2 * LABELS_1[:, 0] - 1
    np.testing.assert_allclose(ours, np.maximum(0, 1 - sign * LOGITS_1[:, 0]), rtol=1e-5)


def test_regression_losses_compare_raw_outputs():
    y = rng.normal(size=(6, 1)).astype(np.float32)
    for name, ref in [("mse", keras.losses.MeanSquaredError(reduction=None)),
                      ("mae", keras.losses.MeanAbsoluteError(reduction=None)),
                      ("huber", keras.losses.Huber(reduction=None))]:
        np.testing.assert_allclose(training_loss(name, Problem.REGRESSION)(y, LOGITS_1).numpy(),
                                   ref(y, LOGITS_1).numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", [e.name for e in LOSSES if Problem.REGRESSION not in e.value.problems])
def test_classification_losses_refuse_regression(name):
    with pytest.raises(ValueError, match="does not fit a regression problem. Expected one of: mse, mae, huber"):
        check_fits(name, Problem.REGRESSION)


@pytest.mark.parametrize("name, problem", [(e.name, p) for e in LOSSES for p in Problem if p in e.value.problems])
def test_every_fitting_loss_gives_one_finite_value_per_sample(name, problem):
    y, z = {Problem.BINARY: (LABELS_1, LOGITS_1), Problem.MULTICLASS: (ONE_HOT, LOGITS_K),
            Problem.REGRESSION: (LABELS_1, LOGITS_1)}[problem]
    values = training_loss(name, problem)(tf.constant(y), tf.constant(z)).numpy()
    assert values.shape == (6,) and np.isfinite(values).all()


def focal(t, p, gamma):
    """Keras's binary focal cross entropy (no class balancing) in NumPy: (1 - p_t)^gamma times cross entropy."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    p_t = t * p + (1 - t) * (1 - p)
    return np.mean((1 - p_t) ** gamma * -(t * np.log(p) + (1 - t) * np.log(1 - p)), axis=-1)


def test_a_registered_loss_trains_evaluates_exports_and_is_computed_by_the_lab(focal_loss, tmp_path):
    from app.engine import export
    from app.engine.concepts.losses import evaluate
    from app.engine.features import transform
    from app.engine.session import TrainingSession
    from app.engine.spec import TrainingSpec
    from tests.engine.exported import run_with_python

    session = TrainingSession(TrainingSpec(dataset="circle", num_samples=120, hidden_layers=(5,), loss=focal_loss,
                                           learning_rate=0.3))
    x_test = transform(session.split.test_points, session.spec.features)
    t_test = session.split.test_labels[:, None].astype(np.float64)

    def reference_test_loss():
        return focal(t_test, session.predict(x_test)[0].astype(np.float64), 3.0).mean()

    start = session.state()["test_loss"]
    assert start == pytest.approx(reference_test_loss(), rel=1e-5)
    printed = run_with_python(export.script(session, 2), tmp_path)
    assert [r.epoch for r in printed] == [0, 1, 2]
    assert printed[0].test_loss == pytest.approx(start, abs=1e-4)  # Keras's focal loss on the same start

    session.train(30)
    trained = session.state()["test_loss"]
    assert trained == pytest.approx(reference_test_loss(), rel=1e-5) and trained < start

    t, p = np.array([[1.0], [0.0], [1.0]]), np.array([[0.9], [0.3], [0.2]])
    (lab,) = evaluate([focal_loss], t.tolist(), p.tolist())
    np.testing.assert_allclose(lab.per_sample, focal(t, p, 3.0), rtol=1e-5)
    assert lab.function == "keras.losses.binary_focal_crossentropy"
    (from_logits,) = evaluate([focal_loss], t.tolist(), [[2.0], [-1.0], [0.5]], from_logits=True)
    assert from_logits.from_logits
    np.testing.assert_allclose(from_logits.per_sample, focal(t, 1 / (1 + np.exp(-np.array([[2.0], [-1.0], [0.5]]))),
                                                             3.0), rtol=1e-5)
