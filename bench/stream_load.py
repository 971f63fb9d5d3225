"""Live-stream figures through the real server: time to the first frame (never-seen and seen networks),
frames/s and epochs/s on screen for C2 and for 1, 10, 50 and 100 playing default sessions and for 50 split over
5 networks, /api/health latency under that load, where the CPU went (this client, the web process, the
workers), and time to solve the spiral.

Run: .venv/bin/python bench/stream_load.py [--seconds 8] [--counts 1,10,50,100] [--mixed 50] [--load-only]
     [--backend processes,ray]
It starts the app on a free loopback port with ``TP_BACKEND`` set from ``--backend`` (or uses --url
http://127.0.0.1:PORT) and only talks to it; several backends, comma-separated, run one after the other
(``ray``: the app starts a local Ray of its own, on 127.0.0.1, with its default hosts).
Figures are printed, not asserted.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import websockets  # noqa: E402

from tests import devserver  # noqa: E402
# Adam at 0.003 with batches of 25: at 0.01 with batches of 10 the test loss levels off near 0.11.
# bench/train_throughput.py's C2 (250 training points, batch 10, SGD 0.03), here with a full frame each time.
C2 = {"dataset": "spiral", "hidden_layers": [8] * 6, "activation": "tanh"}
# --mixed: sessions dealt round-robin over five networks (the first is the default one).
NETWORKS = [{}, {"hidden_layers": [8, 8, 8]}, {"dataset": "xor", "hidden_layers": [6, 3]},
            {"activation": "relu", "hidden_layers": [5, 5]}, {"dataset": "gauss", "hidden_layers": [3]}]
SPIRAL = {"dataset": "spiral", "noise": 0, "features": ["x1", "x2"], "hidden_layers": [8, 8, 8],
          "activation": "tanh", "optimizer": "adam", "learning_rate": 0.003, "batch_size": 25}


@contextmanager
def server(url: str | None, backend: str | None = None):
    if url:
        yield url
        return
    # Every stream comes from this one address, standing for many users: lift the per-client limits.
    env = {"TP_MAX_SESSIONS": "500", "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": "1000",
           "TP_MAX_STREAMS_PER_CLIENT": "1000",
           **({"TP_BACKEND": backend} if backend else {})}
    started = time.perf_counter()
    with devserver.serve(env) as base:
        ready = time.perf_counter() - started
        time.sleep(20)  # the default network's background compiles (alone and, where the code has them, groups)
        count, mb = descendants_rss_mb()
        print(f"server: answering after {ready:.1f} s; idle, its {count} process(es) hold {mb:,.0f} MB resident")
        yield base


def descendants_rss_mb() -> tuple[int, float]:
    """How many processes descend from this one (the server and its workers), and their total RSS (Linux)."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return len(found), sum(rss[pid] for pid in found) / 2**20


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by this process (the load generator), the server it started and the server's
    children (the worker processes), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], cpu[pid] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
    web = {pid for pid, parent in parents.items() if parent == os.getpid()}
    workers = {pid for pid, parent in parents.items() if parent in web}
    return {"client": cpu.get(os.getpid(), 0.0), "web": sum(cpu[p] for p in web),
            "workers": sum(cpu[p] for p in workers)}


async def create(client: httpx.AsyncClient, config: dict) -> str:
    r = await client.post("/api/sessions", json=config)
    r.raise_for_status()
    return r.json()["id"]


def ws_url(base: str, sid: str) -> str:
    return base.replace("http://", "ws://") + f"/api/sessions/{sid}/stream"


async def frames(ws):
    """Yields frame headers (the binary part that follows each is read and dropped)."""
    while True:
        message = await ws.recv()
        if isinstance(message, str):
            header = json.loads(message)
            if header.get("type") == "frame":
                await ws.recv()
                yield header


async def play_for(base: str, sid: str, seconds: float) -> tuple[int, int]:
    async with websockets.connect(ws_url(base, sid), max_size=2**22) as ws:
        await ws.send(json.dumps({"type": "play"}))
        count, first_epoch, last_epoch = 0, None, 0
        end = time.monotonic() + seconds
        async for header in frames(ws):
            count += 1
            first_epoch = header["epoch"] if first_epoch is None else first_epoch
            last_epoch = header["epoch"]
            if time.monotonic() >= end:
                break
        await ws.send(json.dumps({"type": "pause"}))
        return count, last_epoch - (first_epoch or 0)


async def health_latencies(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    out = []
    while not stop.is_set():
        t = time.perf_counter()
        await client.get("/api/health")
        out.append(time.perf_counter() - t)
        await asyncio.sleep(0.05)
    return out


async def concurrent(base: str, n: int, seconds: float, networks: list[dict] = NETWORKS[:1]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        ids = [await create(client, networks[i % len(networks)]) for i in range(n)]
        stop = asyncio.Event()
        health = asyncio.create_task(health_latencies(client, stop))
        cpu_before, started = cpu_seconds(), time.perf_counter()
        results = await asyncio.gather(*[play_for(base, sid, seconds) for sid in ids])
        cpu_after, wall = cpu_seconds(), time.perf_counter() - started
        stop.set()
        lat = sorted(await health)
        fps = [c / seconds for c, _ in results]
        eps = [e / seconds for _, e in results]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
        label = f"{n:3d} sessions" + (f" over {len(networks)} networks" if len(networks) > 1 else "")
        busy = ", ".join(f"{k} {(cpu_after[k] - cpu_before[k]) / wall:.2f}" for k in cpu_after)
        print(f"{label}: frames/s per session min {min(fps):5.1f} median {statistics.median(fps):5.1f}; "
              f"epochs/s on screen per session median {statistics.median(eps):7.0f}; "
              f"health p99 {p99:.0f} ms; cores busy: {busy}", flush=True)
        for sid in ids:
            await client.delete(f"/api/sessions/{sid}")


async def on_screen(base: str, config: dict, seconds: float) -> str:
    """Frames/s and epochs/s on screen for one session of ``config``, once compiled and settled."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        sid = await create(client, config)
        await play_for(base, sid, 3.0)  # compile (in the background) and settle
        count, epochs = await play_for(base, sid, seconds)
        await client.delete(f"/api/sessions/{sid}")
    return f"{count / seconds:.1f} frames/s, {epochs / seconds:,.0f} epochs/s on screen"


async def first_frame(base: str, config: dict) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        sid = await create(client, config)
        async with websockets.connect(ws_url(base, sid), max_size=2**22) as ws:
            t = time.perf_counter()
            await ws.send(json.dumps({"type": "play"}))
            async for header in frames(ws):
                if header["epoch"] > 0:
                    return time.perf_counter() - t
    raise RuntimeError("stream ended")


async def time_to_solve(base: str, limit: float) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        sid = await create(client, SPIRAL)
        async with websockets.connect(ws_url(base, sid), max_size=2**22) as ws:
            t = time.perf_counter()
            await ws.send(json.dumps({"type": "play"}))
            best = float("inf")
            async for header in frames(ws):
                best = min(best, header["test_loss"] if header["test_loss"] is not None else best)
                elapsed = time.perf_counter() - t
                if header["test_loss"] is not None and header["test_loss"] < 0.1:
                    return f"test loss < 0.1 after {elapsed:.1f} s (epoch {header['epoch']})"
                if elapsed > limit:
                    return (f"not below 0.1 within {limit:.0f} s: best test loss {best:.3f}, "
                            f"epoch {header['epoch']}, test accuracy {header['metrics']['accuracy']:.3f}")
    raise RuntimeError("stream ended")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="an already running server (loopback)")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--counts", default="1,10,50,100")
    parser.add_argument("--mixed", type=int, default=50, help="sessions over the 5 NETWORKS (0: none)")
    parser.add_argument("--load-only", action="store_true", help="only the playing-sessions figures")
    parser.add_argument("--solve-limit", type=float, default=30.0)
    parser.add_argument("--idle", type=float, default=3.0, help="seconds to wait before each first-frame test")
    parser.add_argument("--backend", default="",
                        help="TP_BACKEND for the server it starts: inprocess, processes or ray, or several "
                             "comma-separated, run in turn (default: the environment's, else processes)")
    args = parser.parse_args()
    print(f"# {' '.join([Path(sys.executable).name, *sys.argv])}  (cores: {os.cpu_count()})")
    for backend in args.backend.split(",") if args.backend else [None]:
        if backend not in (None, "inprocess", "processes", "ray"):
            parser.error(f"--backend: unknown backend {backend!r}; expected inprocess, processes or ray")
        print(f"## backend: {backend or os.environ.get('TP_BACKEND', 'processes')}")
        await measure(args, backend)


async def measure(args: argparse.Namespace, backend: str | None) -> None:
    with server(args.url, backend) as base:
        if not args.load_only:
            await first_frames(base, args.idle)
            print("C2 spiral [8x6] tanh, one session:", await on_screen(base, C2, args.seconds))
        for n in [int(x) for x in args.counts.split(",") if x]:
            await concurrent(base, n, args.seconds)
        if args.mixed:
            await concurrent(base, args.mixed, args.seconds, NETWORKS)
        if not args.load_only:
            print("spiral (noise 0, x1 x2, [8, 8, 8] tanh, adam 0.003, batch 25):",
                  await time_to_solve(base, args.solve_limit))


async def first_frames(base: str, idle: float) -> None:
    # Networks this server has not seen, each on an otherwise idle server (earlier background compiles
    # done): five of a new kind (activation and depth: nothing traced yet), then five new widths of
    # those kinds, then the first five again.
    new_kinds = [{"hidden_layers": [random.randint(3, 9) for _ in range(random.randint(2, 4))],
                  "activation": activation} for activation in ("elu", "selu", "gelu", "swish", "softplus")]
    new_widths = [{**arch, "hidden_layers": [w + 1 for w in arch["hidden_layers"]]} for arch in new_kinds]
    timings = {}
    for label, archs in (("new kind", new_kinds), ("new widths", new_widths), ("seen", new_kinds)):
        timings[label] = []
        for arch in archs:
            await asyncio.sleep(idle)
            timings[label].append(await first_frame(base, arch))
    print("first frame after play (5 networks each):", "; ".join(
        f"{label} {statistics.median(t) * 1000:.0f} ms median (max {max(t) * 1000:.0f})"
        for label, t in timings.items()))


if __name__ == "__main__":
    asyncio.run(main())
