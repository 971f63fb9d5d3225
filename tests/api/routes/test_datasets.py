import numpy as np

from app.engine.datasets import generate


def test_preview_returns_the_generated_points_with_labels(client):
    r = client.post("/api/datasets/preview", json={"dataset": "xor", "num_samples": 40, "seed": 3, "noise": 5})
    assert r.status_code == 200
    body = r.json()
    split = generate("xor", num_samples=40, noise=5, seed=3, train_ratio=0.5)
    np.testing.assert_allclose(np.array(body["train"])[:, :2], split.train_points, atol=1e-5)
    assert [row[2] for row in body["test"]] == split.test_labels.tolist()
    assert body["problem"] == "binary"


def test_preview_of_a_multiclass_dataset_reports_its_classes(client):
    body = client.post("/api/datasets/preview", json={"dataset": "spiral_k", "num_classes": 5}).json()
    assert body["num_classes"] == 5 and {row[2] for row in body["train"]} == {0, 1, 2, 3, 4}


def test_preview_rejects_unknown_datasets_with_the_list(client):
    r = client.post("/api/datasets/preview", json={"dataset": "swirl"})
    assert r.status_code == 422 and "Expected one of: circle, xor" in r.text
