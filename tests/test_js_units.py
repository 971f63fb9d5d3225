"""Runs the JavaScript unit tests (``node --test tests/js/``) so the one pytest command covers them too."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_js_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the JavaScript unit tests need Node.js 20+ (apt-get install nodejs)")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
