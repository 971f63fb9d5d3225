"""Training throughput of the engine against a naive ``model.fit(epochs=1)`` loop, plus start-up and memory.

Run: .venv/bin/python bench/train_throughput.py [--seconds 3]
Configs (250 training points, batch 10, SGD lr 0.03): C1 circle [4, 2] tanh; C2 spiral [8]*6 tanh;
C3 spiral [8, 8] relu. Figures are printed, not asserted: the machine is shared and noisy.
"""

import argparse
import gc
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from app.engine.features import transform  # noqa: E402
from app.engine.session import TrainingSession  # noqa: E402
from app.engine.spec import TrainingSpec  # noqa: E402

CONFIGS = {
    "C1 circle [4,2] tanh": TrainingSpec(dataset="circle", hidden_layers=(4, 2), activation="tanh"),
    "C2 spiral [8x6] tanh": TrainingSpec(dataset="spiral", hidden_layers=(8,) * 6, activation="tanh"),
    "C3 spiral [8,8] relu": TrainingSpec(dataset="spiral", hidden_layers=(8, 8), activation="relu"),
}


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def engine_rate(spec: TrainingSpec, seconds: float) -> float:
    s = TrainingSession(spec)
    s.train(1)  # compile
    k, rates = 50, []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        s.train(k)
        dt = time.perf_counter() - t
        rates.append(k / dt)
        k = max(1, min(2000, int(k * 0.03 / dt)))  # aim at ~30 ms per call, as the live stream does
    return statistics.median(rates)


def naive_rate(spec: TrainingSpec, seconds: float) -> float:
    s = TrainingSession(spec)
    x = transform(s.split.train_points, spec.features)
    y = s.split.train_labels.astype("float32")[:, None]
    model = keras.Sequential([keras.Input((x.shape[1],))]
                             + [keras.layers.Dense(u, spec.activation) for u in spec.hidden_layers]
                             + [keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.03), keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=10, epochs=1, verbose=0)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        model.fit(x, y, batch_size=10, epochs=1, verbose=0)
        times.append(time.perf_counter() - t)
    return 1 / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per config and way")
    parser.add_argument("--sessions", type=int, default=100, help="idle sessions for the memory figure")
    parser.add_argument("--churn", type=int, default=500, help="sessions created and deleted for the leak figure")
    args = parser.parse_args()
    print(f"# {' '.join([Path(sys.executable).name, *sys.argv])}  (cores: {os.cpu_count()})")

    # Time to the first trained epoch: a never-seen architecture (includes XLA compile), then a second
    # session of the same architecture (compiled function reused).
    spec = TrainingSpec(dataset="spiral", hidden_layers=(7, 5, 3))
    t = time.perf_counter()
    TrainingSession(spec).train(1)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    TrainingSession(spec).train(1)
    warm = time.perf_counter() - t
    print(f"first epoch, new architecture: {cold * 1000:.0f} ms; second session of a seen one: {warm * 1000:.1f} ms")

    print(f"{'config':24} {'engine ep/s':>12} {'fit() ep/s':>11} {'ratio':>7}")
    for name, spec in CONFIGS.items():
        fast = engine_rate(spec, args.seconds)
        slow = naive_rate(spec, min(args.seconds, 3.0))
        print(f"{name:24} {fast:12.0f} {slow:11.1f} {fast / slow:6.0f}x", flush=True)

    c2 = CONFIGS["C2 spiral [8x6] tanh"]
    TrainingSession(c2).train(1)
    gc.collect()
    before = rss_mb()
    sessions = [TrainingSession(c2) for _ in range(args.sessions)]
    for s in sessions:
        s.train(1)
    gc.collect()
    per = (rss_mb() - before) / args.sessions
    print(f"memory: {per:.2f} MB per idle C2 session ({args.sessions} sessions)")
    del sessions
    gc.collect()
    start = rss_mb()
    for _ in range(args.churn):
        TrainingSession(c2).train(1)
    gc.collect()
    print(f"churn: RSS {start:.0f} MB -> {rss_mb():.0f} MB after creating and dropping {args.churn} C2 sessions "
          f"(peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
