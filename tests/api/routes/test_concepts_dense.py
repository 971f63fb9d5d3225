import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from tests.api.routes.concept_requests import openapi_examples

URL = "/api/concepts/dense"


def test_dense_returns_every_step_and_the_shapes(client):
    x = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]])
    w = np.array([[0.2, -0.4, 1.0], [0.3, 0.1, -0.5]])
    b = np.array([0.5, 0.0, -1.0])
    r = client.post(URL, json={"x": x.tolist(), "units": 3, "activation": "tanh", "kernel": w.tolist(),
                               "bias": b.tolist()})
    assert r.status_code == 200
    body = r.json()
    np.testing.assert_allclose(body["matmul"], x @ w, rtol=1e-6)
    np.testing.assert_allclose(body["pre_activation"], x @ w + b, rtol=1e-6)
    np.testing.assert_allclose(body["output"], np.tanh(x @ w + b), rtol=1e-5)
    assert body["input_shape"] == [3, 2] and body["kernel_shape"] == [2, 3]
    assert body["bias_shape"] == [3] and body["output_shape"] == [3, 3]
    assert body["parameter_count"] == 2 * 3 + 3


def test_dense_without_bias_or_kernel_uses_seeded_weights(client):
    a = client.post(URL, json={"x": [[1.0, 2.0]], "units": 4, "use_bias": False, "seed": 3}).json()
    b = client.post(URL, json={"x": [[1.0, 2.0]], "units": 4, "use_bias": False, "seed": 3}).json()
    assert a["kernel"] == b["kernel"]
    assert a["bias"] is None and a["parameter_count"] == 8
    np.testing.assert_allclose(a["output"], np.array([[1.0, 2.0]]) @ np.array(a["kernel"]), rtol=1e-6)


def test_dense_overflow_is_reported_not_emitted_as_inf(client):
    body = client.post(URL, json={"x": [[3e38, 3e38]], "units": 1, "kernel": [[1.0], [1.0]]}).json()
    assert body["overflow"] is True and body["output"] == [[None]]


def test_unknown_activation_lists_the_expected_names(client):
    r = client.post(URL, json={"x": [[1.0]], "units": 1, "activation": "relux"})
    assert r.status_code == 422
    assert ", ".join(ACTIVATIONS.names()) in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("payload", [
    {"x": [[1.0, "nan"]], "units": 1},
    {"x": [[1.0]], "units": 65},
    {"x": [[1.0]], "units": 0},
    {"x": [[1.0]] * 65, "units": 1},
    {"x": [[1.0] * 65], "units": 1},
    {"x": [[1.0]], "units": 1, "weights": [[1.0]]},
])
def test_dense_rejects_bad_input_with_422(client, payload):
    assert client.post(URL, json=payload).status_code == 422


@pytest.mark.parametrize("payload, message", [
    ({"x": [[1.0, 2.0]], "units": 2, "kernel": [[1.0, 2.0]]}, "kernel must have shape [2, 2]"),
    ({"x": [[1.0]], "units": 2, "bias": [1.0]}, "bias must have 2 values"),
    ({"x": [[1.0, 2.0], [1.0]], "units": 1}, "rectangular"),
])
def test_dense_engine_errors_say_why(client, payload, message):
    r = client.post(URL, json=payload)
    assert r.status_code == 422
    assert message in r.json()["detail"]


def test_dense_openapi_example_works_as_is(client):
    r = client.post(URL, json=openapi_examples(client, URL)[0])
    assert r.status_code == 200
    assert r.json()["output"] == [[0.0, pytest.approx(1.8)]]
