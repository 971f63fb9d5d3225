import math

import keras
import numpy as np
import pytest

from app.config import get_settings
from app.engine import export
from app.engine.snapshot import grid_inputs
from app.schemas.sessions import Boundary
from tests.apps import not_under_ray


def create(client, **config):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_with_no_body_uses_tensorflow_playground_defaults(client):
    r = client.post("/api/sessions")
    assert r.status_code == 201
    body = r.json()
    c = body["config"]
    assert (c["dataset"], c["features"], c["hidden_layers"], c["activation"], c["learning_rate"], c["batch_size"],
            c["train_ratio"]) == ("circle", ["x1", "x2"], [4, 2], "tanh", 0.03, 10, 0.5)
    assert body["status"] == "idle" and body["epoch"] == 0 and body["problem"] == "binary"


def test_session_ids_carry_at_least_128_random_bits(client):
    ids = {create(client)["id"] for _ in range(5)}
    assert len(ids) == 5 and all(len(i) >= 22 for i in ids)  # 22 url-safe base64 chars = 132 bits


def test_unknown_session_is_404_with_the_same_body_for_every_route(client):
    bodies = {client.get("/api/sessions/nope").text, client.post("/api/sessions/nope/train", json={"epochs": 1}).text,
              client.get("/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/boundary").text, client.delete("/api/sessions/x").text}
    assert bodies == {'{"detail":"Session not found","code":"session_not_found","params":{}}'}


def test_training_advances_epochs_and_reports_losses_and_accuracy(client):
    sid = create(client)["id"]
    r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 30})
    body = r.json()
    assert r.status_code == 200 and body["epoch"] == 30
    assert 0 <= body["metrics"]["accuracy"] <= 1 and body["train_loss"] > 0
    h = client.get(f"/api/sessions/{sid}/history").json()
    assert h["epochs"] == [0, 30] and len(h["train_loss"]) == 2


def test_regression_reports_mean_absolute_error(client):
    body = create(client, dataset="plane")
    assert body["problem"] == "regression" and body["config"]["loss"] == "mse"
    assert body["metrics"]["mae"] is not None and body["metrics"]["accuracy"] is None


def test_patch_changes_the_learning_rate_without_reset(client):
    sid = create(client)["id"]
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 5})
    r = client.patch(f"/api/sessions/{sid}", json={"learning_rate": 0.1, "regularization": "l2",
                                                   "regularization_rate": 0.001})
    assert r.status_code == 200
    assert r.json()["epoch"] == 5 and r.json()["config"]["learning_rate"] == 0.1


def test_patch_refuses_structural_fields(client):
    sid = create(client)["id"]
    r = client.patch(f"/api/sessions/{sid}", json={"hidden_layers": [3]})
    assert r.status_code == 422 and "hidden_layers" in r.text


def test_reset_restores_initial_weights_and_reseed_changes_them(client):
    sid = create(client)["id"]
    w0 = client.get(f"/api/sessions/{sid}/weights").json()
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 10})
    assert client.post(f"/api/sessions/{sid}/reset").json()["epoch"] == 0
    assert client.get(f"/api/sessions/{sid}/weights").json() == w0
    r = client.post(f"/api/sessions/{sid}/reset", json={"reseed": True}).json()
    assert r["config"]["init_seed"] != 1
    assert client.get(f"/api/sessions/{sid}/weights").json() != w0


def test_same_config_gives_the_same_history(client):
    config = {"dataset": "xor", "noise": 10, "seed": 4, "hidden_layers": [5, 3], "optimizer": "adam",
              "learning_rate": 0.01}
    histories = []
    for _ in range(2):
        sid = create(client, **config)["id"]
        for _ in range(3):
            client.post(f"/api/sessions/{sid}/train", json={"epochs": 4})
        histories.append(client.get(f"/api/sessions/{sid}/history").json())
    assert histories[0] == histories[1]


def test_divergence_is_reported_in_valid_json_and_recoverable(client):
    sid = create(client, dataset="plane", hidden_layers=[8, 8], activation="relu", learning_rate=10)["id"]
    r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 50})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "diverged" and "learning rate" in body["message"]
    assert all(v is None or math.isfinite(v) for v in (body["train_loss"], body["test_loss"]))
    assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 1}).status_code == 409
    assert client.patch(f"/api/sessions/{sid}", json={"learning_rate": 0.01}).json()["status"] == "idle"
    assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 3}).json()["epoch"] == 3


def test_boundary_is_the_network_output_over_the_grid(client):
    sid = create(client, hidden_layers=[3])["id"]
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 3})
    body = client.get(f"/api/sessions/{sid}/boundary?resolution=8&neuron_resolution=4").json()
    output = np.array(body["output"])
    assert output.shape == (8, 8) and np.array(body["neurons"][0]).shape == (3, 4, 4)
    assert np.array(body["inputs"]).shape == (2, 4, 4)

    weights = client.get(f"/api/sessions/{sid}/weights").json()["layers"]
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, "tanh"), keras.layers.Dense(1, "sigmoid")])
    model.set_weights([np.array(x, np.float32) for layer in weights for x in (layer["weights"], layer["biases"])])
    expected = model.predict(grid_inputs(8, ("x1", "x2")), verbose=0).reshape(8, 8)
    np.testing.assert_allclose(output, expected, atol=1e-4)


def test_boundary_resolution_above_the_limit_is_refused(client):
    sid = create(client)["id"]
    r = client.get(f"/api/sessions/{sid}/boundary?resolution=5000")
    assert r.status_code == 422 and "at most" in r.text


def test_boundary_body_is_the_documented_model(client):
    sid = create(client, dataset="blobs", hidden_layers=[3, 2])["id"]
    r = client.get(f"/api/sessions/{sid}/boundary?resolution=5&neuron_resolution=3")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = Boundary.model_validate_json(r.content)
    assert np.array(body.output).shape[:2] == (5, 5) and [np.array(n).shape for n in body.neurons] == [(3, 3, 3),
                                                                                                      (2, 3, 3)]


def test_boundary_beyond_the_cell_cap_is_refused_before_any_work(client):
    cap = get_settings().max_boundary_cells
    sid = create(client, hidden_layers=[64] * 10)["id"]
    # 200² output cells, and 200² for each of the 2 features and 640 neurons
    r = client.get(f"/api/sessions/{sid}/boundary?resolution=200&neuron_resolution=200")
    assert r.status_code == 422 and f"at most {cap:,}" in r.json()["detail"]
    assert f"{200**2 * (1 + 2 + 640):,} heatmap cells" in r.json()["detail"]
    assert client.get(f"/api/sessions/{sid}/boundary?resolution=200&neuron_resolution=26").status_code == 200


def test_editing_one_weight_changes_only_that_weight(client):
    sid = create(client)["id"]
    before = client.get(f"/api/sessions/{sid}/weights").json()["layers"]
    r = client.put(f"/api/sessions/{sid}/weights", json={"layer": 1, "kind": "weight", "index": [3, 0], "value": 2.5})
    assert r.status_code == 200
    after = client.get(f"/api/sessions/{sid}/weights").json()["layers"]
    before[1]["weights"][3][0] = 2.5
    assert after == before


def test_editing_outside_the_network_is_422(client):
    sid = create(client)["id"]
    r = client.put(f"/api/sessions/{sid}/weights", json={"layer": 7, "kind": "bias", "index": [0], "value": 1})
    assert r.status_code == 422 and "layer must be between 0 and 2" in r.text


def test_exported_model_predicts_what_the_session_shows(client, tmp_path):
    sid = create(client, dataset="blobs", hidden_layers=[6])["id"]
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 5})
    r = client.get(f"/api/sessions/{sid}/export/model.keras")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    path = tmp_path / "m.keras"
    path.write_bytes(r.content)
    model = keras.models.load_model(path)
    boundary = np.array(client.get(f"/api/sessions/{sid}/boundary?resolution=6").json()["output"])
    np.testing.assert_allclose(model.predict(grid_inputs(6, ("x1", "x2")), verbose=0).reshape(6, 6, -1),
                               boundary, atol=1e-4)


def test_exported_script_is_python_that_rebuilds_the_setup(client):
    sid = create(client, dataset="spiral", hidden_layers=[8, 8], features=["x1", "x2", "sin_x1"],
                 optimizer="adam", lr_schedule={"name": "exponential_decay", "params": {"decay_steps": 50}},
                 regularization="l2", regularization_rate=0.001)["id"]
    text = client.get(f"/api/sessions/{sid}/export/script.py").text
    compile(text, "script.py", "exec")
    for expected in ("keras.layers.Dense(8, activation='tanh'", "np.sin(x1)", "keras.optimizers.Adam(",
                     "ExponentialDecay(0.03, decay_steps=50", "keras.regularizers.L2(0.001)", "batch_size=10"):
        assert expected in text


def test_exported_script_trains_the_epochs_asked_and_says_how_many(client):
    sid = create(client)["id"]
    untrained = client.get(f"/api/sessions/{sid}/export/script.py")
    assert untrained.headers["x-export-epochs"] == str(export.UNTRAINED_EPOCHS)
    assert int(untrained.headers["x-export-max-epochs"]) == export.MAX_EPOCHS
    client.post(f"/api/sessions/{sid}/train", json={"epochs": 5})
    assert client.get(f"/api/sessions/{sid}/export/script.py").headers["x-export-epochs"] == "5"
    asked = client.get(f"/api/sessions/{sid}/export/script.py", params={"epochs": 12})
    assert asked.headers["x-export-epochs"] == "12" and "EPOCHS = 12  #" in asked.text


@pytest.mark.parametrize("epochs", ["0", "-3", "ten", "1.5", str(export.MAX_EPOCHS + 1)])
def test_export_refuses_bad_epochs_saying_what_it_expects(client, epochs):
    sid = create(client)["id"]
    r = client.get(f"/api/sessions/{sid}/export/script.py", params={"epochs": epochs})
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == ["query", "epochs"] and error["input"] == epochs


def test_openapi_documents_the_export_epochs_and_their_bounds(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/sessions/{session_id}/export/script.py"]["get"]
    (epochs,) = [p for p in operation["parameters"] if p["name"] == "epochs"]
    bounds = next(s for s in epochs["schema"]["anyOf"] if s.get("type") == "integer")
    assert (bounds["minimum"], bounds["maximum"]) == (1, export.MAX_EPOCHS)
    assert "422" in operation["responses"] and "X-Export-Epochs" in operation["responses"]["200"]["headers"]


@not_under_ray("a loss registered in the test's process is unknown to the host actors' processes")
def test_a_registered_loss_is_accepted_offered_and_exported(client, focal_loss):
    assert focal_loss in [e["name"] for e in client.get("/api/options").json()["losses"]]
    sid = create(client, loss=focal_loss)["id"]
    assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 3}).json()["epoch"] == 3
    text = client.get(f"/api/sessions/{sid}/export/script.py").text
    assert "keras.losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)" in text
    compile(text, "script.py", "exec")


def test_delete_removes_the_session(client):
    sid = create(client)["id"]
    assert client.delete(f"/api/sessions/{sid}").status_code == 204
    assert client.get(f"/api/sessions/{sid}").status_code == 404


@pytest.mark.parametrize("config, field", [
    ({"activation": "relux"}, "Unknown activation 'relux'. Expected one of: relu"),
    ({"dataset": "spirals"}, "Unknown dataset"),
    ({"learning_rate": -1}, "learning_rate"),
    ({"noise": 80}, "noise"),
    ({"hidden_layers": [8] * 11}, "at most 10 hidden layers"),
    ({"hidden_layers": [65]}, "1 to 64 units"),
    ({"num_samples": 10**6}, "num_samples may be at most"),
    ({"dataset": "plane", "loss": "binary_crossentropy"}, "does not fit a regression problem"),
    ({"features": []}, "features"),
    ({"batch_size": 999}, "batch_size must be between 1 and the number of training points (250)"),
    ({"lr_schedule": {"name": "cosine_decay", "params": {"decay_rate": 0.5}}}, "Unknown parameter"),
    ({"layer_activations": ["relu"]}, "one activation per hidden layer"),
    ({"colour": "blue"}, "Extra inputs are not permitted"),
])
def test_invalid_configs_are_422_naming_the_problem(client, config, field):
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 422
    assert field in r.text


@pytest.mark.parametrize("raw", ['{"learning_rate": NaN}', '{"learning_rate": Infinity}', '{"noise": 1e999}',
                                 '{"learning_rate": "nan"}', '{"hidden_layers": [4, 2'])
def test_non_finite_numbers_and_broken_json_are_422(client, raw):
    r = client.post("/api/sessions", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "Traceback" not in r.text


def test_train_with_no_body_runs_the_default_epochs(client):
    sid = create(client)["id"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TrainRequest"]
    r = client.post(f"/api/sessions/{sid}/train")
    assert r.status_code == 200 and r.json()["epoch"] == schema["properties"]["epochs"]["default"]


def test_epochs_above_the_cap_are_refused(client):
    sid = create(client)["id"]
    r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 10**7})
    assert r.status_code == 422 and "at most" in r.text


@pytest.mark.slow
def test_spiral_reaches_95_percent_test_accuracy_within_1000_epochs(client):
    # Seeds 2/2: mini-batch Adam on a noise-free spiral from x1, x2 alone reaches 95 % for most seeds
    # but not all (seed pair 1/1 plateaus near 86 %); see the README's notes on the spiral.
    sid = create(client, dataset="spiral", noise=0, seed=2, init_seed=2, features=["x1", "x2"],
                 hidden_layers=[8, 8, 8], activation="tanh", optimizer="adam", learning_rate=0.01)["id"]
    best = 0.0
    for _ in range(20):
        best = max(best, client.post(f"/api/sessions/{sid}/train", json={"epochs": 50}).json()["metrics"]["accuracy"])
        if best >= 0.95:
            break
    assert best >= 0.95


def test_a_zero_learning_rate_is_refused_as_the_learning_rate_lab_refuses_it(client):
    session = client.post("/api/sessions", json={"learning_rate": 0})
    lab = client.post("/api/concepts/learning-rate", json={"learning_rate": 0})
    assert session.status_code == lab.status_code == 422
    assert session.json()["detail"][0]["msg"] == lab.json()["detail"][0]["msg"]
    sid = create(client)["id"]
    patched = client.patch(f"/api/sessions/{sid}", json={"learning_rate": 0})
    assert patched.status_code == 422 and patched.json()["detail"][0]["msg"] == lab.json()["detail"][0]["msg"]


def test_a_schedule_travels_as_name_and_params(client):
    body = create(client, lr_schedule={"name": "piecewise_constant",
                                       "params": {"boundaries": [10], "values": [0.1, 0.01]}})
    assert body["config"]["lr_schedule"] == {"name": "piecewise_constant",
                                             "params": {"boundaries": [10], "values": [0.1, 0.01]}}
    r = client.patch(f"/api/sessions/{body['id']}", json={"lr_schedule": {"name": "cosine_decay",
                                                                          "params": {"decay_steps": 20}}})
    assert r.json()["config"]["lr_schedule"] == {"name": "cosine_decay", "params": {"decay_steps": 20, "alpha": 0.0}}
    refused = client.post("/api/sessions", json={"lr_schedule": {"name": "piecewise_constant",
                                                                 "params": {"boundaries": [10], "values": [0.1]}}})
    assert refused.status_code == 422 and "one more value than boundaries" in refused.text
