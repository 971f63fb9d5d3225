"""The OpenAPI schema declares the limits the server checks, from the same source: each app's Settings, the spec
table, the registries. Where a rule is written into the schema, a JSON Schema validator (``jsonschema``) and
the server must agree on every case tried."""

import itertools
import sqlite3

import jsonschema
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import datasets, schedules
from app.engine.concepts.gradient_descent import FUNCTIONS
from app.engine.losses import LOSSES
from app.schemas.common import RULES_HEADING
from app.schemas.concepts.gradient_descent import MAX_START
from tests.apps import MANY_CLIENTS, in_process_app

SMALL = {"max_resolution": 40, "default_resolution": 30, "neuron_resolution": 12, "max_boundary_cells": 9_000,
         "max_samples": 300, "max_parameters": 123}


@pytest.fixture(scope="module")
def small():
    with TestClient(in_process_app(**MANY_CLIENTS, **SMALL)) as c:
        yield c


@pytest.fixture(scope="module")
def openapi(small):
    return small.get("/openapi.json").json()


def validator(openapi: dict, component: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema validator for one component of the app's OpenAPI document (its $refs resolved there)."""
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{component}",
                                            "components": openapi["components"]})


def parameters(openapi: dict, path: str, method: str = "get") -> dict[str, dict]:
    return {p["name"]: p["schema"] for p in openapi["paths"][path][method]["parameters"]}


def body_model(openapi: dict, path: str, method: str = "post") -> str | None:
    """The component an operation's JSON body is (null also allowed for an optional body)."""
    body = openapi["paths"][path][method].get("requestBody", {}).get("content", {}).get("application/json")
    refs = [ref for _, ref in _refs(body)] if body else []
    return refs[0].rsplit("/", 1)[1] if refs else None


def integer_branch(schema: dict) -> dict:
    return next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer")


def create(client, **config) -> str:
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_boundary_grids_declare_the_apps_resolution_limit_and_defaults(small, openapi):
    grids = parameters(openapi, "/api/sessions/{session_id}/boundary")
    assert integer_branch(grids["resolution"])["maximum"] == SMALL["max_resolution"]
    assert integer_branch(grids["neuron_resolution"])["maximum"] == SMALL["max_resolution"]
    assert grids["resolution"]["default"] == SMALL["default_resolution"]
    assert grids["neuron_resolution"]["default"] == SMALL["neuron_resolution"]
    openapi_default = TestClient(in_process_app(prewarm=False)).get("/openapi.json").json()
    default = parameters(openapi_default, "/api/sessions/{session_id}/boundary")
    assert integer_branch(default["resolution"])["maximum"] == Settings().max_resolution


def test_the_boundary_answers_as_its_schema_says(small):
    sid = create(small, num_samples=100, hidden_layers=[2])
    over = small.get(f"/api/sessions/{sid}/boundary?resolution={SMALL['max_resolution'] + 1}")
    assert over.status_code == 422 and "server limit" in over.text
    body = small.get(f"/api/sessions/{sid}/boundary").json()  # the declared defaults
    assert (body["resolution"], body["neuron_resolution"]) == (SMALL["default_resolution"], SMALL["neuron_resolution"])


def test_the_cell_limit_and_the_network_limit_are_described_with_the_apps_figures(openapi):
    boundary = openapi["paths"]["/api/sessions/{session_id}/boundary"]["get"]["description"]
    create_session = openapi["paths"]["/api/sessions"]["post"]["description"]
    assert RULES_HEADING in boundary and f"{SMALL['max_boundary_cells']:,} cells" in boundary
    assert RULES_HEADING in create_session and f"at most {SMALL['max_parameters']} parameters" in create_session


def test_the_options_data_size_declares_the_apps_limits(small, openapi):
    size = parameters(openapi, "/api/options")
    assert integer_branch(size["num_samples"])["maximum"] == SMALL["max_samples"]
    assert integer_branch(size["num_samples"])["minimum"] == datasets.MIN_SAMPLES
    assert small.get(f"/api/options?num_samples={datasets.MIN_SAMPLES - 1}").status_code == 422
    assert small.get(f"/api/options?num_samples={SMALL['max_samples'] + 1}").status_code == 422
    assert small.get(f"/api/options?num_samples={SMALL['max_samples']}").status_code == 200


CLASS_COUNTS = [None, *range(0, 18)]


@pytest.mark.parametrize("dataset", datasets.DATASETS.names())
def test_the_schema_admits_exactly_the_class_counts_a_dataset_takes(small, openapi, dataset):
    schema = validator(openapi, "DatasetPreviewRequest")
    for classes in CLASS_COUNTS:
        body = {"dataset": dataset, "num_samples": 50, "num_classes": classes}
        answer = small.post("/api/datasets/preview", json=body)
        assert schema.is_valid(body) == (answer.status_code == 200), (body, answer.text)


@pytest.mark.parametrize("dataset", datasets.DATASETS.names())
def test_the_schema_admits_exactly_the_losses_that_fit_a_dataset(small, openapi, dataset):
    schema = validator(openapi, "SessionConfig")
    for loss in [None, *LOSSES.names()]:
        body = {"dataset": dataset, "num_samples": 50, "hidden_layers": [2], "loss": loss}
        answer = small.post("/api/sessions", json=body)
        assert schema.is_valid(body) == (answer.status_code == 201), (body, answer.text)


def _values(param: schedules.Param) -> list:
    """A parameter's bounds, just inside and beyond them, as it is typed (a list for a list parameter)."""
    if param.kind == "bool":
        return [True, 0.5]
    out = [v + d for v in (param.minimum, param.maximum) if v is not None for d in (-1, 0, 1)]
    return [[v] * 2 for v in out] if param.kind in ("ints", "floats") else out


def test_the_schema_admits_exactly_the_schedule_parameters_the_server_takes(small, openapi):
    """Each schedule without a rule across its parameters, given each parameter any schedule has (so also
    the ones it does not take), at and around its bounds."""
    schema = validator(openapi, "ScheduleChoice")
    sid = create(small, num_samples=100, hidden_layers=[2])
    every = {key: param for e in schedules.SCHEDULES for key, param in e.value.params.items()}
    tried = 0
    for entry in (e for e in schedules.SCHEDULES if e.value.check is None):
        for params in [{}, *({key: v} for key, param in every.items() for v in _values(param))]:
            choice = {"name": entry.name, "params": params}
            answer = small.patch(f"/api/sessions/{sid}", json={"lr_schedule": choice})
            assert schema.is_valid(choice) == (answer.status_code == 200), (choice, answer.text)
            tried += 1
    assert tried > 100


def test_a_start_must_fit_the_functions_dimensions(small, openapi):
    schema = validator(openapi, "GradientDescentRequest")
    for function, length in itertools.product(FUNCTIONS.names(), (1, 2, 3)):
        body = {"function": function, "x": [0.5] * length, "learning_rate": 0.1, "steps": 1}
        answer = small.post("/api/concepts/gradient-descent", json=body)
        assert schema.is_valid(body) == (answer.status_code == 200), (body, answer.text)
    coordinate = openapi["components"]["schemas"]["GradientDescentRequest"]["properties"]["x"]["anyOf"][0]["items"]
    assert (coordinate["minimum"], coordinate["maximum"]) == (-MAX_START, MAX_START)


@pytest.mark.parametrize("logits", [[1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]]])
def test_the_schema_admits_exactly_the_axes_of_the_logits(small, openapi, logits):
    schema = validator(openapi, "SoftmaxRequest")
    for axis in range(-4, 4):
        body = {"logits": logits, "axis": axis}
        answer = small.post("/api/concepts/softmax", json=body)
        assert schema.is_valid(body) == (answer.status_code == 200), (body, answer.text)


def test_a_bias_is_given_only_to_a_layer_that_has_one(small, openapi):
    schema = validator(openapi, "DenseRequest")
    for use_bias, bias in itertools.product((True, False, None), ([0.5], None)):
        body = {"x": [[1.0]], "units": 1, "bias": bias, **({} if use_bias is None else {"use_bias": use_bias})}
        answer = small.post("/api/concepts/dense", json=body)
        assert schema.is_valid(body) == (answer.status_code == 200), (body, answer.text)


def test_a_weight_takes_two_indices_and_a_bias_one(small, openapi):
    schema = validator(openapi, "WeightEdit")
    sid = create(small, num_samples=100, hidden_layers=[2])
    for kind, index in itertools.product(("weight", "bias"), ([0], [0, 1])):
        body = {"layer": 0, "kind": kind, "index": index, "value": 0.5}
        answer = small.put(f"/api/sessions/{sid}/weights", json=body)
        assert schema.is_valid(body) == (answer.status_code == 200), (body, answer.text)


@pytest.mark.parametrize("path, body", [
    ("/api/concepts/gradient-descent", {"optimizers": ["sgd", "sgd"], "learning_rate": 0.1, "steps": 1}),
    ("/api/concepts/activations", {"activations": ["relu", "relu"]}),
    ("/api/concepts/losses", {"losses": ["mse", "mse"], "y_true": [1.0], "y_pred": [1.0]}),
    ("/api/sessions", {"features": ["x1", "x1"]}),
    ("/api/concepts/activations", {"activations": []}),
    ("/api/concepts/forward", {"units": [2], "activation": ["relu"]}),
])
def test_what_the_schema_refuses_the_server_refuses(small, openapi, path, body):
    assert not validator(openapi, body_model(openapi, path)).is_valid(body)
    assert small.post(path, json=body).status_code == 422


def test_a_whole_number_written_as_a_float_is_an_integer(small):
    """JSON Schema's integer admits 3.0; the server takes it as 3 and still refuses 3.5, true and "3"."""
    sid = create(small, num_samples=100.0, hidden_layers=[2.0], batch_size=5.0)
    assert small.post(f"/api/sessions/{sid}/train", json={"epochs": 3.0}).json()["epoch"] == 3
    for epochs in (3.5, True, "3"):
        assert small.post(f"/api/sessions/{sid}/train", json={"epochs": epochs}).status_code == 422
    assert small.post("/api/concepts/softmax", json={"logits": [1.0, 2.0], "axis": 0.0}).status_code == 200


def _arrays(node, path=""):
    if isinstance(node, dict):
        if node.get("type") == "array":
            yield path, node
        for key, value in node.items():
            yield from _arrays(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _arrays(value, f"{path}/{i}")


def test_every_array_a_request_may_hold_is_bounded(openapi):
    """Every list in a request body or query declares its maxItems (the response models are not requests)."""
    requests = {body_model(openapi, path, method) for path, ops in openapi["paths"].items() for method in ops} - {None}
    assert {"SessionConfig", "SessionPatch", "DenseRequest"} <= requests
    components = openapi["components"]["schemas"]
    nested = set()
    while True:  # the components those bodies refer to, transitively
        found = {r.rsplit("/", 1)[1] for name in requests | nested for _, r in _refs(components[name])}
        if found <= requests | nested:
            break
        nested |= found
    unbounded = [f"{name}{path}" for name in sorted(requests | nested) for path, node in _arrays(components[name])
                 if "maxItems" not in node]
    assert "ScheduleChoice" in nested and not unbounded


def _refs(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield path, value
            else:
                yield from _refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _refs(value, f"{path}/{i}")


def test_a_page_offset_stays_within_what_the_database_takes(small, openapi):
    largest = 2**63 - 1
    sqlite3.connect(":memory:").execute("select ?", (largest,))  # SQLite's own integer range: this fits ...
    with pytest.raises(OverflowError):
        sqlite3.connect(":memory:").execute("select ?", (largest + 1,))  # ... and one more does not
    assert integer_branch(parameters(openapi, "/api/runs")["offset"])["maximum"] == largest
    assert small.get(f"/api/runs?offset={largest}").json()["runs"] == []
    assert small.get(f"/api/runs?offset={largest + 1}").status_code == 422
