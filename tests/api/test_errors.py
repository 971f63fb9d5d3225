"""Error bodies: small whatever came in, and an unhandled error answered and logged once."""

import json
import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.api.errors import MAX_ERROR_BYTES
from app.schemas.concepts.softmax import SoftmaxRequest
from tests.apps import in_process_app


def post_json(client: TestClient, path: str, text: str):
    return client.post(path, content=text.encode(), headers={"content-type": "application/json"})


def test_a_huge_unknown_key_is_named_not_echoed(client):
    r = post_json(client, "/api/sessions", json.dumps({"A" * 900_000: 1}))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    assert r.json()["detail"][0]["type"] == "extra_forbidden"
    assert r.json()["detail"][0]["loc"][1].startswith("AAAA")


def test_twenty_large_unknown_keys_stay_under_the_bound(client):
    body = {chr(ord("A") + i) * 45_000: i for i in range(20)}
    r = post_json(client, "/api/sessions", json.dumps(body))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES


def test_thousands_of_invalid_numbers_are_summarised(client):
    grid = [["x"] * 64 for _ in range(64)]
    r = post_json(client, "/api/concepts/softmax", json.dumps({"logits": grid}))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    with pytest.raises(ValidationError) as refused:  # pydantic's own count of what is wrong
        SoftmaxRequest.model_validate({"logits": grid})
    detail = r.json()["detail"]
    shown = len(detail) - 1
    assert detail[-1] == {"loc": [], "msg": f"and {refused.value.error_count() - shown} more errors",
                          "type": "too_many_errors"}


def test_a_huge_integer_is_described_not_printed(client):
    r = post_json(client, "/api/sessions", '{"hidden_layers": [' + "9" * 5000 + "]}")
    assert r.status_code in (400, 422) and len(r.content) < MAX_ERROR_BYTES
    assert "Traceback" not in r.text


def test_an_unhandled_error_is_answered_and_logged_once(caplog):
    app = in_process_app(prewarm=False)

    @app.get("/api/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    # The test client raises whatever the app lets escape, as the server would log it a second time.
    with caplog.at_level(logging.ERROR), TestClient(app) as client:
        r = client.get("/api/test-only/boom")
    assert r.status_code == 500 and r.json()["detail"] == "Internal server error"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    tracebacks = [rec for rec in caplog.records if rec.exc_info]
    assert len(tracebacks) == 1 and r.json()["request_id"] in tracebacks[0].getMessage()
