"""Run the app as a user does (``python -m app``) on a free loopback port: for tests and benchmarks only (it
needs httpx, a test dependency, so it lives beside the tests rather than in the app package)."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict[str, str] | None = None, *, start_timeout: float = 180.0) -> Iterator[str]:
    """Yield the base URL of a server started with ``TP_*`` settings from ``env``; stop it afterwards.

    Raises ``RuntimeError`` with the server's output if it exits or does not answer ``/api/health`` in
    time. Its output goes to a file, not a pipe: nobody reads a pipe meanwhile, and a full one would stall it.
    """
    port = free_port()
    env = {**os.environ, "TP_HOST": "127.0.0.1", "TP_PORT": str(port), **(env or {})}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-4000:]

        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + start_timeout
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited: {output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start within {start_timeout:.0f} s: {output()}")
                try:
                    if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
