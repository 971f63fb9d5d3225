import ast

import pytest


@pytest.fixture
def source_parses(monkeypatch) -> list[str]:
    """Records every ``ast.parse`` from now on. Compiled functions must trace without one: on CPython
    3.11.7 two threads inside ``ast.parse`` at once can raise "AST constructor recursion depth mismatch"
    (fixed in 3.11.8), and AutoGraph parses the source of every function it converts."""
    calls: list[str] = []
    parse = ast.parse

    def recording_parse(source, *args, **kwargs):
        calls.append(str(source)[:80])
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", recording_parse)
    return calls


@pytest.fixture
def fresh_trainers(monkeypatch):
    """Nothing traced or compiled yet, as in a process that has just started."""
    from app.engine import session, trainer

    monkeypatch.setattr(trainer, "GRAPH_TRAINERS", trainer.FunctionCache(trainer.GRAPH_TRAINERS._build))
    monkeypatch.setattr(session, "PREDICTORS", trainer.FunctionCache(trainer.PREDICTORS._build))
    trainers = trainer.FunctionCache(trainer.Trainer)
    monkeypatch.setattr(session, "TRAINERS", trainers)
    return trainers
