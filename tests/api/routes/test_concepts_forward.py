import keras
import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.schemas.concepts.forward import MAX_PARAMETERS
from tests.api.routes.concept_requests import openapi_examples, post_json

URL = "/api/concepts/forward"


def test_small_network_lists_every_value(client):
    r = client.post(URL, json={"x": [1.0, -2.0], "units": [3, 2], "activation": ["relu", "linear"], "seed": 4})
    assert r.status_code == 200
    body = r.json()
    h = np.array([[1.0, -2.0]])
    for layer, f in zip(body["layers"], [lambda z: np.maximum(z, 0), lambda z: z]):
        h = f(h @ np.array(layer["kernel"]["values"]) + np.array(layer["bias"]["values"]))
        np.testing.assert_allclose(layer["output"]["values"], h, rtol=1e-5, atol=1e-6)
    assert body["softmax"] is None and body["output"] == body["layers"][-1]["output"]
    assert body["parameters"] == (2 * 3 + 3) + (3 * 2 + 2)


def test_784_256_128_64_10_is_summarised(client):
    r = client.post(URL, json={"input_size": 784, "units": [256, 128, 64, 10],
                               "activation": ["relu", "relu", "relu", "linear"], "softmax": True, "seed": 0})
    assert r.status_code == 200
    body = r.json()
    assert [layer["output"]["shape"] for layer in body["layers"]] == [[1, 256], [1, 128], [1, 64], [1, 10]]
    assert body["layers"][0]["output"]["values"] is None and len(body["layers"][0]["output"]["head"]) == 8
    assert body["input"]["shape"] == [1, 784] and body["input"]["values"] is None
    assert sum(body["output"]["values"][0]) == pytest.approx(1.0, rel=1e-6)
    model = keras.Sequential([keras.Input((784,))] + [keras.layers.Dense(u) for u in (256, 128, 64, 10)])
    assert body["parameters"] == model.count_params()


def test_unknown_activation_lists_the_expected_names(client):
    r = client.post(URL, json={"x": [1.0], "units": [2], "activation": ["relux"]})
    assert r.status_code == 422
    assert ", ".join(ACTIVATIONS.names()) in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("payload", [
    {"x": [1.0, "nan"], "units": [2], "activation": ["relu"]},
    {"x": [1.0, float("inf")], "units": [2], "activation": ["relu"]},
    {"x": [1.0], "units": [1025], "activation": ["relu"]},
    {"x": [1.0], "units": [2] * 9, "activation": ["relu"] * 9},
    {"x": [0.5] * 1025, "units": [2], "activation": ["relu"]},
    {"input_size": 1024, "units": [1024, 1024], "activation": ["relu", "relu"]},
    {"x": [1.0], "units": [2], "activation": ["relu"], "layers": 2},
])
def test_bad_input_is_rejected_with_422(client, payload):
    assert post_json(client, URL, payload).status_code == 422


def test_parameter_cap_says_how_many(client):
    r = client.post(URL, json={"input_size": 1024, "units": [1024, 1024], "activation": ["relu", "relu"]})
    assert f"at most {MAX_PARAMETERS} parameters; received {2 * (1024 * 1024 + 1024)}" in r.json()["detail"][0]["msg"]


def test_engine_errors_say_why(client):
    r = client.post(URL, json={"x": [1.0], "units": [2, 2], "activation": ["relu"]})
    assert r.status_code == 422
    assert "one function per layer (2); received 1" in r.json()["detail"]


def test_openapi_examples_work_as_is(client):
    for example in openapi_examples(client, URL):
        assert client.post(URL, json=example).status_code == 200
