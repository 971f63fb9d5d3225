"""Custom data figures: time from "add a point" (POST /api/datasets, then the stream's ``set``) to the first
frame trained on the new points, on a seen network, through the real server; and, in this process, what the
engine pays for a new training-set size in graph mode (what custom data trains in) and under XLA.

Run: .venv/bin/python bench/custom_data.py [--adds 40] [--points 100] [--backend inprocess|processes]
It starts the app on a free loopback port (or uses --url http://127.0.0.1:PORT) and only talks to it.
Figures are printed, not asserted.
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import websockets  # noqa: E402

from tests import devserver  # noqa: E402

NETWORK = {"hidden_layers": [8, 8], "activation": "tanh", "batch_size": 10, "learning_rate": 0.03}


def blobs(n: int, seed: int = 0) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, (n, 2)).round(3)
    return [[float(a), float(b), int(a * b > 0)] for a, b in x]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


async def frames(ws):
    """Frame headers as they come (their bytes read and dropped)."""
    while True:
        message = json.loads(await ws.recv())
        if message.get("type") == "frame":
            await ws.recv()
            yield message
        elif message.get("type") == "error":
            raise RuntimeError(message["detail"])


async def add_points(base: str, adds: int, start: int, *, inline: bool = False) -> None:
    ws_url = base.replace("http://", "ws://")
    points = blobs(start + adds)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        dataset = (await http.post("/api/datasets", json={"points": points[:start]})).json()
        r = await http.post("/api/sessions", json={"dataset": "custom", "dataset_id": dataset["id"], **NETWORK})
        r.raise_for_status()
        sid = r.json()["id"]
        async with websockets.connect(f"{ws_url}/api/sessions/{sid}/stream", max_size=None) as ws:
            stream = frames(ws)
            await anext(stream)
            await ws.send(json.dumps({"type": "play", "pace": None}))
            warm_until = time.perf_counter() + 3  # the network is seen: its functions are traced
            while time.perf_counter() < warm_until:
                await anext(stream)
            totals, posts = [], []
            for i in range(1, adds + 1):
                started = time.perf_counter()
                if inline:  # one message: the points in the change itself
                    changes = {"dataset": "custom", "points": points[:start + i]}
                else:
                    dataset = (await http.post("/api/datasets", json={"points": points[:start + i]})).json()
                    changes = {"dataset": "custom", "dataset_id": dataset["id"]}
                posted = time.perf_counter()
                await ws.send(json.dumps({"type": "set", "changes": changes}))
                async for header in stream:
                    if header["n_train"] + header["n_test"] == start + i and header["epoch"] > 0:
                        break
                totals.append((time.perf_counter() - started) * 1000)
                posts.append((posted - started) * 1000)
                await asyncio.sleep(0.05)  # a learner clicks, not a loop
            await ws.send(json.dumps({"type": "pause"}))
    how = "set with the points inline" if inline else "POST /api/datasets + set"
    print(f"add a point → first frame trained on it, {how} ({adds} adds, {start}→{start + adds} points, hidden "
          f"{NETWORK['hidden_layers']}, playing at full speed):")
    print(f"  p50 {statistics.median(totals):.1f} ms, p95 {percentile(totals, 95):.1f} ms, max {max(totals):.1f} ms"
          + ("" if inline else f" (of which the POST: p50 {statistics.median(posts):.1f} ms, "
                               f"p95 {percentile(posts, 95):.1f} ms)"))


def engine_sizes(n: int = 200, sizes: int = 5) -> None:
    """A new training-set size: the first call in graph mode (custom data) and under XLA (built-in data)."""
    import tensorflow as tf

    from app.engine.session import TrainingSession
    from app.engine.spec import TrainingSpec
    from app.engine.trainer import TRAINERS

    points = blobs(n + sizes)
    session = TrainingSession(TrainingSpec(dataset="custom", points=tuple(map(tuple, points[:n])),
                                           hidden_layers=tuple(NETWORK["hidden_layers"])))
    session.train(1)
    graph, xla = [], []
    for k in range(1, sizes + 1):
        session.update(points=tuple(map(tuple, points[:n + k])))
        started = time.perf_counter()
        session.train(10)
        graph.append((time.perf_counter() - started) * 1000)
        arch = replace(session.architecture, jit_compile=True)
        inputs = session._inputs(10, session._live_tensors())
        started = time.perf_counter()
        TRAINERS.get(arch)(inputs)
        xla.append((time.perf_counter() - started) * 1000)
    print(f"engine, a new training-set size ({n}+ points), first call of 10 epochs: graph mode p50 "
          f"{statistics.median(graph):.0f} ms; XLA p50 {statistics.median(xla):.0f} ms (a compile per size)")
    arch = replace(session.architecture, jit_compile=True)
    inputs = session._inputs(200, session._live_tensors())
    for label, fn in (("graph mode", TRAINERS.get(session.architecture)), ("XLA", TRAINERS.get(arch))):
        fn(inputs)
        started = time.perf_counter()
        for _ in range(5):
            tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, fn(inputs))
        per_epoch = (time.perf_counter() - started) / 1000
        print(f"  steady state, {label}: {1 / per_epoch:,.0f} epochs/s ({session.spec.n_train} training points)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--adds", type=int, default=40)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--backend", choices=["inprocess", "processes"], default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--no-engine", action="store_true", help="skip the in-process engine figures")
    args = parser.parse_args()
    print(f"command: python bench/custom_data.py {' '.join(sys.argv[1:])}".rstrip())
    async def both(base: str) -> None:
        await add_points(base, args.adds, args.points)
        await add_points(base, args.adds, args.points, inline=True)

    if args.url:
        asyncio.run(both(args.url))
    else:
        env = {"TP_MAX_UPLOADS_PER_CLIENT_PER_MINUTE": "100000", **({"TP_BACKEND": args.backend} if args.backend else {})}
        with devserver.serve(env) as base:
            asyncio.run(both(base))
    if not args.no_engine:
        engine_sizes()


if __name__ == "__main__":
    main()
