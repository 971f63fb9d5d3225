import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.api.routes.concept_requests import openapi_examples, post_json

URL = "/api/concepts/cross-entropy"


def test_worked_example_gives_0_693_and_0_223(client):
    r = client.post(URL, json={"y_true": [[1, 0, 0], [1, 0, 0]], "y_pred": [[0.5, 0.4, 0.1], [0.8, 0.1, 0.1]]})
    assert r.status_code == 200
    body = r.json()
    assert body["steps"]["per_sample"] == pytest.approx([math.log(2), -math.log(0.8)], rel=1e-6)
    assert body["log10"]["per_sample"] == pytest.approx([math.log10(2), -math.log10(0.8)], rel=1e-6)
    expected = keras.losses.categorical_crossentropy(tf.constant([[1.0, 0, 0], [1, 0, 0]]),
                                                     tf.constant([[0.5, 0.4, 0.1], [0.8, 0.1, 0.1]])).numpy()
    np.testing.assert_allclose(body["keras"]["per_sample"], expected, rtol=1e-6)
    assert body["keras_from_logits"] is None and body["overflow"] is False


def test_from_logits_compares_with_keras_from_logits(client):
    body = client.post(URL, json={"y_true": [[0, 1]], "y_pred": [[1.0, 3.0]], "from_logits": True}).json()
    expected = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1.0, 3.0]]).numpy()
    assert body["keras_from_logits"]["per_sample"] == pytest.approx(expected.tolist(), rel=1e-5)


def test_unclipped_log_of_zero_is_null_with_overflow_flag(client):
    r = client.post(URL, json={"y_true": [[0, 1]], "y_pred": [[1.0, 0.0]], "epsilon": 0})
    assert r.status_code == 200
    assert r.json()["overflow"] is True and r.json()["steps"]["loss"] is None


@pytest.mark.parametrize("payload", [
    {"y_true": [[1, 0]], "y_pred": [[0.5, "nan"]]},
    '{"y_true": [[1, 0]], "y_pred": [[0.5, 1e999]]}',
    {"y_true": [[1, 0]], "y_pred": [[0.5, float("nan")]]},
    {"y_true": [[1, 0]], "y_pred": [[0.5, 0.5]], "epsilon": "nan"},
    {"y_true": [[1, 0]], "y_pred": [[0.5, 0.5]], "epsilon": 0.5},
    {"y_true": [[1.0] * 101], "y_pred": [[0.01] * 101]},
    {"y_true": [[1.0]] * 101, "y_pred": [[1.0]] * 101},
    {"y_true": [[1, 0]], "y_pred": [[0.5, 0.5]], "labels": [0]},
    {"y_true": [[1, 0]]},
])
def test_bad_input_is_rejected_with_422(client, payload):
    assert post_json(client, URL, payload).status_code == 422


def test_mismatched_shapes_say_what_was_expected(client):
    r = client.post(URL, json={"y_true": [[1, 0]], "y_pred": [[0.5, 0.3, 0.2]]})
    assert r.status_code == 422
    assert "same shape; received [1, 2] and [1, 3]" in r.json()["detail"]


def test_openapi_example_works_as_is(client):
    for example in openapi_examples(client, URL):
        assert client.post(URL, json=example).status_code == 200


def test_a_single_class_is_refused_rather_than_computed(client):
    r = client.post("/api/concepts/cross-entropy", json={"y_true": [[1.0]], "y_pred": [[0.5]]})
    assert r.status_code == 422 and "at least 2 classes" in r.text
