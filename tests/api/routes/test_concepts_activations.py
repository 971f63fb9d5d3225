import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from tests.api.routes.concept_requests import openapi_examples

URL = "/api/concepts/activations"


def test_activations_return_values_and_derivatives(client):
    r = client.post(URL, json={"activations": ["sigmoid", "relu"], "start": -2, "stop": 2, "num": 5})
    assert r.status_code == 200
    body = r.json()
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    assert body["x"] == x.tolist()
    sigmoid, relu = body["curves"]
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sigmoid["values"], s, rtol=1e-6)
    np.testing.assert_allclose(sigmoid["derivatives"], s * (1 - s), rtol=1e-5)
    assert relu["values"] == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert relu["derivatives"] == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert relu["saturated"] == [[-2.0, 0.0]]
    assert body["maxout"] is None and body["overflow"] is False


def test_activations_with_maxout(client):
    body = client.post(URL, json={"x": [-2.0, 0.0, 3.0], "maxout": {"weights": [1, -1], "biases": [0, 0]}}).json()
    assert body["curves"] == []
    assert body["maxout"]["values"] == [2.0, 0.0, 3.0]
    assert body["maxout"]["derivatives"][0] == -1.0 and body["maxout"]["derivatives"][2] == 1.0
    assert body["maxout"]["active_piece"][0] == 1


def test_unknown_activation_lists_the_expected_names(client):
    r = client.post(URL, json={"activations": ["relux"]})
    assert r.status_code == 422
    message = r.json()["detail"][0]["msg"]
    assert "Unknown activation 'relux'" in message
    assert ", ".join(ACTIVATIONS.names()) in message


@pytest.mark.parametrize("payload", [
    {"activations": ["relu"], "start": "nan"},
    {"activations": ["relu"], "x": [0.0, "inf"]},
    {"activations": ["relu"], "num": 1001},
    {"activations": ["relu"], "x": [0.0] * 1001},
    {"activations": ["relu"], "start": 3, "stop": 1},
    {"activations": []},
    {"activations": ["relu", "relu"]},
    {"activations": ["relu"], "colour": "red"},
    {"maxout": {"weights": [1, 2, 3], "biases": [0, 0]}},
    {"maxout": {"weights": [1] * 9, "biases": [0] * 9}},
])
def test_activations_reject_bad_input_with_422(client, payload):
    assert client.post(URL, json=payload).status_code == 422


def test_decreasing_x_is_rejected_with_the_reason(client):
    r = client.post(URL, json={"activations": ["relu"], "x": [1.0, 0.0]})
    assert r.status_code == 422
    assert "strictly increasing" in r.json()["detail"]


def test_activations_openapi_example_works_as_is(client):
    r = client.post(URL, json=openapi_examples(client, URL)[0])
    assert r.status_code == 200
    assert r.json()["maxout"] is not None


def test_a_range_that_ends_before_it_starts_names_the_field_and_both_ends(client):
    r = client.post(URL, json={"activations": ["relu"], "start": 3, "stop": -1})
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "stop"] and error["type"] == "range_order"
    assert error["ctx"] == {"lower": "start", "upper": "stop", "start": 3.0, "stop": -1.0}
    assert "start must be less than stop" in error["msg"]


def test_a_bound_of_a_field_is_sent_with_its_error(client):
    r = client.post(URL, json={"activations": ["relu"], "num": 1})
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "num"] and error["ctx"] == {"ge": 2}
