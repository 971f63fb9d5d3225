"""Training throughput of the engine against a naive ``model.fit(epochs=1)`` loop, plus start-up and memory.

Run: .venv/bin/python bench/train_throughput.py [--seconds 3]
Configs (250 training points, batch 10, SGD lr 0.03): C1 circle [4, 2] tanh; C2 spiral [8]*6 tanh;
C3 spiral [8, 8] relu. Figures are printed, not asserted: the machine is shared and noisy.

With ``--group [N ...]`` (default 1 10 50) it measures instead N C2 sessions trained together in one call
(``app.engine.group``) against N solo calls, rounds of the two alternating so both meet the same load, and
the fraction of the CPU's arithmetic peak each reaches.
"""

import argparse
import gc
import os
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from app.engine.features import transform  # noqa: E402
from app.engine.group import GroupTrainer  # noqa: E402
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


def matmul_flops(spec: TrainingSpec) -> int:
    """FLOPs of one C2 epoch counted from the shapes: the layers' matmuls, 2 FLOPs per multiply-add, once forward
    and twice backward (the inputs' and the weights' gradients). Bias adds, activations and the update are left
    out (they add about 10 % more)."""
    sizes = spec.layer_sizes
    n_train = min(max(1, round(spec.num_samples * spec.train_ratio)), spec.num_samples - 1)
    return 6 * n_train * sum(a * b for a, b in zip(sizes, sizes[1:]))


def matmul_peak(seconds: float = 1.0, n: int = 1024) -> float:
    """FLOP/s of TensorFlow's own float32 matmul of two n x n matrices on this process's one intra-op thread:
    the best this thread reaches on dense arithmetic here, the peak the engine's figures are divided by."""
    import tensorflow as tf

    a = tf.random.stateless_uniform([n, n], [1, 2])
    tf.matmul(a, a).numpy()
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t = time.process_time()
        tf.matmul(a, a).numpy()
        best = min(best, time.process_time() - t)
    return 2 * n**3 / best


class Rate:
    """Epochs per second of one way of training, over rounds, in wall-clock and in this process's CPU time."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def measure(self, epochs: int, run) -> float:
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.wall.append(epochs / wall)
        self.cpu.append(epochs / max(cpu, 1e-9))
        return wall


def group_comparison(sizes: list[int], seconds: float, epochs_per_call: int) -> None:
    c2 = CONFIGS["C2 spiral [8x6] tanh"]
    flops = matmul_flops(c2)
    peak = matmul_peak()
    print(f"C2 epoch: {flops / 1e6:.2f} MFLOP in its matmuls; peak: {peak / 1e9:.0f} GFLOP/s (one thread, "
          f"tf.matmul 1024x1024 float32, best of 1 s in CPU time)")
    print(f"{epochs_per_call} epochs per session per call")
    print(f"{'N':>3} {'solo ep/s':>10} {'group ep/s':>11} {'ratio':>6} {'cpu ratio':>9} "
          f"{'solo peak':>9} {'group peak':>10}  (aggregate over N sessions, medians)")
    trainer = GroupTrainer()
    for n in sizes:
        solo = [TrainingSession(replace(c2, seed=i + 1, init_seed=i + 1)) for i in range(n)]
        grouped = [TrainingSession(replace(c2, seed=i + 1, init_seed=i + 1)) for i in range(n)]
        solo[0].train(1)  # compile both
        trainer.train(grouped, 1)
        solo_rate, group_rate = Rate(), Rate()
        # Every session advances the same epochs per call both ways: sizing calls by time (as the stream does)
        # collapses to 1 epoch a call when others' load stretches wall-clock time.
        k = epochs_per_call
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:  # alternate, so both ways meet the same load from others
            solo_rate.measure(n * k, lambda: [s.train(k) for s in solo])
            group_rate.measure(n * k, lambda: trainer.train(grouped, k))
        s_wall, g_wall = statistics.median(solo_rate.wall), statistics.median(group_rate.wall)
        s_cpu, g_cpu = statistics.median(solo_rate.cpu), statistics.median(group_rate.cpu)
        print(f"{n:3d} {s_wall:10.0f} {g_wall:11.0f} {g_wall / s_wall:5.1f}x {g_cpu / s_cpu:8.1f}x "
              f"{s_cpu * flops / peak:9.2%} {g_cpu * flops / peak:10.2%}", flush=True)
    print("ratio: wall clock; cpu ratio and peak fractions: this process's CPU time (others share the cores)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per config and way")
    parser.add_argument("--sessions", type=int, default=100, help="idle sessions for the memory figure")
    parser.add_argument("--churn", type=int, default=500, help="sessions created and deleted for the leak figure")
    parser.add_argument("--group", type=int, nargs="*", metavar="N",
                        help="compare N C2 sessions in one grouped call with N solo calls (default N: 1 10 50)")
    parser.add_argument("--epochs-per-call", type=int, default=20, help="with --group: epochs each session trains "
                        "per call, solo or grouped")
    args = parser.parse_args()
    print(f"# {' '.join([Path(sys.executable).name, *sys.argv])}  (cores: {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f})")
    if args.group is not None:
        group_comparison(args.group or [1, 10, 50], args.seconds, args.epochs_per_call)
        return

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
