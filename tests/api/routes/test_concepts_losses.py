import numpy as np
import pytest

from app.engine.losses import LOSSES
from tests.api.routes.concept_requests import openapi_examples

URL = "/api/concepts/losses"


def test_losses_return_per_sample_values_and_mean(client):
    t, p = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.3])
    r = client.post(URL, json={"losses": ["mse", "binary_crossentropy"], "y_true": t.tolist(), "y_pred": p.tolist()})
    assert r.status_code == 200
    mse, bce = r.json()["results"]
    assert (mse["function"], bce["function"]) == ("keras.losses.mean_squared_error", "keras.losses.binary_crossentropy")
    np.testing.assert_allclose(mse["per_sample"], (t - p) ** 2, rtol=1e-5)
    assert mse["loss"] == pytest.approx(np.mean((t - p) ** 2), rel=1e-5)
    np.testing.assert_allclose(bce["per_sample"], -np.log([0.9, 0.8, 0.3]), rtol=1e-5)
    assert r.json()["curve"] is None


def test_losses_curve_mode_traces_each_loss(client):
    body = client.post(URL, json={"losses": ["mae", "hinge"], "y_true": [1.0], "y_pred": [0.5],
                                  "curve": {"target": 1.0, "start": -1.0, "stop": 1.0, "num": 5}}).json()
    p = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert body["curve"]["y_pred"] == p.tolist()
    mae, hinge = body["curve"]["series"]
    np.testing.assert_allclose(mae["values"], np.abs(1 - p))
    np.testing.assert_allclose(hinge["values"], np.maximum(0, 1 - p))


def test_from_logits_is_applied_to_cross_entropy(client):
    body = client.post(URL, json={"losses": ["binary_crossentropy"], "y_true": [1.0], "y_pred": [0.0],
                                  "from_logits": True}).json()
    assert body["results"][0]["from_logits"] is True
    assert body["results"][0]["loss"] == pytest.approx(np.log(2), rel=1e-6)


def test_kl_divergence_with_from_logits_gets_the_softmax_on_the_batch_and_the_curve(client):
    body = client.post(URL, json={"losses": ["kl_divergence"], "y_true": [[1.0, 0.0]], "y_pred": [[0.9, 0.1]],
                                  "from_logits": True,
                                  "curve": {"target": 1.0, "start": -4.0, "stop": 4.0, "num": 9}})
    assert body.status_code == 200, body.json()
    (kl,) = body.json()["results"]
    softmax = np.exp([0.9, 0.1]) / np.exp([0.9, 0.1]).sum()
    assert kl["squash"] == "softmax"
    assert kl["loss"] == pytest.approx(-np.log(softmax[0]), rel=1e-5)
    (series,) = body.json()["curve"]["series"]
    np.testing.assert_allclose(series["values"], np.log1p(np.exp(-np.linspace(-4, 4, 9))), rtol=1e-4)


def test_unknown_loss_lists_the_expected_names(client):
    r = client.post(URL, json={"losses": ["msee"], "y_true": [1.0], "y_pred": [1.0]})
    assert r.status_code == 422
    message = r.json()["detail"][0]["msg"]
    assert "Unknown loss 'msee'" in message and ", ".join(LOSSES.names()) in message


@pytest.mark.parametrize("payload", [
    {"losses": ["mse"], "y_true": [1.0], "y_pred": ["nan"]},
    {"losses": ["mse"], "y_true": [1.0] * 1001, "y_pred": [1.0] * 1001},
    {"losses": ["mse"], "y_true": [[1.0] * 65], "y_pred": [[1.0] * 65]},
    {"losses": [], "y_true": [1.0], "y_pred": [1.0]},
    {"losses": ["mse"], "y_true": [1.0], "y_pred": [1.0], "reduction": "sum"},
    {"losses": ["mse"], "y_true": [1.0], "y_pred": [1.0], "curve": {"target": 1, "start": 1, "stop": 0}},
    {"losses": ["mse"], "y_true": [1.0], "y_pred": [1.0], "curve": {"target": 1, "num": 5000}},
])
def test_losses_reject_bad_input_with_422(client, payload):
    assert client.post(URL, json=payload).status_code == 422


@pytest.mark.parametrize("payload, message", [
    ({"losses": ["mse"], "y_true": [1.0, 0.0], "y_pred": [1.0]}, "same shape"),
    ({"losses": ["binary_crossentropy"], "y_true": [1.0], "y_pred": [3.0]}, "from_logits"),
])
def test_losses_engine_errors_say_why(client, payload, message):
    r = client.post(URL, json=payload)
    assert r.status_code == 422
    assert message in r.json()["detail"]


def test_losses_openapi_example_works_as_is(client):
    r = client.post(URL, json=openapi_examples(client, URL)[0])
    assert r.status_code == 200
    assert len(r.json()["curve"]["series"]) == len(r.json()["results"])
