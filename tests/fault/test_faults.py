"""Faults against a real server (uvicorn on loopback): divergence, deletion mid-stream, health under load.

Each test is bounded in time; clients run concurrently with asyncio, as many browser tabs would.
"""

import asyncio
import json
import math
import statistics
import time

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

DIVERGING = {"dataset": "plane", "loss": "mse", "hidden_layers": [8, 8], "activation": "relu",
             "learning_rate": 10, "seed": 3}
STEADY = {"dataset": "circle", "hidden_layers": [4, 2], "seed": 5}
CLOSE_NOT_FOUND = 4404


async def create(http: httpx.AsyncClient, config: dict) -> str:
    r = await http.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def train(http: httpx.AsyncClient, sid: str, epochs: int) -> httpx.Response:
    return await http.post(f"/api/sessions/{sid}/train", json={"epochs": epochs})


async def steady_history(http: httpx.AsyncClient, calls: int, other: str | None = None) -> list:
    """Train a fresh STEADY session ``calls`` times, while ``other`` (if given) diverges alongside."""
    sid = await create(http, STEADY)

    async def steady() -> None:
        for _ in range(calls):
            r = await train(http, sid, 20)
            assert r.status_code == 200 and r.json()["status"] == "idle", r.text

    async def diverge() -> None:
        r = await train(http, other, 50)
        assert r.status_code == 200 and r.json()["status"] == "diverged", r.text

    await asyncio.gather(steady(), *([diverge()] if other else []))
    return (await http.get(f"/api/sessions/{sid}/history")).json()


@pytest.mark.timeout(90)
def test_a_diverging_session_recovers_and_leaves_a_concurrent_session_untouched(live_server, run_async):
    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
            alone = await steady_history(http, 6)
            bad = await create(http, DIVERGING)
            beside = await steady_history(http, 6, other=bad)
            assert beside == alone  # seeded training is bit-identical: the neighbour changed nothing

            state = (await http.get(f"/api/sessions/{bad}")).json()
            assert state["status"] == "diverged" and "learning rate" in state["message"]
            assert all(v is None or math.isfinite(v) for v in (state["train_loss"], state["test_loss"]))
            assert (await train(http, bad, 1)).status_code == 409
            r = await http.patch(f"/api/sessions/{bad}", json={"learning_rate": 0.001})
            assert r.status_code == 200 and r.json()["status"] == "idle"
            after = (await train(http, bad, 20)).json()
            assert after["status"] == "idle" and after["epoch"] == state["epoch"] + 20
            assert math.isfinite(after["train_loss"]) and math.isfinite(after["test_loss"])

    run_async(scenario())


async def next_frame(ws) -> dict:
    header = json.loads(await ws.recv())
    assert header["type"] == "frame", header
    assert len(await ws.recv()) == header["bytes"]
    return header


async def closed_with(ws, seconds: float = 10) -> ConnectionClosed:
    """Read (and drop) messages until the server closes the stream; fail if it does not within ``seconds``."""
    async def drain() -> None:
        while True:
            await ws.recv()

    with pytest.raises(ConnectionClosed) as e:
        await asyncio.wait_for(drain(), seconds)
    return e.value


@pytest.mark.timeout(60)
def test_deleting_a_playing_session_closes_its_stream_with_4404(live_server, run_async):
    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
            sid = await create(http, STEADY)
            ws_url = live_server.replace("http", "ws", 1) + f"/api/sessions/{sid}/stream"
            async with connect(ws_url) as ws:
                await next_frame(ws)
                await ws.send(json.dumps({"type": "play"}))
                for _ in range(3):
                    assert (await next_frame(ws))["playing"]
                assert (await http.delete(f"/api/sessions/{sid}")).status_code == 204
                closed = await closed_with(ws)
            assert closed.rcvd is not None and closed.rcvd.code == CLOSE_NOT_FOUND
            assert closed.rcvd.reason == "Session not found"
            assert (await http.get(f"/api/sessions/{sid}")).status_code == 404
            assert (await http.get("/api/health")).status_code == 200

    run_async(scenario())


@pytest.mark.timeout(60)
def test_deleting_a_paused_session_closes_its_stream_at_the_next_command(live_server, run_async):
    """A paused stream sends nothing on its own, so it learns of the deletion with the tab's next command."""
    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
            sid = await create(http, STEADY)
            ws_url = live_server.replace("http", "ws", 1) + f"/api/sessions/{sid}/stream"
            async with connect(ws_url) as ws:
                await next_frame(ws)
                assert (await http.delete(f"/api/sessions/{sid}")).status_code == 204
                await ws.send(json.dumps({"type": "step"}))
                closed = await closed_with(ws)
            assert closed.rcvd is not None and closed.rcvd.code == CLOSE_NOT_FOUND

    run_async(scenario())


@pytest.mark.timeout(120)
def test_health_stays_fast_while_20_sessions_train(live_server, run_async):
    seconds, sessions = 8.0, 20

    async def scenario() -> tuple[list[float], list[int]]:
        limits = httpx.Limits(max_connections=sessions + 5)
        async with httpx.AsyncClient(base_url=live_server, timeout=30, limits=limits) as http:
            ids = [await create(http, {**STEADY, "seed": i}) for i in range(sessions)]
            await asyncio.gather(*(train(http, sid, 1) for sid in ids))  # compiled and warm
            stop = time.monotonic() + seconds
            latencies: list[float] = []

            async def keep_training(sid: str) -> int:
                calls = 0
                while time.monotonic() < stop:
                    r = await train(http, sid, 200)
                    assert r.status_code == 200, r.text
                    calls += 1
                return calls

            async def probe() -> None:
                while time.monotonic() < stop:
                    started = time.perf_counter()
                    r = await http.get("/api/health")
                    latencies.append(time.perf_counter() - started)
                    assert r.status_code == 200
                    await asyncio.sleep(0.02)

            *calls, _ = await asyncio.gather(*(keep_training(sid) for sid in ids), probe())
            for sid in ids:
                await http.delete(f"/api/sessions/{sid}")
            return latencies, calls

    latencies, calls = run_async(scenario())
    p99 = statistics.quantiles(latencies, n=100)[98]
    print(f"\n/api/health while {sessions} sessions train: {len(latencies)} probes, "
          f"median {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms; train calls per session {min(calls)}-{max(calls)}")
    assert len(latencies) >= 100
    assert min(calls) >= 2, "every session kept training"
    assert p99 < 0.2
