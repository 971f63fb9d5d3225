import pytest

from app.engine.schedules import SCHEDULES
from tests.api.routes.concept_requests import openapi_examples, post_json

URL = "/api/concepts/learning-rate"


def test_rate_1_bounces_while_exponential_decay_converges(client):
    r = client.post(URL, json={"schedule": {"name": "exponential_decay", "params": {"decay_steps": 5, "decay_rate": 0.5}},
                               "learning_rate": 1.0, "steps": 100, "x": 5.0})
    assert r.status_code == 200
    body = r.json()
    assert body["learning_rates"][:6] == pytest.approx([0.5 ** (t / 5) for t in range(6)], rel=1e-6)
    assert body["constant"]["verdict"] == "bouncing"
    assert {abs(p["x"][0]) for p in body["constant"]["trajectory"]} == {5.0}
    assert body["scheduled"]["verdict"] == "converging"


def test_piecewise_constant_uses_its_own_values(client):
    body = client.post(URL, json={"schedule": {"name": "piecewise_constant",
                                               "params": {"boundaries": [2, 4], "values": [0.3, 0.2, 0.1]}},
                                  "steps": 6}).json()
    assert body["learning_rates"] == pytest.approx([0.3, 0.3, 0.3, 0.2, 0.2, 0.1])
    assert body["uses_learning_rate"] is False


def test_unknown_schedule_lists_the_expected_names(client):
    r = client.post(URL, json={"schedule": {"name": "linear"}})
    assert r.status_code == 422 and ", ".join(SCHEDULES.names()) in r.json()["detail"][0]["msg"]


def test_unknown_parameter_lists_the_expected_ones(client):
    r = client.post(URL, json={"schedule": {"name": "cosine_decay", "params": {"decay_rate": 0.5}}})
    assert r.status_code == 422 and "Expected: decay_steps, alpha" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("change", [
    {"learning_rate": "nan"},
    {"x": float("inf")},
    {"steps": 1001},
    {"schedule": {"name": "exponential_decay", "params": {"decay_rate": float("nan")}}},
    {"schedule": {"name": "exponential_decay", "params": {"decay_steps": 0}}},
    {"schedule": {"name": "exponential_decay", "params": {"staircase": "maybe"}}},
    {"rate": 0.1},
])
def test_bad_input_is_rejected_with_422(client, change):
    assert post_json(client, URL, {"schedule": {"name": "exponential_decay"}, **change}).status_code == 422


def test_openapi_example_works_as_is(client):
    for example in openapi_examples(client, URL):
        assert client.post(URL, json=example).status_code == 200
