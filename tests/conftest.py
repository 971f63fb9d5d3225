import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
# Every request of a test run comes from one address, standing for many users: lift the per-client limit.
MANY_CLIENTS = {"max_sessions_per_client_per_minute": 100_000}


@pytest.fixture(scope="session")
def app():
    return create_app(get_settings().model_copy(update=MANY_CLIENTS))


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def run_in_thread(coro: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run`` in a thread of its own: Playwright's sync API leaves an event loop running in the main
    thread once the browser tests have run, and ``asyncio.run`` refuses to nest."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture
def run_async() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    return run_in_thread


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(**env: str) -> Iterator[str]:
    """Run ``python -m app`` on a free loopback port, as a user runs it, with ``TP_*`` settings from ``env``.

    Its output goes to a file, not a pipe: nobody reads a pipe during the test, and a full one would stall it.
    """
    port = free_port()
    env = {**os.environ, "TP_HOST": "127.0.0.1", "TP_PORT": str(port),
           "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": str(MANY_CLIENTS["max_sessions_per_client_per_minute"]), **env}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-4000:]

        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited: {output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start within 60 s: {output()}")
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


@pytest.fixture(scope="session")
def live_server():
    """The app served by uvicorn on 127.0.0.1 (shared by the browser, fault and load tests)."""
    with serve() as url:
        yield url
