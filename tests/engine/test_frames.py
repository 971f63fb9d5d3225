"""Frame encoding: decoding the bytes by the documented layout gives back the snapshot within quantisation error."""

import json

import numpy as np
import pytest

from app.engine.frames import build_frame as build, decode_maps, dequantise, quantise, value_range
from app.engine.session import TrainingSession
from app.engine.snapshot import snapshot
from app.engine.spec import TrainingSpec

RES, NRES = 100, 25


def _session(**spec) -> TrainingSession:
    return TrainingSession(TrainingSpec(**spec), jit_compile=False)


def build_frame(session: TrainingSession, *, resolution: int, neuron_resolution: int, all_features: bool = False,
                **extra) -> tuple[dict, bytes]:
    """The frame's header (with the stream's ``extra`` fields) and bytes, as the wire carries them."""
    frame = build(session, resolution=resolution, neuron_resolution=neuron_resolution, all_features=all_features)
    text, data = frame.wire(**extra)
    return json.loads(text), data


def _step(lo: float, hi: float) -> float:
    return (hi - lo) / 510 + 1e-6  # half a quantisation step


def test_quantise_round_trip_within_half_a_step():
    values = np.linspace(-3, 5, 1000)
    lo, hi = value_range(values)
    back = dequantise(quantise(values, lo, hi), lo, hi)
    assert (lo, hi) == (-3.0, 5.0)
    assert np.max(np.abs(back - values)) <= _step(lo, hi)


def test_quantise_clips_to_a_fixed_range_and_maps_nan_to_lo():
    q = quantise(np.array([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan]), -1.0, 1.0)
    assert q.tolist() == [0, 0, 128, 255, 255, 0]


def test_flat_map_decodes_exactly():
    values = np.full((5, 5), 0.25)
    lo, hi = value_range(values)
    assert np.array_equal(dequantise(quantise(values, lo, hi), lo, hi), values)


def test_binary_frame_round_trips_output_inputs_and_neurons():
    session = _session(dataset="circle", hidden_layers=(4, 2), activation="tanh")
    session.train(3)
    header, data = build_frame(session, resolution=RES, neuron_resolution=NRES)
    snap = snapshot(session, RES, NRES)
    maps = decode_maps(header, data)
    assert header["bytes"] == len(data) == RES * RES + (2 + 4 + 2) * NRES * NRES
    kinds = [m["kind"] for m in header["maps"]]
    assert kinds == ["output"] + ["input"] * 2 + ["neuron"] * 6
    assert header["maps"][0]["range"] == [0.0, 1.0]
    assert all(m["range"] == [-1.0, 1.0] for m in header["maps"] if m["kind"] == "neuron")
    expected = [snap.output, *snap.inputs, *snap.neurons[0], *snap.neurons[1]]
    for m, got, want in zip(header["maps"], maps, expected):
        assert got.shape == want.shape
        assert np.max(np.abs(got - want)) <= _step(*m["range"]), m


def test_offsets_are_contiguous_in_map_order():
    header, data = build_frame(_session(), resolution=RES, neuron_resolution=NRES)
    offset = 0
    for m in header["maps"]:
        assert m["offset"] == offset
        offset += int(np.prod(m["shape"]))
    assert offset == len(data)


def test_multiclass_output_is_one_probability_map_per_class():
    session = _session(dataset="blobs", num_classes=4, hidden_layers=(5,), activation="relu")
    session.train(2)
    header, data = build_frame(session, resolution=40, neuron_resolution=10)
    snap = snapshot(session, 40, 10)
    outputs = [(m, a) for m, a in zip(header["maps"], decode_maps(header, data)) if m["kind"] == "output"]
    assert [m["unit"] for m, _ in outputs] == [0, 1, 2, 3]
    for m, a in outputs:
        assert m["range"] == [0.0, 1.0]
        assert np.max(np.abs(a - snap.output[..., m["unit"]])) <= _step(0, 1)
    # relu is unbounded: each neuron map carries its own min and max
    neurons = [(m, a) for m, a in zip(header["maps"], decode_maps(header, data)) if m["kind"] == "neuron"]
    for (m, a), want in zip(neurons, snap.neurons[0]):
        lo, hi = m["range"]
        assert lo == pytest.approx(float(want.min())) or hi - lo == 1.0
        assert np.max(np.abs(a - want)) <= _step(lo, hi)


def test_regression_output_uses_its_own_range():
    session = _session(dataset="plane", hidden_layers=(3,))
    header, data = build_frame(session, resolution=30, neuron_resolution=10)
    snap = snapshot(session, 30, 10)
    m = header["maps"][0]
    assert m["range"] == pytest.approx([float(snap.output.min()), float(snap.output.max())])
    assert np.max(np.abs(decode_maps(header, data)[0] - snap.output)) <= _step(*m["range"])


def test_all_features_adds_the_inactive_ones():
    header, _ = build_frame(_session(features=("x1", "x2")), resolution=20, neuron_resolution=10, all_features=True)
    inputs = [(m["feature"], m["active"]) for m in header["maps"] if m["kind"] == "input"]
    assert inputs[:2] == [("x1", True), ("x2", True)]
    assert {"x1_squared", "sin_x1"} <= {name for name, active in inputs if not active}


def test_header_carries_state_and_weights():
    session = _session()
    header, _ = build_frame(session, resolution=20, neuron_resolution=10, playing=True, epochs_per_second=5.0)
    assert header["type"] == "frame" and header["epoch"] == 0 and header["playing"] is True
    assert header["epochs_per_second"] == 5.0
    assert [len(layer["biases"]) for layer in header["weights"]] == [4, 2, 1]
    assert len(header["weights"][0]["weights"]) == 2  # [from][to]
    assert "confusion_matrix" in header["metrics"]


def test_default_frame_is_under_32_kb():
    header, data = build_frame(_session(), resolution=RES, neuron_resolution=NRES, playing=True,
                               epochs_per_second=1234.5)
    size = len(json.dumps(header).encode()) + len(data)
    assert size < 32 * 1024, size


def test_a_frame_crosses_a_process_boundary_in_one_pickle_and_says_what_its_call_did():
    import pickle

    session = _session()
    frame = build(session, resolution=20, neuron_resolution=10, seconds=0.25, diverged=True)
    back = pickle.loads(pickle.dumps(frame))
    assert back == frame
    assert (back.seconds, back.diverged, back.compiling) == (0.25, True, False)
    assert back.epoch == session.epoch and back.status == session.status.value
    header = json.loads(back.wire(playing=False)[0])
    assert header["compiling"] is False and header["playing"] is False and "seconds" not in header


def test_a_frame_says_how_many_points_it_trained_on():
    from app.engine.frames import build_frame
    from app.engine.session import TrainingSession
    from app.engine.spec import TrainingSpec

    session = TrainingSession(TrainingSpec(dataset="xor", num_samples=50, train_ratio=0.6, hidden_layers=(2,)))
    header = build_frame(session, resolution=4, neuron_resolution=2).header()
    assert (header["n_train"], header["n_test"]) == (len(session.split.train_labels), len(session.split.test_labels))
    assert header["n_train"] + header["n_test"] == 50
