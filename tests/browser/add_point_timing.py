"""The figure of issue #10 as a learner meets it, in the page itself: from releasing the pointer on the output to
the first frame trained on the new point (its ``n_train + n_test``), as the page receives it and once it is
drawn. Shared by ``tests/browser/test_custom_data.py`` and ``bench/custom_data.py``.

``SCRIPT`` goes into the page before its own modules (``page.add_init_script``); ``latencies`` reads what it
recorded.
"""

import statistics
from dataclasses import dataclass

# Timestamps the page cannot give of itself: each release of the pointer on the output, each `set` sent with
# new points, each frame (when its bytes arrive, which is when the page takes it) with the number of points it
# was trained on, and the end of the first animation frame after it (when its canvas has been painted).
SCRIPT = """
window.__timing = { up: [], set: [], frames: [], drawn: [] };
document.addEventListener('pointerup', (e) => {
  if (e.target.id === 'pg-output-canvas') window.__timing.up.push(performance.now());
}, true);
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  if (typeof data === 'string' && data.includes('"points"')) window.__timing.set.push(performance.now());
  return send.call(this, data);
};
const Socket = window.WebSocket;
window.WebSocket = class extends Socket {
  constructor(...args) {
    super(...args);
    let rows = null;
    this.addEventListener('message', (e) => {
      if (typeof e.data === 'string') {
        const header = e.data.startsWith('{"type": "frame"') ? JSON.parse(e.data) : null;
        rows = header && header.n_train + header.n_test;
        return;
      }
      if (rows === null) return;
      const n = rows;
      window.__timing.frames.push([performance.now(), n]);
      // The page draws a frame in its next animation frame; a task queued from there runs once it is painted.
      requestAnimationFrame(() => setTimeout(() => window.__timing.drawn.push([performance.now(), n])));
    });
  }
};
"""


@dataclass
class Latencies:
    """Milliseconds after each release: until the `set` left, the frame arrived, the frame was drawn."""

    set: list[float]
    received: list[float]
    drawn: list[float]

    def line(self, what: str) -> str:
        def stats(values: list[float]) -> str:
            ordered = sorted(values)
            return (f"median {statistics.median(ordered):.0f} ms, p90 {ordered[int(0.9 * (len(ordered) - 1))]:.0f}, "
                    f"max {ordered[-1]:.0f}")
        return (f"{what}: {len(self.received)} points; frame received {stats(self.received)}; drawn "
                f"{stats(self.drawn)}; set sent median {statistics.median(self.set):.0f} ms")


def latencies(timing: dict, expected: list[int], skip: int = 0) -> Latencies:
    """For the i-th release (from ``skip``), the first `set`, frame and drawn frame of ``expected[i]`` points
    after it."""
    out = Latencies([], [], [])
    for up, n in list(zip(timing["up"], expected))[skip:]:
        out.set.append(next(t for t in timing["set"] if t > up) - up)
        out.received.append(next(t for t, rows in timing["frames"] if t > up and rows == n) - up)
        out.drawn.append(next(t for t, rows in timing["drawn"] if t > up and rows == n) - up)
    return out


def received(page, rows: int, since: float) -> bool:
    """Whether the page has received a frame of ``rows`` points after ``since`` (its clock)."""
    return page.evaluate("([n, t]) => window.__timing.frames.some(([at, rows]) => at > t && rows === n)", [rows, since])
