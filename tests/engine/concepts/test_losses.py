import keras
import numpy as np
import pytest

from app.engine.concepts.losses import compare, curves, evaluate
from app.engine.losses import LOSSES

EPS = 1e-7  # Keras clips probabilities to [eps, 1 - eps] before taking logs


def bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p), axis=-1)


def huber(t, p, delta=1.0):
    e = np.abs(t - p)
    return np.mean(np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2), axis=-1)


def hinge(t, p):
    t = 2 * t - 1  # 0/1 labels become -1/1
    return np.mean(np.maximum(0, 1 - t * p), axis=-1)


NUMPY = {
    "mse": lambda t, p: np.mean((t - p) ** 2, axis=-1),
    "mae": lambda t, p: np.mean(np.abs(t - p), axis=-1),
    "huber": huber,
    "binary_crossentropy": bce,
    "hinge": hinge,
    "squared_hinge": lambda t, p: np.mean(np.maximum(0, 1 - (2 * t - 1) * p) ** 2, axis=-1),
    "categorical_crossentropy": lambda t, p: -np.sum(t * np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1)), -1),
    "kl_divergence": lambda t, p: np.sum(np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1)), -1),
}

Y_TRUE = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
Y_PRED = np.array([[0.5, 0.4, 0.1], [0.2, 0.7, 0.1], [0.25, 0.25, 0.5]])


def test_every_registered_loss_has_a_numpy_reference():
    assert set(NUMPY) == set(LOSSES.names())


@pytest.mark.parametrize("name", LOSSES.names())
def test_per_sample_values_and_mean_match_numpy(name):
    (result,) = evaluate([name], Y_TRUE.tolist(), Y_PRED.tolist())
    expected = NUMPY[name](Y_TRUE, Y_PRED)
    np.testing.assert_allclose(result.per_sample, expected, rtol=1e-5, atol=1e-6)
    assert result.loss == pytest.approx(expected.mean(), rel=1e-5)
    assert result.per_sample.shape == (3,)


@pytest.mark.parametrize("name, cls", [("mse", keras.losses.MeanSquaredError), ("huber", keras.losses.Huber),
                                       ("binary_crossentropy", keras.losses.BinaryCrossentropy),
                                       ("categorical_crossentropy", keras.losses.CategoricalCrossentropy)])
def test_mean_equals_the_keras_loss_class(name, cls):
    (result,) = evaluate([name], Y_TRUE.tolist(), Y_PRED.tolist())
    assert result.loss == pytest.approx(float(cls()(Y_TRUE, Y_PRED)), rel=1e-6)


def test_one_dimensional_input_is_a_batch_of_single_outputs():
    t, p = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.3])
    mse, cross_entropy = evaluate(["mse", "binary_crossentropy"], t.tolist(), p.tolist())
    np.testing.assert_allclose(mse.per_sample, (t - p) ** 2, rtol=1e-5)
    np.testing.assert_allclose(cross_entropy.per_sample, -np.log([0.9, 0.8, 0.3]), rtol=1e-5)


def test_worked_example_categorical_cross_entropy():
    # -ln(0.5) = 0.693 and -ln(0.8) = 0.223: natural logarithms, as TensorFlow uses.
    (result,) = evaluate(["categorical_crossentropy"], [[1, 0, 0], [1, 0, 0]], [[0.5, 0.4, 0.1], [0.8, 0.1, 0.1]])
    np.testing.assert_allclose(result.per_sample, [0.693, 0.223], atol=1e-3)


def test_from_logits_goes_to_the_cross_entropies_only():
    logits = np.array([[2.0, -1.0, 0.5]])
    truth = np.array([[0.0, 1.0, 0.0]])
    cce, mse = evaluate(["categorical_crossentropy", "mse"], truth.tolist(), logits.tolist(), from_logits=True)
    softmax = np.exp(logits) / np.exp(logits).sum()
    assert cce.from_logits and not mse.from_logits
    np.testing.assert_allclose(cce.per_sample, -np.log(softmax[0, 1]), rtol=1e-5)
    np.testing.assert_allclose(mse.per_sample, NUMPY["mse"](truth, logits), rtol=1e-6)


def test_curves_follow_each_loss_as_the_prediction_varies():
    c = curves(["mse", "mae", "binary_crossentropy", "categorical_crossentropy", "kl_divergence"],
               target=1.0, start=0.1, stop=0.9, num=9)
    p = np.linspace(0.1, 0.9, 9)
    np.testing.assert_allclose(c.y_pred, p, rtol=1e-6)
    by_name = {s.name: s for s in c.series}
    np.testing.assert_allclose(by_name["mse"].values, (1 - p) ** 2, rtol=1e-5)
    np.testing.assert_allclose(by_name["mae"].values, 1 - p, rtol=1e-5)
    np.testing.assert_allclose(by_name["binary_crossentropy"].values, -np.log(p), rtol=1e-5)
    # On the two-class distributions [0, 1] and [1 - p, p], categorical cross entropy and KL are -ln p too.
    assert by_name["categorical_crossentropy"].columns == 2
    np.testing.assert_allclose(by_name["categorical_crossentropy"].values, -np.log(p), rtol=1e-5)
    np.testing.assert_allclose(by_name["kl_divergence"].values, -np.log(p), rtol=1e-4)


def test_curves_from_logits_use_the_sigmoid_of_the_logit():
    c = curves(["binary_crossentropy", "categorical_crossentropy"], target=1.0, start=-3.0, stop=3.0, num=7,
               from_logits=True)
    z = np.linspace(-3, 3, 7)
    for s in c.series:
        assert s.from_logits
        np.testing.assert_allclose(s.values, np.log1p(np.exp(-z)), rtol=1e-5)


def test_from_logits_gives_kl_divergence_the_softmax_of_the_logits():
    logits = np.array([[2.0, -1.0, 0.5], [0.9, 0.1, 0.0]])
    truth = np.array([[0.0, 1.0, 0.0], [0.2, 0.5, 0.3]])
    (kl,) = evaluate(["kl_divergence"], truth.tolist(), logits.tolist(), from_logits=True)
    softmax = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert kl.squash == "softmax" and not kl.from_logits
    np.testing.assert_allclose(kl.per_sample, NUMPY["kl_divergence"](truth, softmax), rtol=1e-5)
    reference = keras.losses.kl_divergence(truth.astype("float32"), keras.ops.softmax(logits.astype("float32")))
    np.testing.assert_allclose(kl.per_sample, np.asarray(reference), rtol=1e-5)


def test_curves_from_logits_give_kl_divergence_the_softmax_of_zero_and_the_logit():
    # KL([0, 1] || softmax([0, z])) = -ln sigmoid(z): the same curve as the cross entropies from logits.
    c = curves(["kl_divergence", "categorical_crossentropy"], target=1.0, start=-4.0, stop=4.0, num=9,
               from_logits=True)
    z = np.linspace(-4, 4, 9)
    kl, cce = c.series
    assert kl.squash == "softmax" and cce.squash is None and cce.from_logits
    np.testing.assert_allclose(kl.values, np.log1p(np.exp(-z)), rtol=1e-4)
    np.testing.assert_allclose(kl.values, cce.values, rtol=1e-4)


@pytest.mark.parametrize("call, message", [
    (lambda: evaluate(["mse"], [1.0, 2.0], [1.0]), "same shape"),
    (lambda: evaluate(["msex"], [1.0], [1.0]), "Unknown loss 'msex'. Expected one of: mse"),
    (lambda: evaluate(["binary_crossentropy"], [1.0], [2.5]), "from_logits"),
    (lambda: evaluate(["categorical_crossentropy"], [1.0], [0.5]), "num_classes >= 2"),
    (lambda: evaluate([], [1.0], [0.5]), "at least one loss"),
    (lambda: curves(["mse"], target=2.0, start=0.0, stop=1.0, num=3), "target must be in"),
    (lambda: curves(["mse"], target=1.0, start=1.0, stop=0.0, num=3), "start < stop"),
])
def test_bad_input_says_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_lab_entry_gives_the_batch_values_and_curves_only_when_asked():
    y_true, y_pred = [1.0, 0.0, 1.0], [0.9, 0.2, 0.3]
    plain = compare(losses=["mse"], y_true=y_true, y_pred=y_pred)
    assert plain.curves is None
    assert plain.results[0].loss == pytest.approx(float(keras.losses.MeanSquaredError()(np.array(y_true)[:, None],
                                                                                       np.array(y_pred)[:, None])))
    traced = compare(losses=["mse"], y_true=y_true, y_pred=y_pred,
                     curve={"target": 1.0, "start": 0.0, "stop": 1.0, "num": 5})
    np.testing.assert_allclose(traced.curves.series[0].values, (1 - np.linspace(0, 1, 5)) ** 2, rtol=1e-6)
