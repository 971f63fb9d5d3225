"""Who may talk to the app: the Host a request names, and the Origin of a page opening the stream."""

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from app.api.middleware import host_allowed, host_name
from app.api.origins import origin_allowed
from app.config import Settings
from tests.apps import in_process_app


def test_origin_rules():
    assert origin_allowed(None, "a:8000", "ws", [])  # not a browser
    assert origin_allowed("http://a:8000", "a:8000", "ws", [])
    assert not origin_allowed("http://b:8000", "a:8000", "ws", [])
    assert origin_allowed("https://class.example", "a:8000", "ws", ["https://class.example"])


def test_the_origin_scheme_must_match_the_pages():
    assert origin_allowed("https://a:8000", "a:8000", "wss", [])
    assert not origin_allowed("https://a:8000", "a:8000", "ws", [])
    assert not origin_allowed("http://a:8000", "a:8000", "wss", [])


@pytest.mark.parametrize("header, name", [("Example.org:8000", "example.org"), ("example.org", "example.org"),
                                          ("[::1]:8000", "[::1]"), ("[::1]", "[::1]"), ("127.0.0.1:80", "127.0.0.1")])
def test_host_names_drop_the_port(header, name):
    assert host_name(header) == name


def test_host_patterns():
    assert host_allowed("class.example", ["class.example"])
    assert host_allowed("a.class.example", ["*.class.example"])
    assert not host_allowed("class.example", ["*.class.example"])
    assert not host_allowed("evilclass.example", ["*.class.example"])
    assert host_allowed("anything.example", ["*"])


def test_loopback_and_the_listening_host_are_trusted_by_default():
    trusted = Settings(host="0.0.0.0").trusted_hosts()
    assert trusted == ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"]
    assert Settings(host="::1", allowed_hosts="class.example").trusted_hosts() == [
        "127.0.0.1", "localhost", "[::1]", "class.example"]


def test_allowed_hosts_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("TP_ALLOWED_HOSTS", "class.example, *.school.example")
    assert Settings().allowed_hosts == ["class.example", "*.school.example"]


def test_an_unknown_host_is_refused_with_400(client):
    r = client.get("/api/health", headers={"host": "evil.example"})
    assert r.status_code == 400 and "Unknown host 'evil.example'" in r.json()["detail"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    assert client.get("/api/health").status_code == 200  # testserver: this test app's own host


def test_the_default_app_refuses_a_name_it_was_not_given():
    app = in_process_app(allowed_hosts=[], prewarm=False)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
        assert client.get("/api/health", headers={"host": "testserver"}).status_code == 400


def test_a_rebinding_page_cannot_open_the_stream(client):
    sid = client.post("/api/sessions").json()["id"]
    with pytest.raises(WebSocketDenialResponse) as refused:
        with client.websocket_connect(f"/api/sessions/{sid}/stream",
                                      headers={"host": "evil.example", "origin": "http://evil.example"}):
            pass
    assert refused.value.status_code == 400


def test_a_page_of_another_scheme_cannot_open_the_stream(client):
    sid = client.post("/api/sessions").json()["id"]
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect(f"/api/sessions/{sid}/stream", headers={"origin": "https://testserver"}) as ws:
            ws.receive_json()
    assert closed.value.code == 1008
