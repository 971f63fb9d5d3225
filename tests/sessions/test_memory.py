"""Start-up objects are frozen once per process, so a full garbage collection no longer walks them."""

import subprocess
import sys
import textwrap

from app.main import ROOT


def run_fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter (this test process may have frozen objects already) and return
    what it printed."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_settle_memory_once_freezes_a_process_once():
    first, second, frozen = run_fresh("""
        import gc
        from app.sessions.memory import settle_memory_once
        kept = [[i] for i in range(50_000)]
        print(settle_memory_once(), settle_memory_once(), gc.get_freeze_count() >= 50_000)
    """)
    assert (first, second, frozen) == ("True", "False", "True")


def test_the_web_process_freezes_its_start_up_objects_when_the_app_starts():
    before, after = run_fresh("""
        import gc
        from fastapi.testclient import TestClient
        from tests.apps import in_process_app
        app = in_process_app(prewarm=False)
        print(gc.get_freeze_count())
        with TestClient(app) as client:
            assert client.get("/api/health").status_code == 200
            print(gc.get_freeze_count())
    """)
    # TensorFlow alone leaves far more than this many objects in the web process
    assert int(before) == 0 and int(after) > 100_000
