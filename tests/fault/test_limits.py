"""Fair-use limits over HTTP: each answers JSON ``{"detail": ...}`` naming the limit, with ``Retry-After``.

Each test builds its own app with the limit made small, so the shared one stays unlimited for other tests.
"""

import logging

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.apps import in_process_app


def app_with(**settings):
    return in_process_app(prewarm=False, **settings)


def small_session(client: TestClient):
    return client.post("/api/sessions", json={"hidden_layers": [2], "num_samples": 40})


def test_creation_beyond_the_live_session_cap_is_503_with_retry_after():
    with TestClient(app_with(max_sessions=2)) as client:
        assert [small_session(client).status_code for _ in range(2)] == [201, 201]
        r = small_session(client)
        assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
        assert "maximum of 2 sessions" in r.json()["detail"]


def test_creation_faster_than_the_client_rate_is_429_with_retry_after():
    app = app_with(max_sessions_per_client_per_minute=3)
    with TestClient(app, client=("203.0.113.7", 50000)) as client:
        assert [small_session(client).status_code for _ in range(3)] == [201] * 3
        r = small_session(client)
        assert r.status_code == 429
        assert r.json() == {"detail": "Too many new sessions from this client: at most 3 per minute; "
                                      "try again in 20 s", "code": "too_many_new_sessions",
                            "params": {"per_minute": 3, "retry_after": 20}}
        assert r.headers["retry-after"] == "20"
    with TestClient(app, client=("203.0.113.8", 50000)) as other:
        assert small_session(other).status_code == 201  # the limit is per client


def test_training_beyond_the_session_budget_is_429_and_other_sessions_still_train():
    with TestClient(app_with(max_train_seconds_per_minute=0.001)) as client:
        sid, other = small_session(client).json()["id"], small_session(client).json()["id"]
        assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 20}).status_code == 200
        r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 1})
        assert r.status_code == 429
        assert "training budget of 0.001 s per 60 s" in r.json()["detail"]
        assert 1 <= int(r.headers["retry-after"]) <= 61
        assert client.get(f"/api/sessions/{sid}").json()["epoch"] == 20  # refused calls do not train
        assert client.post(f"/api/sessions/{other}/train", json={"epochs": 1}).status_code == 200


def test_the_limits_are_documented_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    create, train = paths["/api/sessions"]["post"]["responses"], paths["/api/sessions/{session_id}/train"]["post"]["responses"]
    assert {"429", "503"} <= set(create) and "429" in train
    assert "Retry-After" in create["429"]["headers"] and "Retry-After" in train["429"]["headers"]


def test_cors_is_off_by_default(client):
    preflight = client.options("/api/sessions", headers={
        "origin": "https://elsewhere.example", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    r = client.get("/api/health", headers={"origin": "https://elsewhere.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_cors_allows_exactly_the_configured_origins():
    allowed = "https://class.example"
    with TestClient(app_with(cors_allow_origins=[allowed])) as client:
        ok = client.options("/api/sessions", headers={"origin": allowed, "access-control-request-method": "POST",
                                                      "access-control-request-headers": "content-type"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
        assert "POST" in ok.headers["access-control-allow-methods"]
        assert ok.headers["content-security-policy"]  # security headers on preflights too
        assert client.get("/api/health", headers={"origin": allowed}).headers["access-control-allow-origin"] == allowed

        other = "https://elsewhere.example"
        refused = client.options("/api/sessions", headers={"origin": other, "access-control-request-method": "POST"})
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        assert "access-control-allow-origin" not in client.get("/api/health", headers={"origin": other}).headers


def test_an_unhandled_error_is_a_generic_500_with_a_request_id_and_the_traceback_only_in_the_log(caplog):
    app = app_with()

    @app.get("/api/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with caplog.at_level(logging.ERROR, logger="tensor_playground"), \
            TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/test-only/boom")
    assert r.status_code == 500 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["detail"] == "Internal server error" and len(body["request_id"]) == 32
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    record = next(rec for rec in caplog.records if body["request_id"] in rec.getMessage())
    assert record.exc_info and "secret internal detail" in str(record.exc_info[1])


@pytest.mark.parametrize("value, expected", [("https://a.example", ["https://a.example"]),
                                             ("https://a.example, http://b.example:8080",
                                              ["https://a.example", "http://b.example:8080"]),
                                             ('["https://a.example"]', ["https://a.example"]), ("", [])])
def test_origin_lists_are_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("TP_CORS_ALLOW_ORIGINS", value)
    monkeypatch.setenv("TP_WS_ALLOWED_ORIGINS", value)
    assert Settings().cors_allow_origins == expected
    assert Settings().ws_allowed_origins == expected
