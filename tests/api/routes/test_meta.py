from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS


def test_health_answers_ok(client):
    assert client.get("/api/health").json() == {"status": "ok"}


def test_options_lists_every_registered_name(client):
    body = client.get("/api/options").json()
    assert [a["name"] for a in body["activations"]] == ACTIVATIONS.names()
    assert [d["name"] for d in body["datasets"]] == DATASETS.names()
    assert body["limits"]["max_hidden_layers"] >= 1
