"""Load: learners calling the concept labs over HTTP, and playground tabs playing a session over WebSocket.

Headless and bounded, against a server you started (loopback only):

    .venv/bin/python -m locust -f tests/load/locustfile.py --headless -u 20 -r 20 -t 20s \\
        --host http://127.0.0.1:8000

``tests/load/test_load.py`` runs exactly this against its own server and checks the figures. Set
``TP_LOAD_REPORT`` to a path to get them as JSON: every request name's counts and latency percentiles, and each
stream user's frames per second.
"""

import itertools
import json
import os
import time
from typing import Any

import requests
from locust import HttpUser, between, constant, events, task
from websockets.sync.client import connect

CONCEPTS = ("softmax", "activations", "losses", "metrics", "dense")
STREAM_USERS = 5  # the rest of the users are concept-lab learners
examples: dict[str, Any] = {}  # concept -> request body: the first example in the server's OpenAPI schema
streams: list[dict[str, float]] = []  # one entry per stream user, written when it stops


@events.test_start.add_listener
def read_examples(environment, **_kwargs) -> None:
    """The request bodies, from the examples the server documents (once, before any user starts)."""
    schema = requests.get(f"{environment.host}/openapi.json", timeout=30).json()
    for name in CONCEPTS:
        body = schema["paths"][f"/api/concepts/{name}"]["post"]["requestBody"]["content"]["application/json"]
        model = body["schema"]["$ref"].rsplit("/", 1)[-1]
        examples[name] = schema["components"]["schemas"][model]["examples"][0]


class ConceptLearner(HttpUser):
    """Works through the labs: a concept call every 0.5–2 s, as a learner releasing a slider or a field would."""

    weight = 3
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self._order = itertools.cycle(CONCEPTS)

    @task
    def call_a_concept(self) -> None:
        name = next(self._order)
        with self.client.post(f"/api/concepts/{name}", json=examples[name], catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")


class PlaygroundTab(HttpUser):
    """Creates a session, connects its stream, presses play and counts the frames that arrive.

    Each frame (a JSON header, then its bytes) is reported to locust as one ``WS frame`` request whose time is
    the gap since the previous frame.
    """

    fixed_count = STREAM_USERS
    wait_time = constant(0)

    def on_start(self) -> None:
        self.frames = 0
        self.ws = None
        r = self.client.post("/api/sessions", json={})
        r.raise_for_status()
        self.session_id = r.json()["id"]
        url = self.host.replace("http", "ws", 1) + f"/api/sessions/{self.session_id}/stream"
        self.ws = connect(url, open_timeout=10, max_size=2**22)
        self._receive_frame()  # the frame every connection starts with
        self.ws.send(json.dumps({"type": "play"}))
        self.started = self.last = time.perf_counter()

    def _receive_frame(self) -> int:
        header = json.loads(self.ws.recv(timeout=10))
        if header.get("type") != "frame":
            raise ValueError(f"expected a frame header, received {header}")
        data = self.ws.recv(timeout=10)
        if not isinstance(data, bytes) or len(data) != header["bytes"]:
            raise ValueError(f"frame bytes do not match the header's {header['bytes']}")
        return len(data)

    @task
    def watch(self) -> None:
        try:
            size = self._receive_frame()
        except Exception as e:  # noqa: BLE001 - any failure of the stream is a failed request in the stats
            self._fire(0, e)
            raise
        now = time.perf_counter()
        self.frames += 1
        self._fire(size, None, (now - self.last) * 1000)
        self.last = now

    def _fire(self, size: int, exception: Exception | None, ms: float = 0.0) -> None:
        self.environment.events.request.fire(request_type="WS", name="frame", response_time=ms,
                                             response_length=size, exception=exception, context={})

    def on_stop(self) -> None:
        if self.ws is None:
            return
        seconds = time.perf_counter() - self.started
        streams.append({"frames": self.frames, "seconds": round(seconds, 2),
                        "frames_per_second": round(self.frames / seconds, 1) if seconds > 0 else 0.0})
        self.ws.close()
        self.client.delete(f"/api/sessions/{self.session_id}", name="/api/sessions/{id}")


@events.quitting.add_listener
def write_report(environment, **_kwargs) -> None:
    path = os.environ.get("TP_LOAD_REPORT")
    if not path:
        return
    requests = [{"method": e.method, "name": e.name, "requests": e.num_requests, "failures": e.num_failures,
                 "median_ms": e.get_response_time_percentile(0.5), "p95_ms": e.get_response_time_percentile(0.95),
                 "max_ms": round(e.max_response_time or 0, 1), "per_second": round(e.total_rps, 1)}
                for e in environment.stats.entries.values()]
    errors = [{"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
              for e in environment.stats.errors.values()]
    with open(path, "w") as f:
        json.dump({"requests": requests, "errors": errors, "streams": streams}, f, indent=1)
