import re

import keras
import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.engine.snapshot import grid_inputs
from tests.apps import MANY_CLIENTS, in_process_app
from tests.store.databases import NO_POSTGRES, POSTGRES_URL, emptied

ALICE = {"X-Owner-Token": "alice-" + "a" * 32}
BOB = {"X-Owner-Token": "bob-" + "b" * 32}
SPIRAL = {"dataset": "spiral", "hidden_layers": [6, 4], "optimizer": "adam", "learning_rate": 0.01,
          "batch_size": 16, "seed": 3, "init_seed": 5, "num_samples": 200}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request):
    """The app on its own SQLite file, and (when CI provides one) on PostgreSQL."""
    url = None
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip(NO_POSTGRES)
        url = emptied(POSTGRES_URL)
    with TestClient(in_process_app(**MANY_CLIENTS, prewarm=False, max_runs_per_owner=50, database_url=url)) as c:
        yield c


def create(client, **config):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def train(client, sid, epochs):
    r = client.post(f"/api/sessions/{sid}/train", json={"epochs": epochs})
    assert r.status_code == 200, r.text
    return r.json()


def save(client, sid, owner=ALICE, **fields):
    r = client.post("/api/runs", json={"session_id": sid, **fields}, headers=owner)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_saved_run_keeps_the_configuration_history_metrics_and_points_of_its_session(client):
    sid = create(client, **SPIRAL)
    state = train(client, sid, 30)
    run = save(client, sid, name="spiral", note="for class")
    assert len(run["id"]) >= 22 and run["link"] == f"/runs/{run['id']}"  # 22 url-safe characters: 132 bits
    detail = client.get(f"/api/runs/{run['id']}").json()
    assert detail["config"] == state["config"]
    assert (detail["epoch"], detail["test_loss"], detail["metrics"]) == (30, state["test_loss"], state["metrics"])
    assert detail["history"] == client.get(f"/api/sessions/{sid}/history").json()
    preview = {k: SPIRAL[k] for k in ("dataset", "seed", "num_samples")}
    points = client.post("/api/datasets/preview", json=preview).json()
    assert detail["points"] == {"train": points["train"], "test": points["test"]}
    assert (detail["name"], detail["note"], detail["hidden_layers"]) == ("spiral", "for class", [6, 4])


def test_saved_weights_and_boundary_are_the_sessions_at_the_saved_epoch(client):
    sid = create(client, **SPIRAL)
    train(client, sid, 10)
    run = save(client, sid)
    weights, boundary = client.get(f"/api/sessions/{sid}/weights").json(), client.get(f"/api/sessions/{sid}/boundary")
    train(client, sid, 10)  # what the session does afterwards is not the run's
    assert client.get(f"/api/runs/{run['id']}/weights").json() == weights
    saved = client.get(f"/api/runs/{run['id']}/boundary").json()
    assert saved["resolution"] == boundary.json()["resolution"]
    np.testing.assert_allclose(saved["output"], boundary.json()["output"], atol=1e-3)  # kept as float16


def test_continuing_a_run_gives_the_numbers_of_a_session_that_never_stopped(client):
    sid = create(client, **SPIRAL)
    train(client, sid, 25)
    run = save(client, sid)
    uninterrupted = train(client, sid, 40)
    r = client.post(f"/api/runs/{run['id']}/sessions")
    assert r.status_code == 201, r.text
    continued = r.json()
    assert continued["id"] != sid and continued["epoch"] == 25 and continued["config"] == uninterrupted["config"]
    again = train(client, continued["id"], 40)
    assert (again["train_loss"], again["test_loss"], again["metrics"]) == (
        uninterrupted["train_loss"], uninterrupted["test_loss"], uninterrupted["metrics"])
    assert client.get(f"/api/sessions/{continued['id']}/weights").json() == \
        client.get(f"/api/sessions/{sid}/weights").json()
    assert client.get(f"/api/sessions/{continued['id']}/history").json() == \
        client.get(f"/api/sessions/{sid}/history").json()


def test_runs_are_listed_newest_first_one_page_at_a_time(client):
    sid = create(client)
    ids = [save(client, sid, name=f"page {i}")["id"] for i in range(3)]
    page = client.get("/api/runs", params={"limit": 2}).json()
    assert page["limit"] == 2 and page["total"] >= 3 and [r["id"] for r in page["runs"]] == ids[::-1][:2]
    second = client.get("/api/runs", params={"limit": 2, "offset": 1}).json()
    assert second["runs"][0]["id"] == ids[1]
    assert client.get("/api/runs", params={"limit": 1000}).status_code == 422


def test_only_the_owner_deletes_a_run_and_another_owner_gets_the_answer_of_a_missing_one(client):
    run = save(client, create(client))
    other = client.delete(f"/api/runs/{run['id']}", headers=BOB)
    missing = client.delete("/api/runs/" + "A" * 22, headers=ALICE)
    assert (other.status_code, other.json()) == (missing.status_code, missing.json())
    assert (other.status_code, other.json()) == (404, {"detail": "Run not found", "code": "run_not_found", "params": {}})
    assert client.get(f"/api/runs/{run['id']}").status_code == 200
    assert client.delete(f"/api/runs/{run['id']}").status_code == 422  # no owner token at all
    assert client.delete(f"/api/runs/{run['id']}", headers=ALICE).status_code == 204
    assert client.get(f"/api/runs/{run['id']}").json() == {"detail": "Run not found", "code": "run_not_found", "params": {}}


def test_saving_an_unknown_session_is_404_and_a_missing_run_answers_404_everywhere(client):
    r = client.post("/api/runs", json={"session_id": "nope"}, headers=ALICE)
    assert (r.status_code, r.json()) == (404, {"detail": "Session not found", "code": "session_not_found", "params": {}})
    bodies = {client.get("/api/runs/nope").text, client.get("/api/runs/nope/weights").text,
              client.get("/api/runs/nope/boundary").text, client.post("/api/runs/nope/sessions").text,
              client.get("/api/runs/nope/export/script.py").text}
    assert bodies == {'{"detail":"Run not found","code":"run_not_found","params":{}}'}


@pytest.mark.parametrize("text", ["'; DROP TABLE runs; --", "Robert'); DELETE FROM runs WHERE ('1'='1",
                                  "\" OR 1=1 --", "%s %(name)s ?", "名字 <script>alert(1)</script>", "\\x00\\'"])
def test_names_and_notes_that_look_like_sql_are_stored_verbatim(client, text):
    sid = create(client)
    before = client.get("/api/runs").json()["total"]
    run = save(client, sid, name=text[:200], note=text * 3)
    detail = client.get(f"/api/runs/{run['id']}").json()
    assert (detail["name"], detail["note"]) == (text[:200], text * 3)
    assert client.get("/api/runs").json()["total"] == before + 1


def test_a_run_exports_the_same_script_and_model_as_its_session(client, tmp_path):
    sid = create(client, **SPIRAL)
    train(client, sid, 15)
    run = save(client, sid)
    script = client.get(f"/api/runs/{run['id']}/export/script.py")
    assert script.status_code == 200 and script.text == client.get(f"/api/sessions/{sid}/export/script.py").text
    r = client.get(f"/api/runs/{run['id']}/export/model.keras")
    assert r.status_code == 200
    (tmp_path / "m.keras").write_bytes(r.content)
    model = keras.models.load_model(tmp_path / "m.keras")
    x = grid_inputs(10, ("x1", "x2"))
    saved = client.get(f"/api/runs/{run['id']}/weights").json()["layers"]
    for layer, dense in zip(saved, [l for l in model.layers if l.weights]):
        np.testing.assert_array_equal(dense.get_weights()[0], np.array(layer["weights"], np.float32))
    assert model.predict(x, verbose=0).shape == (100, 1)


def test_the_owner_cap_the_server_cap_and_the_size_cap_answer_with_what_was_exceeded():
    app = in_process_app(**MANY_CLIENTS, prewarm=False, max_runs=3, max_runs_per_owner=2)
    with TestClient(app) as c:
        sid = create(c)
        save(c, sid)
        save(c, sid)
        r = c.post("/api/runs", json={"session_id": sid}, headers=ALICE)
        assert r.status_code == 429 and "(2)" in r.json()["detail"]
        save(c, sid, owner=BOB)
        r = c.post("/api/runs", json={"session_id": sid}, headers=BOB)
        assert r.status_code == 429 and "maximum of 3 saved runs" in r.json()["detail"]
    with TestClient(in_process_app(**MANY_CLIENTS, prewarm=False, max_run_bytes=1024)) as c:
        r = c.post("/api/runs", json={"session_id": create(c)}, headers=ALICE)
        assert r.status_code == 413 and re.search(r"takes \d+ bytes; .* at most 1024", r.json()["detail"])


def test_an_owner_token_that_is_too_short_is_refused(client):
    r = client.post("/api/runs", json={"session_id": create(client)}, headers={"X-Owner-Token": "short"})
    assert r.status_code == 422 and "X-Owner-Token" in r.text


def test_a_database_that_cannot_be_opened_answers_503_not_500(tmp_path):
    (tmp_path / "not-a-directory").write_text("")
    app = in_process_app(prewarm=False, database_url=f"sqlite:///{tmp_path / 'not-a-directory' / 'runs.db'}")
    r = TestClient(app).get("/api/runs")  # no lifespan: the migration that would fail first is not run
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert r.json() == {"detail": "The database of saved runs cannot be reached; try again shortly",
                        "code": "runs_unavailable", "params": {}}
