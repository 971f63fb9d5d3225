import numpy as np
import pytest

from app.engine.losses import LOSSES
from tests.api.routes.concept_requests import openapi_examples, post_json

URL = "/api/concepts/backprop"
BODY = {
    "x": [0.05, 0.1],
    "layers": [{"kernel": [[0.15, 0.25], [0.2, 0.3]], "bias": [0.35, 0.35], "activation": "sigmoid"},
               {"kernel": [[0.4, 0.5], [0.45, 0.55]], "bias": [0.6, 0.6], "activation": "sigmoid"}],
    "y_true": [0.01, 0.99], "loss": "mse", "learning_rate": 0.5,
}


def test_worked_example_gradients_agree_and_weights_update(client):
    r = client.post(URL, json=BODY)
    assert r.status_code == 200
    body = r.json()
    assert body["loss"] == pytest.approx(0.298371109, abs=1e-9)  # Mazur's step-by-step example
    out = body["layers"][1]
    assert out["gradients"]["kernel"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert out["updated"]["kernel"][0][0] == pytest.approx(0.35891648, abs=1e-8)
    assert body["gradients_agree"] is True and body["max_abs_difference"] < 1e-8
    np.testing.assert_allclose(out["dloss_dz"], np.array(out["dloss_da"]) * np.array(out["da_dz"]), rtol=1e-12)
    assert body["loss_after_update"] < body["loss"]


def test_unknown_loss_lists_the_expected_names(client):
    r = client.post(URL, json={**BODY, "loss": "msee"})
    assert r.status_code == 422
    assert ", ".join(LOSSES.names()) in r.json()["detail"][0]["msg"]


def test_unknown_activation_is_422(client):
    layers = [dict(BODY["layers"][0], activation="sigmoidd"), BODY["layers"][1]]
    r = client.post(URL, json={**BODY, "layers": layers})
    assert r.status_code == 422 and "Unknown activation 'sigmoidd'" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("change", [
    {"x": [0.05, "nan"]},
    {"learning_rate": float("inf")},
    {"learning_rate": 0},
    {"x": [0.1] * 9},
    {"layers": [BODY["layers"][0]] * 5},
    {"finite_difference_step": 1.0},
    {"momentum": 0.9},
])
def test_bad_input_is_rejected_with_422(client, change):
    assert post_json(client, URL, {**BODY, **change}).status_code == 422


def test_mismatched_kernel_says_what_was_expected(client):
    r = client.post(URL, json={**BODY, "layers": [BODY["layers"][0], {"kernel": [[1.0]], "bias": [0.0],
                                                                      "activation": "linear"}]})
    assert r.status_code == 422
    assert "layers[1].kernel must have 2 rows" in r.json()["detail"]


def test_openapi_example_works_as_is(client):
    for example in openapi_examples(client, URL):
        assert client.post(URL, json=example).status_code == 200
