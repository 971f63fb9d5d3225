"""Saved runs survive a killed server: SIGKILL during a burst of saves, then every save the server had
acknowledged reads back whole after a restart, and SQLite's own integrity check passes on the file."""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.devserver import ROOT, free_port

OWNER = {"X-Owner-Token": "crash-test-" + "d" * 32}
START_TIMEOUT = 240  # seconds: the machine's cores are shared, and start-up imports TensorFlow


def start(data_dir: Path) -> tuple[subprocess.Popen, str, object]:
    port = free_port()
    env = {**os.environ, "TP_HOST": "127.0.0.1", "TP_PORT": str(port), "TP_DATA_DIR": str(data_dir),
           "TP_BACKEND": "inprocess", "TP_PREWARM": "false", "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": "100000"}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')[-3000:]}")
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                return proc, url, log
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start within {START_TIMEOUT} s")


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_every_acknowledged_save_survives_sigkill_mid_burst(data_dir):
    proc, url, log = start(data_dir)
    acknowledged: dict[str, str] = {}
    stop = threading.Event()
    try:
        sid = httpx.post(url + "/api/sessions", json={"hidden_layers": [3]}).json()["id"]
        httpx.post(f"{url}/api/sessions/{sid}/train", json={"epochs": 20}, timeout=60)

        def burst(worker: int) -> None:
            n = 0
            with httpx.Client(timeout=30) as client:
                while not stop.is_set():
                    name = f"w{worker}-{n}"
                    try:
                        r = client.post(url + "/api/runs", json={"session_id": sid, "name": name}, headers=OWNER)
                    except httpx.HTTPError:
                        return  # the server is gone: this save was never acknowledged
                    if r.status_code == 201:
                        acknowledged[r.json()["id"]] = name
                    n += 1

        threads = [threading.Thread(target=burst, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-burst: other saves are in flight
        proc.wait(30)
        stop.set()
        for t in threads:
            t.join(60)
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
        log.close()
    assert len(acknowledged) >= 40

    database = data_dir / "runs.db"
    with sqlite3.connect(database) as db:  # opening it replays the write-ahead log, as the server will
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    proc, url, log = start(data_dir)
    try:
        for run_id, name in acknowledged.items():
            r = httpx.get(f"{url}/api/runs/{run_id}", timeout=30)
            assert r.status_code == 200, (run_id, r.text)
            assert r.json()["name"] == name and r.json()["epoch"] == 20
        listed = httpx.get(url + "/api/runs", params={"limit": 100}).json()
        assert listed["total"] >= len(acknowledged)
        # a save that was not acknowledged is absent or whole: every stored run reads back in full
        offset = 0
        while offset < listed["total"]:
            page = httpx.get(url + "/api/runs", params={"limit": 100, "offset": offset}).json()
            for run in page["runs"]:
                assert httpx.get(f"{url}/api/runs/{run['id']}/weights", timeout=30).status_code == 200
            offset += 100
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
