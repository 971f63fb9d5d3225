from datetime import UTC, datetime

from sqlalchemy import inspect, select

from app.store import migrate
from app.store.database import make_engine
from app.store.models import Run
from app.store.runs import NewRun, RunStore

LIMITS = {"max_runs": 100, "max_runs_per_owner": 100, "max_run_bytes": 1_000_000}


def test_an_empty_database_is_migrated_to_the_newest_revision(database_url):
    engine = make_engine(database_url)
    assert migrate.current(engine) is None
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    columns = {c["name"] for c in inspect(engine).get_columns("runs")}
    assert set(Run.__table__.columns.keys()) == columns
    indexes = {i["name"] for i in inspect(engine).get_indexes("runs")}
    assert {"ix_runs_created_at", "ix_runs_owner_hash"} <= indexes
    engine.dispose()


def test_a_run_saved_under_the_previous_revision_survives_the_upgrade_with_its_size_filled_in(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0001")
    runs = Run.__table__
    old = {c.name for c in runs.columns} - {"size_bytes"}
    blob = b"\x00weights\x01" * 10
    row = {"id": "r1", "owner_hash": "h", "name": "before", "note": "", "dataset": "circle", "problem": "binary",
           "network": [4, 2], "epoch": 7, "train_loss": 0.5, "test_loss": 0.6, "status": "idle",
           "config": {"dataset": "circle"}, "metrics": {}, "state": blob, "created_at": datetime.now(UTC)}
    assert set(row) == old
    with engine.begin() as conn:
        conn.execute(runs.insert().values(**row))  # the columns revision 0001 had
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    with engine.connect() as conn:
        name, size, state = conn.execute(select(runs.c.name, runs.c.size_bytes, runs.c.state)).one()
    assert (name, size, state) == ("before", len(blob), blob)
    engine.dispose()


def test_the_store_migrates_at_start_and_a_second_start_changes_nothing(database_url):
    store = RunStore.from_url(database_url, **LIMITS)
    store.migrate()
    store.save(NewRun("h", "a", "", "circle", "binary", [4], 0, None, None, "idle", {}, {}, b"x"), "run-a")
    store.migrate()
    assert [r.id for r in store.list()[1]] == ["run-a"]
    store.close()
