"""Apps for tests that call them in-process (``TestClient``): sessions live in the test's own process (the
in-process backend), so a test sees its own engine. The served app that browser, fault and load tests
talk to (``live_server``) runs on the defaults, worker processes included."""

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from app.config import get_settings
from app.main import create_app

# Every request of a test run comes from one address, standing for many users: lift the per-client limit.
MANY_CLIENTS = {"max_sessions_per_client_per_minute": 100_000}
# The host name the test client sends (``TestClient``'s default base URL is http://testserver).
TEST_HOST = {"allowed_hosts": ["testserver"]}

# Where the sessions of the API tests' shared ``app`` fixture live: "inprocess" (the default) or "ray" (host
# actors of one local Ray cluster, tests/ray_cluster.py); `make test` runs a chosen set of files once with "ray".
TEST_BACKEND = os.environ.get("TP_TEST_BACKEND", "inprocess")
if TEST_BACKEND not in ("inprocess", "ray"):
    raise ValueError(f"TP_TEST_BACKEND={TEST_BACKEND!r}. Expected one of: inprocess, ray")


def not_under_ray(reason: str) -> pytest.MarkDecorator:
    """Skips a test, saying why, in the pass whose sessions live in Ray host actors."""
    return pytest.mark.skipif(TEST_BACKEND == "ray", reason=f"TP_TEST_BACKEND=ray: {reason}")


def in_process_app(**settings: Any) -> FastAPI:
    # saved runs go to a database of the app's own, not to the worktree's data directory
    data_dir = Path(tempfile.mkdtemp(prefix="tp-test-data-"))
    return create_app(get_settings().model_copy(
        update={"backend": "inprocess", "data_dir": data_dir, **TEST_HOST, **settings}))
