"""Where the time of one round of N playing sessions goes, where they live and in the web process: training,
heatmaps, building the frames (quantising, weights), pickling them across the worker's socket, and the JSON
header each stream sends; one group call (``operations.frame_group``) against N solo ``frame`` calls.

Run: .venv/bin/python bench/group_frames.py [--sessions 25] [--epochs 20] [--rounds 30] [--profile]
The default network (TensorFlow Playground's), a frame of 100 x 100 output and 25 x 25 maps per neuron, as the
stream sends. 25 sessions are one worker's share of 50 on two workers. Rounds of the two ways alternate so
both meet the same load; medians per round are printed, then (with ``--profile``) cProfile's top functions
of the group rounds. Figures are printed, not asserted.
"""

import argparse
import cProfile
import os
import pickle
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.engine.frames import build_frame  # noqa: E402
from app.engine.group import GroupTrainer  # noqa: E402
from app.engine.session import TrainingSession  # noqa: E402
from app.engine.snapshot import snapshot  # noqa: E402
from app.engine.spec import TrainingSpec  # noqa: E402
from app.sessions import operations  # noqa: E402

RESOLUTION, NEURON_RESOLUTION = 100, 25


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def solo_round(sessions: list[TrainingSession], epochs: int) -> dict[str, float]:
    parts = {"train": 0.0, "heatmaps": 0.0, "frames": 0.0}
    frames = []
    for s in sessions:
        parts["train"] += timed(lambda: s.train(epochs))
        snaps = []
        parts["heatmaps"] += timed(lambda: snaps.append(snapshot(s, RESOLUTION, NEURON_RESOLUTION)))
        parts["frames"] += timed(lambda: frames.append(build_frame(s, resolution=RESOLUTION,
                                                                   neuron_resolution=NEURON_RESOLUTION,
                                                                   snap=snaps[0])))
    return {**parts, **wire(frames, together=False)}


def group_round(sessions: list[TrainingSession], epochs: int) -> dict[str, float]:
    trainer = operations.GROUP
    snaps: list = []
    frames: list = []
    parts = {"train": timed(lambda: trainer.train(sessions, epochs)),
             "heatmaps": timed(lambda: snaps.extend(trainer.snapshots(sessions, RESOLUTION, NEURON_RESOLUTION)))}
    parts["frames"] = timed(lambda: frames.extend(
        build_frame(s, resolution=RESOLUTION, neuron_resolution=NEURON_RESOLUTION, snap=snap)
        for s, snap in zip(sessions, snaps)))
    return {**parts, **wire(frames, together=True)}


def wire(frames: list, *, together: bool) -> dict[str, float]:
    """Pickling the answer(s) (and reading it back, as the web process does), then each stream's JSON header."""
    def roundtrip():
        if together:
            pickle.loads(pickle.dumps(frames, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            for f in frames:
                pickle.loads(pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL))
    return {"pickle": timed(roundtrip), "json": timed(lambda: [f.wire(playing=True) for f in frames])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"# {' '.join([Path(sys.executable).name, *sys.argv])}  (cores: {os.cpu_count()})")
    solo = [TrainingSession(TrainingSpec(seed=i + 1, init_seed=i + 1)) for i in range(args.sessions)]
    grouped = [TrainingSession(TrainingSpec(seed=i + 1, init_seed=i + 1)) for i in range(args.sessions)]
    solo_round(solo, args.epochs)  # compile both ways first
    group_round(grouped, args.epochs)
    results: dict[str, list[dict[str, float]]] = {"solo": [], "group": []}
    profiler = cProfile.Profile()
    for _ in range(args.rounds):
        results["solo"].append(solo_round(solo, args.epochs))
        if args.profile:
            profiler.enable()
        results["group"].append(group_round(grouped, args.epochs))
        if args.profile:
            profiler.disable()
    print(f"{args.sessions} default sessions, {args.epochs} epochs each, one round (median of {args.rounds}), ms:")
    for way, rounds in results.items():
        parts = {k: statistics.median(r[k] for r in rounds) * 1000 for k in rounds[0]}
        total = statistics.median(sum(r.values()) for r in rounds) * 1000
        print(f"  {way:5s} total {total:6.1f}: " + ", ".join(f"{k} {v:.1f}" for k, v in parts.items()))
    if args.profile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
