import threading

import pytest
from sqlalchemy import text

from app.store.runs import NewRun, RunNotFound, RunStore, RunTooLarge, TooManyRuns


def run(owner="owner-a", name="", note="", state=b"weights") -> NewRun:
    return NewRun(owner_hash=owner, name=name, note=note, dataset="circle", problem="binary", network=[4, 2],
                  epoch=12, train_loss=0.25, test_loss=None, status="idle",
                  config={"dataset": "circle", "hidden_layers": [4, 2]},
                  metrics={"train": {"loss": 0.25}, "test": {"loss": None}}, state=state)


@pytest.fixture
def store(database_url):
    s = RunStore.from_url(database_url, max_runs=5, max_runs_per_owner=3, max_run_bytes=10_000)
    s.migrate()
    yield s
    s.close()


def test_a_saved_run_reads_back_field_for_field_and_its_blob_only_on_request(store):
    saved = store.save(run(name="n", note="x", state=bytes(range(256))), "id-1")
    got = store.get("id-1", with_state=True)
    assert (got.name, got.note, got.epoch, got.train_loss, got.test_loss, got.network, got.config, got.metrics) == (
        "n", "x", 12, 0.25, None, [4, 2], {"dataset": "circle", "hidden_layers": [4, 2]},
        {"train": {"loss": 0.25}, "test": {"loss": None}})
    assert got.state == bytes(range(256)) and got.created_at == saved.created_at
    assert got.created_at.tzinfo is not None
    assert "state" not in store.get("id-1").__dict__  # listing and reading leave the blob in the database


def test_runs_list_newest_first_with_the_total(store):
    for i in range(4):
        store.save(run(owner=f"o{i}"), f"id-{i}")
    total, page = store.list(offset=1, limit=2)
    assert total == 4 and [r.id for r in page] == ["id-2", "id-1"]


def test_delete_needs_the_owner_and_answers_a_stranger_as_for_a_missing_run(store):
    store.save(run(owner="a"), "mine")
    with pytest.raises(RunNotFound):
        store.delete("mine", "b")
    with pytest.raises(RunNotFound):
        store.delete("nobody", "a")
    store.delete("mine", "a")
    with pytest.raises(RunNotFound):
        store.get("mine")


def test_caps_refuse_a_save_and_store_nothing(store):
    for i in range(3):
        store.save(run(owner="a"), f"a{i}")
    with pytest.raises(TooManyRuns, match="most one browser may keep"):
        store.save(run(owner="a"), "a3")
    store.save(run(owner="b"), "b0")
    store.save(run(owner="c"), "c0")
    with pytest.raises(TooManyRuns, match="maximum of 5 saved runs"):
        store.save(run(owner="d"), "d0")
    with pytest.raises(RunTooLarge, match="at most 10000"):
        store.save(run(owner="e", state=b"x" * 10_001), "e0")
    assert store.list()[0] == 5


def test_concurrent_saves_never_pass_the_cap(store):
    threads = [threading.Thread(target=lambda i=i: _try(store, run(owner=f"t{i}"), f"t{i}")) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.list()[0] == 5


def _try(store, new, run_id):
    try:
        store.save(new, run_id)
    except TooManyRuns:
        pass


@pytest.mark.parametrize("hostile", ["x'); DROP TABLE runs; --", "' OR '1'='1", "%s; %(x)s; ?; :name",
                                     "\"; DELETE FROM runs; --", "终止'; --\n\t\\"])
def test_text_that_looks_like_sql_is_stored_verbatim_and_the_table_survives(store, hostile):
    store.save(run(name=hostile[:200], note=hostile * 10), "hostile")
    got = store.get("hostile")
    assert (got.name, got.note) == (hostile[:200], hostile * 10)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM runs")).scalar() == 1
