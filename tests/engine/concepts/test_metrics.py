import numpy as np
import pytest

from app.engine.concepts import metrics
from app.engine.concepts.metrics import classification, regression

Y_TRUE = [0, 0, 1, 1, 1, 0, 1, 0, 1, 0]
Y_PRED = [0.1, 0.4, 0.35, 0.8, 0.65, 0.55, 0.9, 0.2, 0.5, 0.5]


def numpy_confusion(y_true, y_pred, threshold):
    t = np.asarray(y_true) == 1
    p = np.asarray(y_pred) > threshold  # Keras: strictly greater than the threshold is positive
    return int((~t & ~p).sum()), int((~t & p).sum()), int((t & ~p).sum()), int((t & p).sum())


def numpy_auc(y_true, y_pred):
    """Probability that a random positive scores above a random negative (ties count half)."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    pos, neg = p[t == 1], p[t == 0]
    return np.mean([(a > b) + 0.5 * (a == b) for a in pos for b in neg])


@pytest.mark.parametrize("threshold", [0.01, 0.3, 0.5, 0.6, 0.95, 1.0])
def test_counts_and_rates_match_numpy(threshold):
    m = classification(Y_TRUE, Y_PRED, threshold=threshold)
    tn, fp, fn, tp = numpy_confusion(Y_TRUE, Y_PRED, threshold)
    assert m.confusion_matrix == [[tn, fp], [fn, tp]]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert m.accuracy == pytest.approx((tp + tn) / len(Y_TRUE))
    assert m.precision == pytest.approx(precision)
    assert m.recall == pytest.approx(recall)
    assert m.f1 == pytest.approx(f1, abs=1e-6)
    assert m.false_positive_rate == pytest.approx(fp / (fp + tn))


def test_hand_worked_example():
    # Threshold 0.5: predicted positive are 0.8, 0.65, 0.55, 0.9 (0.5 itself is not above 0.5).
    # True positives 0.8, 0.65, 0.9 -> TP 3; 0.55 is a negative -> FP 1; positives 0.35 and 0.5 missed -> FN 2;
    # TN = 5 negatives - 1 = 4. Precision 3/4, recall 3/5, F1 = 2 * 0.75 * 0.6 / 1.35 = 2/3, accuracy 7/10.
    m = classification(Y_TRUE, Y_PRED, threshold=0.5)
    assert m.confusion_matrix == [[4, 1], [2, 3]]
    assert m.precision == pytest.approx(0.75)
    assert m.recall == pytest.approx(0.6)
    assert m.f1 == pytest.approx(2 / 3, abs=1e-6)
    assert m.accuracy == pytest.approx(0.7)


def test_auc_is_exact_and_roc_runs_from_one_one_to_zero_zero():
    m = classification(Y_TRUE, Y_PRED)
    assert m.auc == pytest.approx(numpy_auc(Y_TRUE, Y_PRED), abs=1e-6)
    roc = m.roc
    assert (roc.false_positive_rates[0], roc.true_positive_rates[0]) == (1.0, 1.0)
    assert (roc.false_positive_rates[-1], roc.true_positive_rates[-1]) == (0.0, 0.0)
    assert np.all(np.diff(roc.thresholds) > 0)
    area = -np.trapezoid(roc.true_positive_rates, roc.false_positive_rates)
    assert area == pytest.approx(m.auc, abs=1e-6)


@pytest.mark.parametrize("threshold", [0.05, 0.45, 0.52, 0.7, 0.99])
def test_point_at_any_threshold_lies_on_the_roc_curve(threshold):
    m = classification(Y_TRUE, Y_PRED, threshold=threshold)
    points = np.stack([m.roc.false_positive_rates, m.roc.true_positive_rates], axis=1)
    distance = np.abs(points - [m.false_positive_rate, m.true_positive_rate]).sum(axis=1)
    assert distance.min() < 1e-6


def test_perfect_ranking_has_auc_one_and_hard_labels_work():
    assert classification([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9]).auc == pytest.approx(1.0)
    m = classification([0, 1, 1, 0], [0, 1, 0, 0])
    assert m.confusion_matrix == [[2, 0], [1, 1]]
    assert m.auc == pytest.approx(numpy_auc([0, 1, 1, 0], [0, 1, 0, 0]))


def test_regression_metrics_match_numpy():
    t = np.array([3.0, -0.5, 2.0, 7.0])
    p = np.array([2.5, 0.0, 2.0, 8.0])
    m = regression(t.tolist(), p.tolist())
    assert m.mean_absolute_error == pytest.approx(np.mean(np.abs(t - p)))
    assert m.mean_squared_error == pytest.approx(np.mean((t - p) ** 2))
    assert m.root_mean_squared_error == pytest.approx(np.sqrt(np.mean((t - p) ** 2)), rel=1e-6)
    r2 = 1 - np.sum((t - p) ** 2) / np.sum((t - t.mean()) ** 2)
    assert m.r2 == pytest.approx(r2, rel=1e-6)  # 0.9486 in scikit-learn's documented example


@pytest.mark.parametrize("call, message", [
    (lambda: classification([0, 1], [0.5]), "same length"),
    (lambda: classification([0, 2], [0.5, 0.5]), "labels 0 or 1"),
    (lambda: classification([0, 1], [0.5, 1.5]), r"in \[0, 1\]"),
    (lambda: classification([0, 1], [0.5, 0.5], threshold=0), r"threshold must be in \(0, 1\]"),
    (lambda: regression([1.0], [1.0, 2.0]), "same length"),
])
def test_bad_input_says_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_lab_entry_picks_classification_or_regression_by_problem():
    y_true, y_pred = [0, 1, 1, 0], [0.2, 0.7, 0.4, 0.9]
    binary = metrics.evaluate(problem="binary", y_true=y_true, y_pred=y_pred, threshold=0.5)
    assert binary.accuracy == pytest.approx(np.mean((np.array(y_pred) > 0.5) == np.array(y_true)))
    fitted = metrics.evaluate(problem="regression", y_true=[3.0, -0.5, 2.0], y_pred=[2.5, 0.0, 2.0])
    assert fitted.mean_absolute_error == pytest.approx(np.mean(np.abs([0.5, -0.5, 0.0])))
    with pytest.raises(ValueError, match="Unknown problem 'ranking'. Expected one of: binary, regression"):
        metrics.evaluate(problem="ranking", y_true=y_true, y_pred=y_pred)
