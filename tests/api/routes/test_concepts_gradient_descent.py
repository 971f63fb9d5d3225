import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from app.engine.concepts import gradient_descent
from app.engine.concepts.gradient_descent import FUNCTIONS, Function
from app.engine.optimizers import OPTIMIZERS
from tests.api.routes.concept_requests import openapi_examples, post_json

URL = "/api/concepts/gradient-descent"
BATCH_URL = "/api/concepts/gradient-descent/batch"
PAGE_URL = "/concepts/gradient-descent"


class _SelectOptions(HTMLParser):
    """The options of each ``<select>`` of a page: ``{select id: [(value, label, selected), ...]}``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}
        self._select: str | None = None
        self._option: dict[str, str | None] | None = None
        self._label = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self._select = dict(attrs)["id"]
            self.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = dict(attrs)
            self._label = ""

    def handle_data(self, data):
        if self._option is not None:
            self._label += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.selects[self._select].append((self._option["value"], self._label, "selected" in self._option))
            self._option = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def cubic(monkeypatch):
    """J(x) = x³ registered as ``cubic`` for one test: the registry and the compiled descents are restored after."""
    monkeypatch.setattr(FUNCTIONS, "_entries", dict(FUNCTIONS._entries))
    monkeypatch.setattr(gradient_descent, "_descenders", {})
    FUNCTIONS.register("cubic", Function(lambda x: x[..., 0] ** 3, 1, "x[0] ** 3", ((-2.0, 2.0),), (1.0,)),
                       label="x³")
    return "cubic"


def test_page_offers_each_registered_function_in_the_select_of_its_dimension(client, cubic):
    selects = _SelectOptions(client.get(PAGE_URL).text).selects
    for select, dimensions, selected in (("gd-function", 1, "square"), ("gd-function-2d", 2, "elongated_bowl")):
        assert selects[select] == [(e.name, e.label, e.name == selected)
                                   for e in FUNCTIONS if e.value.dimensions == dimensions]
    assert ("cubic", "x³", False) in selects["gd-function"]


def test_the_start_inputs_hold_the_start_of_the_function_each_select_starts_on(client):
    page = client.get(PAGE_URL).text
    value = {name: float(v) for name, v in re.findall(r'id="(gd-x0|gd-start-x|gd-start-y)" value="([^"]+)"', page)}
    assert (value["gd-x0"],) == FUNCTIONS.get("square").start
    assert (value["gd-start-x"], value["gd-start-y"]) == FUNCTIONS.get("elongated_bowl").start


def test_a_registered_function_is_accepted_and_descended(client, cubic):
    r = client.post(URL, json={"function": cubic, "x": [1], "learning_rate": 0.1, "steps": 2})
    assert r.status_code == 200
    assert [p["x"][0] for p in r.json()["runs"][0]["trajectory"]] == pytest.approx([1, 0.7, 0.553])  # x − 0.1 · 3x²


def test_api_docs_name_each_registered_function(client):
    spec = client.get("/openapi.json").json()
    description = spec["components"]["schemas"]["GradientDescentRequest"]["properties"]["function"]["description"]
    assert all(name in description for name in FUNCTIONS.names())


def test_worked_example_x_squared(client):
    r = client.post(URL, json={"function": "square", "x": [5], "learning_rate": 0.3, "steps": 5})
    assert r.status_code == 200
    body = r.json()
    assert [p["x"][0] for p in body["runs"][0]["trajectory"]] == pytest.approx([5, 2, 0.8, 0.32, 0.128, 0.0512],
                                                                               rel=1e-6)
    assert body["runs"][0]["verdict"] == "converging" and body["regime"] == "converging"


def test_diverging_descent_returns_valid_json_with_flags(client):
    r = client.post(URL, json={"function": "square", "x": [5], "learning_rate": 1.5, "steps": 1000})
    assert r.status_code == 200
    body = json.loads(r.text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert body["overflow"] is True
    assert body["runs"][0]["overflow"] is True and body["runs"][0]["verdict"] == "diverging"
    assert body["regime"] == "diverging"


def test_two_d_comparison_runs_every_optimizer_from_the_same_start(client):
    names = OPTIMIZERS.names()
    body = client.post(URL, json={"function": "himmelblau", "x": [0, 0], "learning_rate": 0.01, "steps": 50,
                                  "optimizers": names}).json()
    assert [run["optimizer"] for run in body["runs"]] == names
    assert all(run["trajectory"][0]["x"] == [0.0, 0.0] for run in body["runs"])
    assert all(run["trajectory"][0]["loss"] == pytest.approx(11 ** 2 + 7 ** 2) for run in body["runs"])
    assert np.array(body["plot"]["loss"]).shape == (len(body["plot"]["y"]), len(body["plot"]["x"]))


def test_unknown_names_list_the_expected_ones(client):
    r = client.post(URL, json={"function": "square", "x": [1], "learning_rate": 0.1, "steps": 3,
                               "optimizers": ["adamw"]})
    assert r.status_code == 422 and ", ".join(OPTIMIZERS.names()) in r.json()["detail"][0]["msg"]
    r = client.post(URL, json={"function": "cubic", "x": [1], "learning_rate": 0.1, "steps": 3})
    assert r.status_code == 422 and "Expected one of: square, " in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("change", [
    {"x": ["nan"]},
    {"learning_rate": float("inf")},
    {"steps": 1001},
    {"steps": 0},
    {"x": [1, 2, 3]},
    {"x": [1e7]},
    {"optimizers": ["sgd"] * 7},
    {"momentum": 0.9},
])
def test_bad_input_is_rejected_with_422(client, change):
    body = {"function": "square", "x": [1], "learning_rate": 0.1, "steps": 3, **change}
    assert post_json(client, URL, body).status_code == 422


def test_a_number_too_large_for_a_float_is_rejected_with_422(client):
    body = '{"function": "square", "x": [1e999], "learning_rate": 0.1, "steps": 3}'
    assert post_json(client, URL, body).status_code == 422


def test_start_of_the_wrong_dimension_says_why(client):
    r = client.post(URL, json={"function": "bowl", "x": [1], "learning_rate": 0.1, "steps": 3})
    assert r.status_code == 422 and "takes 2 coordinate(s); received a start of 1" in r.json()["detail"]


def test_batch_comparison_has_one_run_per_mode(client):
    r = client.post(BATCH_URL, json={"samples": 40, "batch_size": 8, "epochs": 3, "learning_rate": 0.1, "seed": 2})
    assert r.status_code == 200
    body = r.json()
    assert [len(body[m]["update_losses"]) for m in ("full_batch", "stochastic", "mini_batch")] == [3, 120, 15]
    assert all(len(body[m]["epoch_losses"]) == 4 for m in ("full_batch", "stochastic", "mini_batch"))
    w, b = np.polyfit(body["x"], body["y"], 1)
    assert body["least_squares"]["w"] == pytest.approx(w) and body["least_squares"]["b"] == pytest.approx(b)


@pytest.mark.parametrize("change", [{"samples": 201}, {"epochs": 51}, {"batch_size": 0}, {"noise": "nan"},
                                    {"shuffle": False}])
def test_batch_bad_input_is_rejected_with_422(client, change):
    assert post_json(client, BATCH_URL, change).status_code == 422


def test_batch_larger_than_samples_says_why(client):
    r = client.post(BATCH_URL, json={"samples": 10, "batch_size": 20})
    assert r.status_code == 422 and "batch_size must be between 1 and samples (10)" in r.json()["detail"]


@pytest.mark.parametrize("url", [URL, BATCH_URL])
def test_openapi_examples_work_as_is(client, url):
    for example in openapi_examples(client, url):
        assert client.post(url, json=example).status_code == 200
