"""Two web apps on one Ray cluster share sessions: created through one, read, trained and streamed through the
other, with the numbers and the frames a single in-process server gives; new sessions spread over the hosts
and the nodes; the cluster-wide session limit holds when both apps create at once."""

import asyncio
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.apps import in_process_app
from tests.ray.conftest import NEEDS_RAY, RayApps

ray = pytest.importorskip("ray", reason=NEEDS_RAY)
from app.sessions.ray_backend import DIRECTORY  # noqa: E402
from tests.conftest import run_in_thread as run  # after the browser tests a loop runs in the main thread

pytestmark = pytest.mark.timeout(240)

SMALL = {"dataset": "xor", "num_samples": 80, "seed": 3}


def create(client, **config) -> str:
    r = client.post("/api/sessions", json={**SMALL, **config})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def stream_steps(client, session_id: str, steps: int) -> list[tuple[dict, bytes]]:
    """The connect frame, then one frame per step: each frame's header and heatmap bytes."""
    frames = []
    with client.websocket_connect(f"/api/sessions/{session_id}/stream") as ws:
        for i in range(steps + 1):
            if i:
                ws.send_json({"type": "step"})
            header = ws.receive_json()
            assert header["type"] == "frame", header
            frames.append((header, ws.receive_bytes()))
    return frames


def comparable(header: dict) -> dict:
    """A frame's numbers, without what depends on the machine's speed."""
    return {k: v for k, v in header.items() if k not in ("epochs_per_second", "seconds")}


@pytest.fixture(scope="module")
def two_apps(ray_apps):
    a, b = ray_apps.app(), ray_apps.app()
    with TestClient(a) as ca, TestClient(b) as cb:
        yield ca, cb


def test_a_session_created_on_one_app_trains_and_streams_on_the_other_bit_identically(two_apps):
    ca, cb = two_apps
    sid = create(ca, hidden_layers=[4, 2])
    trained = cb.post(f"/api/sessions/{sid}/train", json={"epochs": 5})
    assert trained.status_code == 200 and trained.json()["epoch"] == 5
    shared = stream_steps(cb, sid, 3)
    assert ca.get(f"/api/sessions/{sid}").json()["epoch"] == 8  # the other app sees what this one trained

    with TestClient(in_process_app(jit_compile=False)) as single:
        ref = create(single, hidden_layers=[4, 2])
        assert single.post(f"/api/sessions/{ref}/train", json={"epochs": 5}).json() == {**trained.json(), "id": ref}
        alone = stream_steps(single, ref, 3)
    assert [comparable(h) for h, _ in shared] == [comparable(h) for h, _ in alone]
    assert [data for _, data in shared] == [data for _, data in alone]  # the heatmaps, byte for byte
    assert cb.get(f"/api/sessions/{sid}/weights").json() == ca.get(f"/api/sessions/{sid}/weights").json()


def test_a_session_deleted_on_one_app_is_soon_gone_on_the_other(two_apps):
    ca, cb = two_apps
    sid = create(ca)
    assert cb.get(f"/api/sessions/{sid}").status_code == 200
    assert ca.delete(f"/api/sessions/{sid}").status_code == 204
    deadline = time.monotonic() + 10  # the removal reaches the session's host as a message, in milliseconds
    while (r := cb.get(f"/api/sessions/{sid}")).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r.status_code == 404 and r.json()["code"] == "session_not_found"
    assert cb.get("/api/sessions/no-such-session").status_code == 404


def test_a_session_one_app_let_expire_lives_on_while_the_other_uses_it(two_apps):
    ca, cb = two_apps
    sid = create(ca)
    assert cb.get(f"/api/sessions/{sid}").status_code == 200

    def expire(client) -> None:
        manager = client.app.state.sessions
        manager._entries[sid].last_used -= manager.ttl_seconds + 1
        assert manager.reap() == [sid]

    expire(ca)  # idle on this server: it lets go, the other still holds it
    assert cb.post(f"/api/sessions/{sid}/train", json={"epochs": 1}).json()["epoch"] == 1
    assert ca.get(f"/api/sessions/{sid}").json()["epoch"] == 1  # and this one may take it on again
    expire(ca)
    expire(cb)  # the last holder lets go (messages on their way): the session is removed from the cluster
    directory = ray.get_actor(DIRECTORY, namespace=ca.app.state.settings.ray_namespace)
    deadline = time.monotonic() + 10
    while ray.get(directory.holders.remote(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ca.get(f"/api/sessions/{sid}").status_code == 404


def test_new_sessions_spread_over_the_hosts_and_their_nodes(two_apps):
    ca, cb = two_apps
    ids = [create(client, hidden_layers=[width]) for client, width in zip([ca, cb, ca, cb], range(11, 15))]
    backend = ca.app.state.sessions.backend
    for sid in ids:  # the sessions created through the other app too
        assert ca.get(f"/api/sessions/{sid}").status_code == 200
    hosts = {backend.host_of(sid) for sid in ids}
    nodes = {ca.portal.call(backend.node_of, sid) for sid in ids}
    assert len(hosts) == 2 and len(nodes) == 2, (hosts, nodes)  # two hosts, on two of the cluster's nodes


def create_at_once(ray_cluster, count: int, **settings) -> list[httpx.Response]:
    """``count`` creations at once, alternately through two apps of a namespace of their own (one host)."""
    apps = RayApps(ray_cluster, ray_hosts=1, **settings)
    a, b = apps.app(), apps.app()

    async def create_many() -> list[httpx.Response]:
        async with a.router.lifespan_context(a), b.router.lifespan_context(b):
            clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver")
                       for app in (a, b)]
            answers = await asyncio.gather(*(clients[i % 2].post("/api/sessions", json=SMALL) for i in range(count)))
            for c in clients:
                await c.aclose()
            return answers

    try:
        return run(create_many())
    finally:
        apps.close()


def test_max_sessions_holds_across_both_apps_creating_at_once(ray_cluster):
    answers = create_at_once(ray_cluster, 12, max_sessions=5)
    assert sorted(r.status_code for r in answers) == [201] * 5 + [503] * 7
    refused = next(r for r in answers if r.status_code == 503)
    assert refused.json()["code"] == "too_many_sessions" and int(refused.headers["Retry-After"]) >= 1


def test_a_clients_creation_rate_holds_across_both_apps(ray_cluster):
    answers = create_at_once(ray_cluster, 6, max_sessions_per_client_per_minute=4)
    assert sorted(r.status_code for r in answers) == [201] * 4 + [429] * 2
    refused = next(r for r in answers if r.status_code == 429)
    assert refused.json()["code"] == "too_many_new_sessions" and refused.json()["params"]["per_minute"] == 4


def test_a_session_is_deleted_through_a_server_that_never_saw_it(two_apps):
    ca, cb = two_apps
    sid = create(ca)
    assert cb.delete(f"/api/sessions/{sid}").status_code == 204  # no sticky load balancer: b never read it
    deadline = time.monotonic() + 10
    while ca.get(f"/api/sessions/{sid}").status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ca.get(f"/api/sessions/{sid}").status_code == 404
    assert cb.delete(f"/api/sessions/{sid}").status_code == 404
