import numpy as np
import pytest

from tests.api.routes.concept_requests import openapi_examples

URL = "/api/concepts/metrics"


def test_binary_metrics_match_a_hand_count(client):
    y_true = [1, 1, 1, 0, 0, 0]
    y_pred = [0.9, 0.6, 0.3, 0.7, 0.2, 0.1]
    r = client.post(URL, json={"y_true": y_true, "y_pred": y_pred, "threshold": 0.5})
    assert r.status_code == 200
    m = r.json()["classification"]
    # above 0.5: 0.9 (1), 0.6 (1), 0.7 (0) -> TP 2, FP 1, FN 1, TN 2
    assert m["confusion_matrix"] == [[2, 1], [1, 2]]
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(4 / 6)
    # positives beat negatives in 7 of 9 pairs (0.6 and 0.3 lose to 0.7)
    assert m["auc"] == pytest.approx(7 / 9, abs=1e-6)
    assert (m["false_positive_rate"], m["true_positive_rate"]) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert r.json()["regression"] is None


def test_regression_metrics_match_numpy(client):
    t, p = np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])
    body = client.post(URL, json={"problem": "regression", "y_true": t.tolist(), "y_pred": p.tolist()}).json()
    m = body["regression"]
    assert m["mean_absolute_error"] == pytest.approx(np.mean(np.abs(t - p)))
    assert m["root_mean_squared_error"] == pytest.approx(np.sqrt(np.mean((t - p) ** 2)), rel=1e-6)
    assert m["r2"] == pytest.approx(1 - np.sum((t - p) ** 2) / np.sum((t - t.mean()) ** 2), rel=1e-6)
    assert body["classification"] is None and body["overflow"] is False


def test_regression_overflow_is_reported_not_emitted_as_nan(client):
    body = client.post(URL, json={"problem": "regression", "y_true": [3e38, -3e38], "y_pred": [-3e38, 3e38]}).json()
    assert body["overflow"] is True
    assert body["regression"]["mean_squared_error"] is None


@pytest.mark.parametrize("payload", [
    {"y_true": [0, 1], "y_pred": [0.5, "nan"]},
    {"y_true": [0, 1], "y_pred": [0.5, 0.5], "threshold": 0},
    {"y_true": [0] * 1001, "y_pred": [0.5] * 1001},
    {"y_true": [0, 1], "y_pred": [0.5, 0.5], "problem": "multiclass"},
    {"y_true": [0, 1], "y_pred": [0.5, 0.5], "treshold": 0.4},
])
def test_metrics_reject_bad_input_with_422(client, payload):
    assert client.post(URL, json=payload).status_code == 422


@pytest.mark.parametrize("payload, message", [
    ({"y_true": [0, 1], "y_pred": [0.5]}, "same length"),
    ({"y_true": [0, 3], "y_pred": [0.5, 0.5]}, "labels 0 or 1"),
    ({"y_true": [0, 1], "y_pred": [0.5, 4.0]}, "in [0, 1]"),
])
def test_metrics_engine_errors_say_why(client, payload, message):
    r = client.post(URL, json=payload)
    assert r.status_code == 422
    assert message in r.json()["detail"]


def test_metrics_openapi_example_works_as_is(client):
    r = client.post(URL, json=openapi_examples(client, URL)[0])
    assert r.status_code == 200
    assert r.json()["classification"]["roc"]["true_positive_rates"][0] == 1.0
