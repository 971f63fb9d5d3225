"""Sessions on a learner's own data through the API: by dataset id or inline points, changed live by PATCH and
by the stream's ``set`` (weights kept), exported with their points, saved and continued with them."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.engine.custom_data import parse_csv

CSV = (b"x1,x2,label\r\n" + b"".join(b"%d,%d,%s\r\n" % (x, y, b"cat" if x < 0 else b"dog")
                                     for x in (-30, -20, -10, 10, 20, 30) for y in (-2, 0, 2)))
MORE = CSV + b"-25,1,cat\r\n25,-1,dog\r\n"


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def upload(client, body: bytes = CSV) -> dict:
    r = client.post("/api/datasets", content=body, headers={"content-type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()


def create(client, **config) -> dict:
    r = client.post("/api/sessions", json={"hidden_layers": [4], "batch_size": 4, **config})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_session_names_an_uploaded_dataset_and_trains_on_its_points(client):
    dataset = upload(client)
    state = create(client, dataset="custom", dataset_id=dataset["id"])
    config = state["config"]
    assert config["points"] == [list(row) for row in parse_csv(CSV).rows]
    assert (config["dataset_id"], config["class_names"], state["problem"]) == (dataset["id"], ["cat", "dog"], "binary")
    trained = client.post(f"/api/sessions/{state['id']}/train", json={"epochs": 100}).json()
    assert trained["train_metrics"]["accuracy"] == 1.0


def test_inline_points_make_a_session_of_their_own(client):
    state = create(client, dataset="custom", points=[[0, 0, 0.5], [1, 2, 1.5], [3, -1, 2.25], [-2, 2, 0]])
    assert state["problem"] == "regression" and state["config"]["problem_type"] == "regression"


@pytest.mark.parametrize("config, words", [
    ({"dataset": "custom"}, "needs its points"),
    ({"dataset": "custom", "dataset_id": "expired-or-never"}, "unknown or expired"),
    ({"dataset": "custom", "points": [[0, 0, "a"], [1, 1, "a"]]}, "at least 2 classes"),
    ({"dataset": "custom", "points": [[0, 0, 0], [1, "x", 1]]}, "row 2, column 2"),
])
def test_a_custom_config_without_usable_points_is_422(client, config, words):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 422 and words in r.text


def test_patch_changes_the_data_and_keeps_the_weights(client):
    state = create(client, dataset="custom", dataset_id=upload(client)["id"])
    sid = state["id"]
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 20})
    weights = client.get(f"/api/sessions/{sid}/weights").json()
    more = upload(client, MORE)
    r = client.patch(f"/api/sessions/{sid}", json={"dataset": "custom", "dataset_id": more["id"]})
    assert r.status_code == 200 and r.json()["epoch"] == 20
    assert len(r.json()["config"]["points"]) == more["rows"] == 20
    assert client.get(f"/api/sessions/{sid}/weights").json() == weights


def test_a_bad_patch_leaves_the_data_as_it_was(client):
    state = create(client, dataset="custom", dataset_id=upload(client)["id"])
    r = client.patch(f"/api/sessions/{state['id']}", json={"points": [[0, 0, 1], [1, 1, 1]]})
    assert r.status_code == 422
    assert client.get(f"/api/sessions/{state['id']}").json()["config"]["points"] == state["config"]["points"]


def test_the_stream_takes_new_data_live_and_trains_the_next_frame_on_it(client):
    state = create(client, dataset="custom", dataset_id=upload(client)["id"])
    sid = state["id"]
    more = upload(client, MORE)
    with client.websocket_connect(f"/api/sessions/{sid}/stream") as ws:
        first = _frame(ws)
        ws.send_json({"type": "step"})
        stepped = _frame(ws)
        ws.send_json({"type": "set", "changes": {"dataset": "custom", "dataset_id": more["id"]}})
        changed = _frame(ws)
        ws.send_json({"type": "set", "changes": {"dataset_id": "no-such-id"}})
        error = ws.receive_json()
    assert (first["epoch"], stepped["epoch"], changed["epoch"]) == (0, 1, 1)  # weights and epochs kept
    assert error["type"] == "error" and "unknown or expired" in error["detail"]
    config = client.get(f"/api/sessions/{sid}").json()["config"]
    assert config["dataset_id"] == more["id"] and len(config["points"]) == 20


def _frame(ws) -> dict:
    header = ws.receive_json()
    assert header["type"] == "frame", header
    assert len(ws.receive_bytes()) == header["bytes"]
    return header


def test_csv_to_session_to_exported_script_keeps_the_points(client):
    state = create(client, dataset="custom", dataset_id=upload(client)["id"])
    text = client.get(f"/api/sessions/{state['id']}/export/script.py?epochs=1").text
    namespace = {"__name__": "exported"}
    exec(compile(text.split("\n\ndef features")[0], "script", "exec"), namespace)  # the data, not the training
    exported = np.column_stack([np.concatenate([namespace["train_points"], namespace["test_points"]]),
                                np.concatenate([namespace["train_labels"], namespace["test_labels"]])])
    expected = np.array(parse_csv(CSV).rows)
    assert sorted(map(tuple, exported.tolist())) == sorted(map(tuple, expected.astype(np.float32).astype(float).tolist()))


def test_a_saved_custom_run_reopens_and_continues_on_its_points_after_the_upload_expired(client):
    owner = {"X-Owner-Token": "carol-" + "c" * 32}
    dataset = upload(client)
    state = create(client, dataset="custom", dataset_id=dataset["id"])
    sid = state["id"]
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 15})
    run = client.post("/api/runs", json={"session_id": sid}, headers=owner).json()
    client.app.state.sessions.datasets._held.clear()  # the upload is gone; the run carries its points
    detail = client.get(f"/api/runs/{run['id']}").json()
    assert detail["config"]["points"] == state["config"]["points"]
    r = client.post(f"/api/runs/{run['id']}/sessions", headers=owner)
    assert r.status_code == 201, r.text
    continued = r.json()["id"]
    original = client.post(f"/api/sessions/{sid}/train", json={"epochs": 10}).json()
    again = client.post(f"/api/sessions/{continued}/train", json={"epochs": 10}).json()
    assert again["config"]["points"] == state["config"]["points"]
    assert (again["epoch"], again["train_loss"], again["test_loss"]) == \
        (original["epoch"], original["train_loss"], original["test_loss"])


def test_a_run_of_as_many_points_as_the_server_allows_fits_a_saved_run(client):
    settings = client.app.state.settings
    rng = np.random.default_rng(1)
    rows = "".join(f"{x:.4f},{y:.4f},{'ab'[int(x > 0)]}\n" for x, y in rng.uniform(-6, 6, (settings.max_samples, 2)))
    dataset = upload(client, rows.encode())
    state = create(client, dataset="custom", dataset_id=dataset["id"], batch_size=50)
    run = client.post("/api/runs", json={"session_id": state["id"]}, headers={"X-Owner-Token": "dan-" + "d" * 32})
    assert run.status_code == 201, run.text
    assert len(client.get(f"/api/runs/{run.json()['id']}").json()["config"]["points"]) == settings.max_samples
