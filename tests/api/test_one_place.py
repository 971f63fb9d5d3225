"""A schedule with a new parameter is registered in one place (the schedule registry) and is then validated
by the session routes, offered by /api/options, and read from a shared link by the page's state code."""

import json

import pytest
from fastapi.testclient import TestClient

from app.engine import schedules
from app.engine.schedules import SCHEDULES, Param, Schedule
from tests.apps import MANY_CLIENTS, in_process_app
from tests.test_js_units import run_node, write_options

NAME = "halving"


def _halving(lr, step, p):
    return lr * 0.5 ** (step // p["every"])


@pytest.fixture
def client():
    SCHEDULES.register(NAME, Schedule(
        {"every": Param(50, "int", 1, 1000, "steps between halvings", "减半间隔", "每隔多少步减半")}, _halving,
        lambda lr, every: lr, "{learning_rate}"), label="Halving", label_zh="减半")
    try:
        with TestClient(in_process_app(**MANY_CLIENTS)) as c:
            yield c
    finally:
        SCHEDULES._entries.pop(NAME)  # the registry is the process's: leave it as other tests expect it


def test_a_new_schedule_parameter_is_validated_offered_and_read_from_a_link(client, tmp_path):
    served = client.get("/api/options").json()
    offered = next(s for s in served["lr_schedules"] if s["name"] == NAME)
    assert offered["params"]["every"] == {"default": 50, "kind": "int", "minimum": 1, "maximum": 1000,
                                          "description": "steps between halvings", "label_zh": "减半间隔",
                                          "description_zh": "每隔多少步减半"}

    refused = client.post("/api/sessions", json={"lr_schedule": {"name": NAME, "params": {"every": 0}}})
    assert refused.status_code == 422 and f"{NAME}.every must be between 1 and 1000" in refused.text

    script = ("import { stateTable } from './static/js/playground/state.js';"
              "import { OPTIONS } from './tests/js/options.mjs';"
              "const table = stateTable(OPTIONS);"
              f"const state = table.parseQuery('lr_schedule={NAME}&lr_every=20&lr_bogus=3');"
              "console.log(JSON.stringify({ body: table.requestBody(state), query: table.toQuery(state) }));")
    result = run_node("--input-type=module", "-e", script, options=write_options(client, tmp_path / "options.json"))
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert page["body"]["lr_schedule"] == {"name": NAME, "params": {"every": 20}}  # unknown parameters dropped
    assert page["query"] == f"lr_schedule={NAME}&lr_every=20"

    created = client.post("/api/sessions", json=page["body"])
    assert created.status_code == 201, created.text
    assert created.json()["config"]["lr_schedule"] == {"name": NAME, "params": {"every": 20}}
    assert schedules.resolve_params(NAME, {}) == {"every": 50}
