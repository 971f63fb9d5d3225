"""A Ray node that goes down, with the host actor on it, costs only the sessions that host held: they answer
410 (REST) and close their stream with 1011, sessions on the other host keep training and streaming, and the
directory starts a new host in the dead one's place."""

import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.ray.conftest import LOOPBACK, NEEDS_RAY

ray = pytest.importorskip("ray", reason=NEEDS_RAY)

pytestmark = pytest.mark.timeout(240)

SMALL = {"dataset": "xor", "num_samples": 80}


def create(client, width: int) -> str:
    """A session whose network has its own width, so sessions spread over the hosts."""
    r = client.post("/api/sessions", json={**SMALL, "hidden_layers": [width]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_losing_a_node_costs_only_the_sessions_of_its_host(ray_apps, ray_cluster):
    app = ray_apps.app()
    backend = app.state.sessions.backend
    with TestClient(app) as client:
        ids = [create(client, width) for width in range(1, 5)]
        for sid in ids:
            assert client.post(f"/api/sessions/{sid}/train", json={"epochs": 2}).status_code == 200
        node_of = {sid: client.portal.call(backend.node_of, sid) for sid in ids}
        workers = {node.node_id: node for node in ray_cluster.worker_nodes}
        victim = next(n for n in node_of.values() if n in workers)  # never the head: the cluster lives there
        doomed = [sid for sid in ids if node_of[sid] == victim]
        spared = [sid for sid in ids if node_of[sid] != victim]
        assert doomed and spared

        with client.websocket_connect(f"/api/sessions/{doomed[0]}/stream") as ws:
            assert ws.receive_json()["type"] == "frame"
            ws.receive_bytes()
            ws.send_json({"type": "play"})
            ray_cluster.remove_node(workers[victim], allow_graceful=False)
            message = ws.receive()
            while message["type"] != "websocket.close":  # frames sent before the host died
                message = ws.receive()
        assert message["code"] == 1011 and "lost" in message["reason"]

        for sid in doomed:
            for r in (client.get(f"/api/sessions/{sid}"), client.post(f"/api/sessions/{sid}/train", json={"epochs": 1}),
                      client.get(f"/api/sessions/{sid}/weights")):
                assert r.status_code == 410 and r.json()["code"] == "session_lost", r.text
        with client.websocket_connect(f"/api/sessions/{doomed[-1]}/stream") as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == 1011
        with TestClient(ray_apps.app()) as other:  # a server that never saw them hears the same from the cluster
            for sid in doomed:
                r = other.get(f"/api/sessions/{sid}")
                assert r.status_code == 410 and r.json()["code"] == "session_lost", r.text
            assert other.get(f"/api/sessions/{spared[0]}").status_code == 200

        for sid in spared:
            r = client.post(f"/api/sessions/{sid}/train", json={"epochs": 1})
            assert r.status_code == 200 and r.json()["epoch"] == 3
            with client.websocket_connect(f"/api/sessions/{sid}/stream") as ws:
                assert ws.receive_json()["epoch"] == 3
                ws.receive_bytes()
                ws.send_json({"type": "step"})
                assert ws.receive_json()["epoch"] == 4

        stats = client.portal.call(backend.stats)
        assert stats["replaced"] == 1 and len(stats["hosts"]) == 2, stats
        deadline = time.monotonic() + 90  # the replacement starts (TensorFlow's import) and takes sessions
        while time.monotonic() < deadline:
            ids = [create(client, width) for width in range(21, 25)]
            if len({backend.host_of(sid) for sid in ids}) == 2:
                break
            time.sleep(1)
        assert len({backend.host_of(sid) for sid in ids}) == 2
    deadline = time.monotonic() + 60  # the cluster knows the node is gone: nothing more is placed on it
    while any(n["NodeID"] == victim and n["Alive"] for n in ray.nodes()) and time.monotonic() < deadline:
        time.sleep(0.5)
    ray_cluster.add_node(**LOOPBACK)  # the next tests get three nodes again
