import numpy as np
import pytest

from app.engine import export
from app.engine.losses import LOSSES
from app.engine.problems import Problem
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from tests.engine.exported import run_in_process, run_with_python

DATASET = {Problem.BINARY: "circle", Problem.MULTICLASS: "blobs", Problem.REGRESSION: "plane"}


def full_batch(num_samples: int = 100, **fields) -> TrainingSpec:
    """Every training point in one batch: batch order cannot differ, so Keras's numbers are the session's."""
    return TrainingSpec(num_samples=num_samples, train_ratio=0.5, batch_size=num_samples // 2, **fields)


@pytest.mark.parametrize("name, problem", [(e.name, p) for e in LOSSES for p in Problem if p in e.value.problems])
def test_every_loss_exports_a_keras_model_that_starts_and_trains_as_the_session(name, problem, capsys):
    session = TrainingSession(full_batch(dataset=DATASET[problem], hidden_layers=(3,), loss=name), jit_compile=False)
    start = session.state()
    session.train(1)
    after = session.state()
    first, last = run_in_process(export.script(session, 1), capsys)
    for report, state in ((first, start), (last, after)):
        assert report.test_loss == pytest.approx(state["test_loss"], rel=1e-3, abs=1e-4)
        assert report.train_loss == pytest.approx(state["train_loss"], rel=1e-3, abs=1e-4)
        metric = "mae" if problem is Problem.REGRESSION else "accuracy"
        assert report.metric == metric
        assert report.test_metric == pytest.approx(state["metrics"][metric], abs=1e-3)


@pytest.mark.parametrize("regularization", ["none", "l1", "l2"])
def test_exported_script_prints_the_sessions_data_loss_with_full_batch_training(regularization, tmp_path):
    rate = 0.0 if regularization == "none" else 0.003
    session = TrainingSession(full_batch(dataset="circle", num_samples=200, hidden_layers=(6, 4),
                                         learning_rate=0.1, regularization=regularization,
                                         regularization_rate=rate))
    session.train(40)
    kernels = session.parameters()[0::2]
    penalty = rate * sum(float(np.abs(w).sum() if regularization == "l1" else np.square(w).sum()) for w in kernels)
    assert regularization == "none" or penalty > 5e-3  # large enough that printing it would fail the check below

    printed = run_with_python(export.script(session), tmp_path)
    assert [r.epoch for r in printed] == list(range(0, 41, 2))  # one line every 40 // 20 epochs, from the start
    state = session.state()
    assert printed[-1].test_loss == pytest.approx(state["test_loss"], abs=1e-3)
    assert printed[-1].train_loss == pytest.approx(state["train_loss"], abs=1e-3)


def test_export_trains_as_many_epochs_as_the_session_unless_asked():
    session = TrainingSession(TrainingSpec(dataset="circle", num_samples=60, hidden_layers=(2,)))
    assert f"EPOCHS = {export.UNTRAINED_EPOCHS}  # the session has not trained yet" in export.script(session)
    session.train(3)
    assert "EPOCHS = 3  # the 3 epochs the playground session ran" in export.script(session)
    assert "EPOCHS = 7  #" in export.script(session, 7)
    # The brief's worked example: a minute of play, 25,425 epochs, exports 1,000 (over an hour in plain Keras).
    assert (export.default_epochs(25_425), export.default_epochs(30), export.default_epochs(0)) == (1_000, 30, 100)


@pytest.mark.parametrize("epochs", [0, -1, export.MAX_EPOCHS + 1])
def test_export_refuses_epochs_out_of_range(epochs):
    session = TrainingSession(TrainingSpec(dataset="circle", num_samples=60, hidden_layers=(2,)))
    with pytest.raises(ValueError, match=f"epochs must be between 1 and {export.MAX_EPOCHS}; received {epochs}"):
        export.script(session, epochs)


CSV = b"x1,x2,label\r\n-20,1.5,cat\r\n2.5,-1,dog\r\n1,3,dog\r\n-3,-2,cat\r\n4,4,dog\r\n-12,0,cat\r\n"


def _rows(points, labels) -> list[tuple[float, float, float]]:
    return sorted(zip(*np.asarray(points, np.float32).T.tolist(), np.asarray(labels, np.float64).tolist()))


def test_custom_points_go_from_csv_through_a_session_into_the_script_unchanged(capsys):
    from app.engine.custom_data import parse_csv

    data = parse_csv(CSV)
    session = TrainingSession(TrainingSpec(dataset="custom", points=data.rows, problem_type=data.kind,
                                           class_names=data.class_names, hidden_layers=(3,), batch_size=3),
                              jit_compile=False)
    text = export.script(session, 1)
    namespace = {"__name__": "__main__"}
    exec(compile(text, "tensor_playground.py", "exec"), namespace)
    exported = _rows(np.concatenate([namespace["train_points"], namespace["test_points"]]),
                     np.concatenate([namespace["train_labels"], namespace["test_labels"]]))
    assert exported == _rows(data.points, data.labels)
    assert 'Classes: 0 = "cat", 1 = "dog"' in text


def test_the_keras_file_carries_the_points_and_still_loads(tmp_path):
    import csv
    import io
    import zipfile

    import keras

    from app.engine.custom_data import parse_csv

    data = parse_csv(CSV)
    session = TrainingSession(TrainingSpec(dataset="custom", points=data.rows, problem_type=data.kind,
                                           class_names=data.class_names, hidden_layers=(3,)), jit_compile=False)
    blob = export.keras_file(session)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read(export.DATA_ENTRY).decode())))
    assert _rows([(float(r["x1"]), float(r["x2"])) for r in rows], [float(r["label"]) for r in rows]) == \
        _rows(data.points, data.labels)
    assert sum(r["split"] == "train" for r in rows) == len(session.split.train_labels)
    path = tmp_path / "model.keras"
    path.write_bytes(blob)
    model = keras.models.load_model(path)
    x = session.split.test_points
    np.testing.assert_allclose(model.predict(x, verbose=0)[:, 0], session.predict(x)[0][:, 0], rtol=1e-5, atol=1e-6)
