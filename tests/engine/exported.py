"""Running an exported Keras script and reading the progress lines it prints."""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LINE = re.compile(r"^epoch\s+(\d+)/(\d+)\s+train loss (\S+)\s+test loss (\S+)\s+train (\w+) (\S+)\s+test \w+ (\S+)$")


@dataclass(frozen=True)
class Report:
    epoch: int
    epochs: int
    train_loss: float
    test_loss: float
    metric: str
    train_metric: float
    test_metric: float


def reports(output: str) -> list[Report]:
    found = []
    for line in output.splitlines():
        m = LINE.match(line.strip())
        if m:
            e, n, tl, vl, name, tm, vm = m.groups()
            found.append(Report(int(e), int(n), float(tl), float(vl), name, float(tm), float(vm)))
    return found


def run_in_process(text: str, capsys) -> list[Report]:
    """Runs the script here (Keras is imported already, so it costs no start-up)."""
    capsys.readouterr()
    exec(compile(text, "tensor_playground.py", "exec"), {"__name__": "__main__"})
    return reports(capsys.readouterr().out)


def run_with_python(text: str, tmp_path: Path) -> list[Report]:
    """Runs the script as a learner does: ``python tensor_playground.py``, away from this project's code."""
    path = tmp_path / "tensor_playground.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr[-4000:]
    return reports(done.stdout)
