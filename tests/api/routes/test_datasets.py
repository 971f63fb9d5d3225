import numpy as np
import pytest

from app.engine.datasets import generate
from app.api.routes.datasets import _rows
from tests.apps import in_process_app


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


# -- your own data -----------------------------------------------------------------------------------------

CSV = b"x1,x2,label\r\n-20,1.5,cat\r\n2.5,-1,dog\r\n1,3,dog\r\n-3,-2,cat\r\n"


def upload_csv(client, body: bytes = CSV, **params):
    return client.post("/api/datasets", content=body, headers={"content-type": "text/csv"}, params=params)


def test_a_csv_upload_is_summarised_and_read_back_as_parsed(client):
    from app.engine.custom_data import parse_csv

    r = upload_csv(client)
    assert r.status_code == 201, r.text
    body = r.json()
    data = parse_csv(CSV)
    assert {k: body[k] for k in ("rows", "problem", "num_classes", "class_names", "scaled")} == {
        "rows": 4, "problem": "classification", "num_classes": 2, "class_names": ["cat", "dog"], "scaled": True}
    assert body["ranges"] == {"x1": [-20, 2.5], "x2": [-2, 3], "label": [0, 1]}
    read = client.get(f"/api/datasets/{body['id']}").json()
    assert read["points"] == [list(row) for row in data.rows]
    download = client.get(f"/api/datasets/{body['id']}.csv")
    assert download.headers["content-type"].startswith("text/csv") and "attachment" in \
        download.headers["content-disposition"]
    assert parse_csv(download.content).rows == data.rows


def test_json_points_are_taken_with_an_explicit_problem(client):
    r = client.post("/api/datasets", json={"points": [[0, 0, 0], [1, 1, 1], [2, 2, 2]], "problem": "regression"})
    assert r.status_code == 201 and r.json()["problem"] == "regression" and r.json()["num_classes"] is None


@pytest.mark.parametrize("body, row, column", [
    (b"x1,x2,label\n1,2,0\n1,abc,1\n", 3, 2),
    (b"1,2,0\n1,2\n", 2, 3),
    (b"1,2,0\n1,2,nan\n", 2, 3),
    (b"", None, None),
    (b"\x00\x01binary", 1, None),
])
def test_a_bad_csv_is_422_with_the_row_and_column(client, body, row, column):
    r = upload_csv(client, body, problem="regression")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert (detail["row"], detail["column"]) == (row, column) and detail["message"]


def test_too_many_rows_is_422_naming_the_setting(client, app):
    cap = app.state.settings.max_samples
    body = "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(cap + 1)).encode()
    r = upload_csv(client, body)
    assert r.status_code == 422 and r.json()["detail"]["limit"] == "TP_MAX_SAMPLES"
    assert str(cap) in r.json()["detail"]["message"]


def test_json_errors_name_the_row_and_column_too(client):
    r = client.post("/api/datasets", json={"points": [[0, 0, 0], [1, "x", 1]]})
    assert r.status_code == 422 and r.json()["detail"]["row"] == 2 and r.json()["detail"]["column"] == 2
    r = client.post("/api/datasets", content=b'{"points": [[0, 0, 0], ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"]["row"] == 1
    r = client.post("/api/datasets", json={"points": [[0, 0, 0], [1, 1, 1]], "problemm": "regression"})
    assert r.status_code == 422 and "problemm" in r.json()["detail"]["message"]


def test_an_upload_of_another_media_type_is_415(client):
    r = client.post("/api/datasets", content=b"<xml/>", headers={"content-type": "application/xml"})
    assert r.status_code == 415 and "text/csv" in r.json()["detail"]


def test_an_undeclared_body_above_the_upload_cap_is_413():
    # (tests/fault/test_upload_limit.py: refused while it streams, on a real server)
    from fastapi.testclient import TestClient

    def body():
        yield b"1,2,0\n" * 600

    with TestClient(in_process_app(max_upload_bytes=2048)) as c:
        r = c.post("/api/datasets", content=body(), headers={"content-type": "text/csv"})
    assert r.status_code == 413 and "2048" in r.json()["detail"] and "TP_MAX_UPLOAD_BYTES" in r.json()["detail"]


def test_a_declared_length_above_the_cap_is_413_at_once():
    from fastapi.testclient import TestClient

    with TestClient(in_process_app(max_upload_bytes=2048)) as c:
        r = c.post("/api/datasets", content=b"1,2,0\n" * 1000, headers={"content-type": "text/csv"})
    assert r.status_code == 413


def test_an_unknown_dataset_is_404(client):
    assert client.get("/api/datasets/nope").status_code == 404
    assert client.get("/api/datasets/nope.csv").status_code == 404


def test_a_full_store_answers_503_and_a_fast_client_429():
    from fastapi.testclient import TestClient

    with TestClient(in_process_app(max_datasets=1, max_datasets_per_client=5)) as c:
        assert upload_csv(c).status_code == 201
        r = upload_csv(c)
        assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
    with TestClient(in_process_app(max_uploads_per_client_per_minute=1)) as c:
        assert upload_csv(c).status_code == 201
        r = upload_csv(c)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_the_upload_is_documented_for_json_and_csv_with_examples(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/datasets"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "text/csv"} and content["application/json"]["schema"]["examples"]
    assert {"201", "413", "415", "422", "429", "503"} <= set(operation["responses"])


def test_a_preview_of_custom_points_splits_them_as_a_session_does(client):
    from app.engine.session import TrainingSession
    from app.engine.spec import TrainingSpec

    points = [[-3, 1, "a"], [2, 2, "b"], [1, -4, "b"], [-2, -2, "a"], [4, 0, "b"], [-5, 3, "a"]]
    body = client.post("/api/datasets/preview", json={"dataset": "custom", "points": points, "seed": 4}).json()
    session = TrainingSession(TrainingSpec(dataset="custom", points=tuple(map(tuple, points)), seed=4))
    assert body["train"] == _rows(session.split.train_points, session.split.train_labels)
    assert body["num_classes"] == 2 and body["problem"] == "binary"
    assert client.post("/api/datasets/preview", json={"dataset": "custom"}).status_code == 422
