"""Saved runs: save and open latency with many runs stored, and database bytes per run.

    .venv/bin/python bench/runs_store.py                     # SQLite in a temporary data directory
    .venv/bin/python bench/runs_store.py --database-url postgresql+psycopg://...

Through the real routes (in-process app, in-process sessions): a save is ``POST /api/runs`` (the session's
state is gathered, encoded and written), an open is what ``/runs/{id}`` asks for: ``GET /api/runs/{id}`` and
``POST /api/runs/{id}/sessions`` (the run read back and continued as a new session). The saved session
is the default network after 100 training calls of 5 epochs (101 history points), as a played run has.
Figures are printed, not asserted: the machine is shared and noisy.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings  # noqa: E402
from app.main import create_app  # noqa: E402

OWNER = {"X-Owner-Token": "bench-" + "e" * 32}


def percentiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {q[18] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000, help="runs stored before measuring")
    parser.add_argument("--samples", type=int, default=100, help="saves and opens measured")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="tp-bench-runs-"))
    settings = get_settings().model_copy(update={
        "backend": "inprocess", "prewarm": False, "data_dir": data_dir, "database_url": args.database_url,
        "max_runs": args.runs + 2 * args.samples, "max_runs_per_owner": args.runs + 2 * args.samples,
        "max_sessions_per_client_per_minute": 1_000_000})
    with TestClient(create_app(settings)) as client:
        sid = client.post("/api/sessions", json={"seed": 2}).json()["id"]
        for _ in range(100):
            client.post(f"/api/sessions/{sid}/train", json={"epochs": 5})

        def save() -> str:
            r = client.post("/api/runs", json={"session_id": sid, "name": "bench run", "note": "n"}, headers=OWNER)
            assert r.status_code == 201, r.text
            return r.json()["id"]

        started = time.perf_counter()
        ids = [save() for _ in range(args.runs)]
        fill = time.perf_counter() - started

        saves = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            ids.append(save())
            saves.append(time.perf_counter() - t0)
        reads, opens = [], []
        for run_id in ids[: args.samples]:
            t0 = time.perf_counter()
            assert client.get(f"/api/runs/{run_id}").status_code == 200
            reads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            r = client.post(f"/api/runs/{run_id}/sessions")
            opens.append(time.perf_counter() - t0)
            assert r.status_code == 201, r.text
            client.delete(f"/api/sessions/{r.json()['id']}")
        t0 = time.perf_counter()
        client.get("/api/runs", params={"limit": 50})
        listing = time.perf_counter() - t0

        store = client.app.state.runs
        stored = store.list()[0]
        if store.engine.url.get_backend_name() == "sqlite":
            with store.engine.connect() as conn:  # fold the write-ahead log into the file before measuring it
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            size = (data_dir / "runs.db").stat().st_size
        else:
            with store.engine.connect() as conn:
                size = conn.exec_driver_sql("SELECT pg_total_relation_size('runs')").scalar()

    print(f"command: {' '.join(sys.argv)}")
    print(f"database: {settings.resolved_database_url.split('?')[0]}")
    print(f"filled {args.runs} runs in {fill:.1f} s; {stored} stored while measuring")
    print(f"save (POST /api/runs), {args.samples} saves:          {percentiles(saves)}")
    print(f"read (GET /api/runs/{{id}}), {args.samples} reads:       {percentiles(reads)}")
    print(f"open (POST /api/runs/{{id}}/sessions), {args.samples}:   {percentiles(opens)}")
    print(f"list (GET /api/runs, 50 of {stored}):        {listing * 1000:.1f} ms")
    print(f"database bytes per run: {size / stored:,.0f} ({size / 1e6:.1f} MB for {stored} runs)")


if __name__ == "__main__":
    main()
