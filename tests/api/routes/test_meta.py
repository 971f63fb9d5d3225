from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS


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
    assert defaults["lr_schedule"] == {"name": "constant"}
