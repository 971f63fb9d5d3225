"""The run store: save, list, read and delete saved runs, within the server's limits.

Calls are synchronous (SQLAlchemy's ORM over a pooled engine); the web process runs them in a worker thread
so the event loop never waits on the disk. Every query is built with SQLAlchemy's expression language, so
names and notes reach the database only as bound parameters.
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, undefer

from app.store import migrate
from app.store.database import make_engine
from app.store.models import Run

__all__ = ["NewRun", "Run", "RunNotFound", "RunStore", "RunTooLarge", "TooManyRuns"]


class RunNotFound(LookupError):
    """No run has this id, or (on delete) it belongs to another owner: both answer the same."""


class TooManyRuns(Exception):
    """The server, or this owner, holds its maximum number of runs."""


class RunTooLarge(Exception):
    """The run is larger than a run may be."""


@dataclass(frozen=True)
class NewRun:
    """What a save stores: listing fields, the configuration and metrics as JSON, the arrays as one blob."""

    owner_hash: str
    name: str
    note: str
    dataset: str
    problem: str
    network: list[int]
    epoch: int
    train_loss: float | None
    test_loss: float | None
    status: str
    config: dict[str, Any]
    metrics: dict[str, Any]
    state: bytes

    @property
    def size_bytes(self) -> int:
        """What the run costs, roughly: the blob plus its text. Bounded by ``max_run_bytes``."""
        text = repr(self.config) + repr(self.metrics) + self.name + self.note
        return len(self.state) + len(text.encode())


class RunStore:
    def __init__(self, engine: Engine, *, max_runs: int, max_runs_per_owner: int, max_run_bytes: int) -> None:
        self.engine = engine
        self.max_runs = max_runs
        self.max_runs_per_owner = max_runs_per_owner
        self.max_run_bytes = max_run_bytes
        # Counting and inserting happen under one lock so that concurrent saves in this process cannot both
        # take the last place; the app has one web process per database.
        self._saving = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **limits: int) -> "RunStore":
        return cls(make_engine(url), **limits)

    def __repr__(self) -> str:
        return f"RunStore({self.engine.url.render_as_string(hide_password=True)!r})"

    def migrate(self) -> None:
        """Bring the schema to the newest revision (at start-up)."""
        migrate.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def save(self, new: NewRun, run_id: str) -> Run:
        """Store ``new`` as run ``run_id``; raises ``RunTooLarge`` or ``TooManyRuns`` and stores nothing."""
        size = new.size_bytes
        if size > self.max_run_bytes:
            raise RunTooLarge(f"This run takes {size} bytes; a saved run may take at most {self.max_run_bytes} "
                              f"(server limit). Its loss history grows with every training call: save sooner "
                              f"or start a new session.")
        fields = {k: getattr(new, k) for k in NewRun.__dataclass_fields__}
        run = Run(id=run_id, created_at=datetime.now(UTC), size_bytes=size, **fields)
        with self._saving, Session(self.engine, expire_on_commit=False) as db:
            total = db.scalar(select(func.count()).select_from(Run))
            if total >= self.max_runs:
                raise TooManyRuns(f"The server holds its maximum of {self.max_runs} saved runs; delete one of "
                                  f"yours or try again later")
            mine = db.scalar(select(func.count()).select_from(Run).where(Run.owner_hash == new.owner_hash))
            if mine >= self.max_runs_per_owner:
                raise TooManyRuns(f"You have saved {mine} runs, the most one browser may keep "
                                  f"({self.max_runs_per_owner}); delete one to save another")
            db.add(run)
            db.commit()
        return _utc(run)

    def list(self, *, offset: int = 0, limit: int = 50) -> tuple[int, list[Run]]:
        """The total number of runs and one page of them, newest first (without their blobs)."""
        with Session(self.engine) as db:
            total = db.scalar(select(func.count()).select_from(Run))
            rows = db.scalars(select(Run).order_by(Run.created_at.desc(), Run.id).offset(offset).limit(limit))
            return total, [_utc(r) for r in rows]

    def get(self, run_id: str, *, with_state: bool = False) -> Run:
        """One run; its blob too when ``with_state``. Raises ``RunNotFound``."""
        query = select(Run).where(Run.id == run_id)
        if with_state:
            query = query.options(undefer(Run.state))
        with Session(self.engine) as db:
            run = db.scalars(query).one_or_none()
        if run is None:
            raise RunNotFound(run_id)
        return _utc(run)

    def delete(self, run_id: str, owner_hash: str) -> None:
        """Delete the run if ``owner_hash`` owns it; otherwise raise ``RunNotFound`` (as for a missing id)."""
        with Session(self.engine) as db:
            result = db.execute(delete(Run).where(Run.id == run_id, Run.owner_hash == owner_hash))
            db.commit()
        if result.rowcount != 1:
            raise RunNotFound(run_id)


def _utc(run: Run) -> Run:
    """SQLite gives times back without their zone; they were written in UTC."""
    if run.created_at.tzinfo is None:
        run.created_at = run.created_at.replace(tzinfo=UTC)
    return run
