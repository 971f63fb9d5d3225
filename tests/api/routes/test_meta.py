import re

import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS
from app.engine.features import FEATURES
from app.engine.losses import LOSSES
from app.engine.optimizers import OPTIMIZERS
from app.engine.regularizers import REGULARIZERS
from app.engine.schedules import SCHEDULES

# Each list of choices in /api/options and the registry it is read from.
REGISTRIES = {"datasets": DATASETS, "features": FEATURES, "activations": ACTIVATIONS, "losses": LOSSES,
              "optimizers": OPTIMIZERS, "regularizations": REGULARIZERS, "lr_schedules": SCHEDULES}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_health_answers_ok(client):
    assert client.get("/api/health").json() == {"status": "ok"}


def test_options_lists_every_registered_name(client):
    body = client.get("/api/options").json()
    assert [a["name"] for a in body["activations"]] == ACTIVATIONS.names()
    assert [d["name"] for d in body["datasets"]] == DATASETS.names()
    assert body["limits"]["max_hidden_layers"] >= 1


def test_options_carry_the_session_defaults(client):
    defaults = client.get("/api/options").json()["defaults"]
    assert defaults["dataset"] == "circle" and defaults["hidden_layers"] == [4, 2]
    assert defaults["lr_schedule"] == {"name": "constant", "params": {}}


def test_options_list_choices_only_from_the_registries_checked_here(client):
    """So a registry newly listed in /api/options cannot pass by the label checks below."""
    body = client.get("/api/options").json()
    lists_of_choices = {k for k, v in body.items() if isinstance(v, list) and v and "name" in v[0]}
    assert lists_of_choices == set(REGISTRIES)


@pytest.mark.parametrize("key", REGISTRIES)
def test_options_give_every_entry_a_chinese_label_from_its_registry(client, key):
    registry = REGISTRIES[key]
    choices = client.get("/api/options").json()[key]
    assert [c["name"] for c in choices] == registry.names()
    for choice in choices:
        entry = registry.entry(choice["name"])
        assert choice["label"] == entry.label
        assert choice["label_zh"].strip() and choice["label_zh"] == entry.label_zh


def test_every_schedule_parameter_is_named_in_chinese(client):
    for schedule in client.get("/api/options").json()["lr_schedules"]:
        for name, param in schedule["params"].items():
            assert HAN.search(param["label_zh"]), (schedule["name"], name)
            assert param["label_zh"] == SCHEDULES.get(schedule["name"]).params[name].label_zh


@pytest.mark.parametrize("registry", [DATASETS, LOSSES, SCHEDULES], ids=lambda r: r.kind)
def test_datasets_losses_and_schedules_are_named_in_chinese(registry):
    # Their English labels are plain words, which a learner reading Chinese expects translated;
    # names such as ReLU, Adam or L2 are written the same in Chinese texts and may fall back.
    assert [e.name for e in registry if not HAN.search(e.label_zh)] == []


def test_options_give_every_fields_default_and_limits(client):
    from app.engine.spec import FIELDS, TrainingSpec

    body = client.get("/api/options").json()
    wire = [name for name, f in FIELDS.items() if not f.within]
    controls = [name for name in wire if not FIELDS[name].custom]  # custom data's own: no control, no link
    assert list(body["fields"]) == controls and set(body["defaults"]) == set(wire)
    assert body["defaults"]["learning_rate"] == TrainingSpec().learning_rate
    assert {k: body["fields"][k]["live"] for k in ("learning_rate", "lr_schedule", "batch_size", "dataset")} == \
        {"learning_rate": True, "lr_schedule": True, "batch_size": True, "dataset": False}
    limits = body["limits"]
    assert limits["noise"] == {"minimum": 0, "maximum": 50}
    assert limits["train_ratio"] == {"minimum": 0.1, "maximum": 0.9}
    assert limits["domain"] == {"minimum": -6, "maximum": 6}
    assert limits["weight"] == {"minimum": -100, "maximum": 100}
    assert limits["learning_rate"]["exclusive_minimum"] is True


@pytest.mark.parametrize("num_samples, train_ratio", [(25, 0.5), (500, 0.5), (11, 0.9), (37, 0.3)])
def test_options_give_the_training_set_size_the_session_trains_on(client, num_samples, train_ratio):
    from app.engine.datasets import generate

    body = client.get(f"/api/options?num_samples={num_samples}&train_ratio={train_ratio}").json()
    split = generate("circle", num_samples=num_samples, noise=0, seed=1, train_ratio=train_ratio)
    n_train = len(split.train_points)
    assert body["training_set"]["n_train"] == n_train and body["limits"]["batch_size"]["maximum"] == n_train
    config = {"num_samples": num_samples, "train_ratio": train_ratio}
    assert client.post("/api/sessions", json={**config, "batch_size": n_train}).status_code == 201
    assert client.post("/api/sessions", json={**config, "batch_size": n_train + 1}).status_code == 422


def test_options_for_a_data_size_outside_the_limits_are_422(client):
    r = client.get("/api/options?num_samples=5&train_ratio=0.5")
    assert r.status_code == 422 and "num_samples" in r.text


def test_options_carry_what_a_page_needs_for_custom_data(client, app):
    from app.engine.custom_data import MAX_CLASSES

    settings = app.state.settings
    custom = client.get("/api/options").json()["custom_data"]
    assert custom["max_rows"] == settings.max_samples and custom["upload_bytes"] == settings.max_upload_bytes
    assert custom["num_classes"] == {"minimum": 2, "maximum": MAX_CLASSES}
    assert [p["name"] for p in custom["problems"]] == ["classification", "regression"]
    entry = next(d for d in client.get("/api/options").json()["datasets"] if d["name"] == custom["dataset"])
    assert entry["custom"] is True and entry["problem"] is None
    assert set(custom["fields"]) == {"dataset_id", "points", "problem_type", "class_names"}
