import numpy as np
import pytest
import tensorflow as tf

from tests.api.routes.concept_requests import openapi_examples

URL = "/api/concepts/softmax"


def test_softmax_returns_tf_nn_softmax(client):
    r = client.post(URL, json={"logits": [[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], "axis": 0, "temperature": 2.0})
    assert r.status_code == 200
    body = r.json()
    expected = tf.nn.softmax(tf.constant([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]]) / 2.0, axis=0).numpy()
    np.testing.assert_allclose(body["probabilities"], expected, rtol=1e-6)
    assert body["shape"] == [2, 3] and body["axis"] == 0 and body["overflow"] is False


def test_softmax_of_huge_logits_is_finite_and_reports_the_naive_overflow(client):
    body = client.post(URL, json={"logits": [1000, -1000]}).json()
    assert body["probabilities"] == [1.0, 0.0]
    assert body["naive_exponentials"][0] is None
    assert body["overflow"] is True


@pytest.mark.parametrize("payload", [
    {"logits": [1.0, "nan"]},
    {"logits": [1.0, "Infinity"]},
    {"logits": [1.0, 2.0], "temperature": 0},
    {"logits": list(range(65))},
    {"logits": [[1.0]] * 65},
    {"logits": [1.0], "temprature": 2.0},
    {"logits": []},
])
def test_softmax_rejects_bad_input_with_422(client, payload):
    assert client.post(URL, json=payload).status_code == 422


def test_softmax_rejects_1e999_written_in_the_body(client):
    r = client.post(URL, content=b'{"logits": [1e999, 0]}', headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_softmax_axis_out_of_range_says_why(client):
    r = client.post(URL, json={"logits": [1.0, 2.0], "axis": 1})
    assert r.status_code == 422
    assert "axis must be between -1 and 0" in r.json()["detail"]


def test_softmax_ragged_rows_are_rejected(client):
    r = client.post(URL, json={"logits": [[1.0, 2.0], [3.0]]})
    assert r.status_code == 422
    assert "rectangular" in r.json()["detail"]


def test_softmax_openapi_example_works_as_is(client):
    r = client.post(URL, json=openapi_examples(client, URL)[0])
    assert r.status_code == 200
    assert sum(r.json()["probabilities"]) == pytest.approx(1.0)
