"""A server told to stop (SIGTERM, as ``docker stop`` and systemd do) closes every open stream with code 1012,
"service restart" (RFC 6455 section 7.4.1), so a page can tell a restart from a lost connection, and then exits
after its own shutdown. uvicorn's WebSocket protocol sends that code itself when it shuts down; this pins it for ours."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.devserver import ROOT, free_port

SERVICE_RESTART = 1012
START_TIMEOUT = 240  # seconds: the machine's cores are shared, and start-up imports TensorFlow


class ServerProcess:
    """``python -m app`` on a port and data directory of its own, which a test stops with a signal and starts
    again on the same port (a page open on it then reaches the new server)."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> str:
        env = {**os.environ, "TP_HOST": "127.0.0.1", "TP_PORT": str(self.port), "TP_DATA_DIR": str(self.data_dir),
               "TP_BACKEND": "inprocess", "TP_PREWARM": "false", "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": "100000"}
        self.proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not start within {START_TIMEOUT} s: {self.output()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Send ``sig`` and wait for the exit; its return code."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


@pytest.fixture
def server(tmp_path):
    process = ServerProcess(tmp_path / "data")
    process.start()
    yield process
    process.close()


def test_sigterm_closes_a_playing_stream_with_service_restart_and_exits_cleanly(server):
    sid = httpx.post(server.url + "/api/sessions", json={"hidden_layers": [3]}).json()["id"]
    with connect(f"ws://127.0.0.1:{server.port}/api/sessions/{sid}/stream", open_timeout=30) as ws:
        assert json.loads(ws.recv(timeout=60))["type"] == "frame"
        ws.send(json.dumps({"type": "play", "pace": None}))  # mid-training, as in a lesson
        for _ in range(6):
            ws.recv(timeout=60)
        server.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        with pytest.raises(ConnectionClosed):  # frames until the close, then the close itself
            while time.monotonic() < deadline:
                ws.recv(timeout=30)
        assert ws.close_code == SERVICE_RESTART, (ws.close_code, ws.close_reason)
    # uvicorn re-raises the signal once shut down, so a supervisor sees why the process ended; the app's own
    # shutdown (sessions dropped, the run store closed) ran first.
    assert server.proc.wait(30) == -signal.SIGTERM, server.output()
    assert "Application shutdown complete" in server.output()
