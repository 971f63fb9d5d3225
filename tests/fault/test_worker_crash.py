"""The worker-process backend over HTTP and WebSocket: a worker killed with SIGKILL costs only its own sessions
(REST 410, stream closed with 1011); the others carry on, new sessions work and a new worker takes its place."""

import os
import signal
import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.config import get_settings
from app.main import create_app
from tests.apps import MANY_CLIENTS, TEST_HOST

SMALL = {"dataset": "xor", "num_samples": 80}


@pytest.fixture(scope="module")
def processes_app():
    settings = get_settings().model_copy(update={**MANY_CLIENTS, **TEST_HOST, "backend": "processes", "workers": 2,
                                                 "jit_compile": False, "prewarm": False})
    app = create_app(settings)
    backend = app.state.sessions.backend
    yield app
    pids = [w.pid for w in backend.workers()]
    backend.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def create(client, width: int) -> str:
    """A session whose network has its own width, so sessions spread over the workers (nothing compiled
    draws them to one)."""
    r = client.post("/api/sessions", json={**SMALL, "hidden_layers": [width]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.timeout(120)
def test_killing_a_worker_costs_only_its_sessions(processes_app):
    backend = processes_app.state.sessions.backend
    with TestClient(processes_app) as client:
        ids = [create(client, width) for width in range(1, 5)]
        for sid in ids:
            assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 2}).status_code == 200
        victim = backend.pid_of(ids[0])
        doomed = [sid for sid in ids if backend.pid_of(sid) == victim]
        spared = [sid for sid in ids if backend.pid_of(sid) != victim]
        assert doomed and spared

        with client.websocket_connect(f"/api/sessions/{doomed[0]}/stream") as ws:
            assert ws.receive_json()["type"] == "frame"
            ws.receive_bytes()
            ws.send_json({"type": "play"})
            os.kill(victim, signal.SIGKILL)
            message = ws.receive()
            while message["type"] != "websocket.close":  # frames sent before the worker died
                message = ws.receive()
        assert message["code"] == 1011 and "lost" in message["reason"]

        for sid in doomed:
            for r in (client.get(f"/api/sessions/{sid}"), client.post(f"/api/sessions/{sid}/train", json={"epochs": 1}),
                      client.get(f"/api/sessions/{sid}/weights")):
                assert r.status_code == 410 and "worker process" in r.json()["detail"], r.text
        with client.websocket_connect(f"/api/sessions/{doomed[-1]}/stream") as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == 1011

        for sid in spared:
            r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 1})
            assert r.status_code == 200 and r.json()["epoch"] == 3
        assert client.get("/api/health").status_code == 200

        deadline = time.monotonic() + 30  # a new worker takes the dead one's place
        while len([w for w in backend.workers() if w.alive]) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert backend.restarts == 1 and victim not in [w.pid for w in backend.workers()]
        fresh = [create(client, width) for width in range(5, 9)]
        assert {backend.pid_of(sid) for sid in fresh} == {w.pid for w in backend.workers()}
        for sid in fresh:
            assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 1}).json()["epoch"] == 1

        assert client.delete(f"/api/sessions/{doomed[0]}").status_code == 204  # a lost session can be forgotten
        assert client.get(f"/api/sessions/{doomed[0]}").status_code == 404
