from collections import OrderedDict

from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.engine.trainer import PREDICTORS, TRAINERS


def test_compiling_a_new_network_parses_no_python_source(monkeypatch, source_parses):
    monkeypatch.setattr(TRAINERS, "_functions", OrderedDict())
    monkeypatch.setattr(PREDICTORS, "_functions", OrderedDict())
    session = TrainingSession(TrainingSpec(dataset="spiral", hidden_layers=(3, 5), activation="softsign",
                                           optimizer="adagrad", batch_size=7))
    session.train(3)
    session.warm(8, 4)

    assert session.state()["epoch"] == 3
    assert source_parses == []
