"""Runs the JavaScript unit tests (``node --test tests/js/``) so the one pytest command covers them too.

The page builds its state table from ``/api/options``; the tests read the options of a real app from the file
named by ``TP_OPTIONS_JSON``, so they check the page's code against what the server serves."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def write_options(client, path: Path) -> Path:
    path.write_text(json.dumps(client.get("/api/options").json()))
    return path


def run_node(*args: str, options: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the JavaScript unit tests need Node.js 20+ (apt-get install nodejs)")
    return subprocess.run([node, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "TP_OPTIONS_JSON": str(options)})


def test_js_unit_tests_pass(client, tmp_path):
    result = run_node("--test", "tests/js/", options=write_options(client, tmp_path / "options.json"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
