"""Custom data figures: time from "add a point" (POST /api/datasets, then the stream's ``set``) to the first
frame trained on the new points, on a seen network, through the real server; and, in this process, what the
engine pays for a new training-set size in graph mode (what custom data trains in) and under XLA.

Run: .venv/bin/python bench/custom_data.py [--adds 40] [--points 100] [--backend inprocess|processes]
It starts the app on a free loopback port (or uses --url http://127.0.0.1:PORT) and only talks to it.

``--browser`` measures it as a learner meets it instead: Chromium (Playwright) plays the spiral at full pace,
a click adds a point, and the page's own clock says when the `set` left, when the frame trained on the point
arrived and when it was drawn. Several ``--url label=http://...`` (e.g. servers of two versions of the code)
are measured in turns within one run, ``--rounds`` of ``--adds`` points each, so they meet the same load:
  python bench/custom_data.py --browser --rounds 4 --adds 8 --url before=http://127.0.0.1:8001 \
      --url after=http://127.0.0.1:8002
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


def browser_adds(urls: dict[str, str], rounds: int, adds: int) -> None:
    """Clicks on the output of playing pages, one page per url in turns (the others paused meanwhile)."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.add_point_timing import SCRIPT, latencies, received
    from tests.browser.conftest import CHROMIUM
    from tests.browser.test_custom_data import _page_point
    from tests.browser.test_playground import DESKTOP, _epoch, _open, _wait_for

    spots = iter([(-5.5 + 0.5 * (i % 23), 5.5 - 0.5 * (i // 23)) for i in range(23 * 6)])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        pages, expected = {}, {}
        for label, url in urls.items():
            page = pages[label] = browser.new_page(viewport=DESKTOP)
            page.add_init_script(SCRIPT)
            _open(page, url + "/?dataset=spiral&pace=max")
            page.click("#pg-data-edit")
            expect(page.locator("#pg-data-count")).to_contain_text("500 of at most")
            # The first point moves the session from the spiral to custom data: later ones meet a seen network.
            page.mouse.click(*_page_point(page, *next(spots)))
            _wait_for(lambda: received(page, 501, 0), 30, "the first point")
            expected[label] = [501]
        for _ in range(rounds):
            for label, page in pages.items():
                page.click("#pg-play")
                epoch = _epoch(page)
                _wait_for(lambda: _epoch(page) > epoch + 20, 30, "play")
                page.wait_for_timeout(1000)
                for _ in range(adds):
                    rows = expected[label][-1] + 1
                    now = page.evaluate("performance.now()")
                    page.mouse.click(*_page_point(page, *next(spots)))
                    _wait_for(lambda: received(page, rows, now), 20, f"point {rows} trained on")
                    expected[label].append(rows)
                    page.wait_for_timeout(250)  # a learner clicks, not a loop
                page.click("#pg-play")
        print(f"add a point in the page → first frame trained on it (spiral 500 points, network 4,2, playing at full "
              f"pace; {rounds} rounds of {adds} points each, the pages in turns):")
        for label, page in pages.items():
            timing = page.evaluate("window.__timing")
            print("  " + latencies(timing, expected[label], skip=1).line(label))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--adds", type=int, default=40)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--backend", choices=["inprocess", "processes"], default=None)
    parser.add_argument("--url", action="append", default=None,
                        help="a server to measure (label=url with --browser, which takes several)")
    parser.add_argument("--browser", action="store_true", help="measure in Chromium (see above)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-engine", action="store_true", help="skip the in-process engine figures")
    args = parser.parse_args()
    print(f"command: python bench/custom_data.py {' '.join(sys.argv[1:])}".rstrip())
    async def both(base: str) -> None:
        await add_points(base, args.adds, args.points)
        await add_points(base, args.adds, args.points, inline=True)

    if args.browser:
        urls = dict(u.split("=", 1) if "=" in u else (u, u) for u in args.url or ())
        if urls:
            browser_adds(urls, args.rounds, args.adds)
        else:
            with devserver.serve({"TP_MAX_UPLOADS_PER_CLIENT_PER_MINUTE": "100000"}) as base:
                browser_adds({"this tree": base}, args.rounds, args.adds)
        return
    if args.url:
        asyncio.run(both(args.url[0]))
    else:
        env = {"TP_MAX_UPLOADS_PER_CLIENT_PER_MINUTE": "100000", **({"TP_BACKEND": args.backend} if args.backend else {})}
        with devserver.serve(env) as base:
            asyncio.run(both(base))
    if not args.no_engine:
        engine_sizes()


if __name__ == "__main__":
    main()
