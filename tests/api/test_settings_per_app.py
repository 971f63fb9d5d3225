"""Two apps in one process, each with its own Settings, each obeying its own limits (issue 9, item 1)."""

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.apps import MANY_CLIENTS, in_process_app

SMALL = {"max_hidden_layers": 1, "max_samples": 100, "max_units_per_layer": 4, "max_epochs_per_call": 7}


@pytest.fixture(scope="module")
def small():
    with TestClient(in_process_app(**MANY_CLIENTS, **SMALL)) as c:
        yield c


@pytest.fixture(scope="module")
def default():
    with TestClient(in_process_app(**MANY_CLIENTS)) as c:
        yield c


def test_each_app_reports_its_own_limits_in_options(small, default):
    mine, theirs = small.get("/api/options").json()["limits"], default.get("/api/options").json()["limits"]
    defaults = Settings()
    assert (mine["max_hidden_layers"], mine["max_samples"], mine["max_units_per_layer"]) == (1, 100, 4)
    assert mine["hidden_layers"]["max_length"] == 1 and mine["hidden_layers"]["item_maximum"] == 4
    assert mine["num_samples"]["maximum"] == 100
    assert theirs["max_hidden_layers"] == defaults.max_hidden_layers
    assert theirs["num_samples"]["maximum"] == defaults.max_samples


@pytest.mark.parametrize("body, message", [
    ({"num_samples": 100, "hidden_layers": [2, 2]}, "at most 1 hidden layers"),
    ({"num_samples": 400, "hidden_layers": [2]}, "num_samples may be at most 100"),
    ({"num_samples": 100, "hidden_layers": [8]}, "1 to 4 units"),
])
def test_the_small_app_refuses_what_the_default_app_accepts(small, default, body, message):
    r = small.post("/api/sessions", json=body)
    assert r.status_code == 422 and message in r.text
    assert default.post("/api/sessions", json=body).status_code == 201


def test_the_small_app_accepts_what_fits_its_limits(small):
    r = small.post("/api/sessions", json={"num_samples": 100, "hidden_layers": [4], "batch_size": 5})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert small.post(f"/api/sessions/{sid}/train", json={"epochs": 8}).status_code == 422
    assert small.post(f"/api/sessions/{sid}/train", json={"epochs": 7}).json()["epoch"] == 7


def test_dataset_previews_obey_each_apps_sample_limit(small, default):
    body = {"dataset": "xor", "num_samples": 400}
    assert small.post("/api/datasets/preview", json=body).status_code == 422
    assert default.post("/api/datasets/preview", json=body).status_code == 200


def test_each_apps_openapi_schema_declares_its_own_limits(small, default):
    for client, settings in ((small, Settings(**SMALL)), (default, Settings())):
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
        config = schemas["SessionConfig"]["properties"]
        assert config["num_samples"]["maximum"] == settings.max_samples
        assert config["hidden_layers"]["maxItems"] == settings.max_hidden_layers
        assert config["hidden_layers"]["items"]["maximum"] == settings.max_units_per_layer
        assert schemas["TrainRequest"]["properties"]["epochs"]["maximum"] == settings.max_epochs_per_call
        assert schemas["DatasetPreviewRequest"]["properties"]["num_samples"]["maximum"] == settings.max_samples


def test_no_body_means_the_defaults_held_to_the_apps_limits(small, default):
    assert default.post("/api/sessions").status_code == 201
    r = small.post("/api/sessions")  # the default 500 points are more than this app allows
    assert r.status_code == 422 and "num_samples may be at most 100" in r.text
