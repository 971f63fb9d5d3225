"""The databases the saved-runs tests run against: SQLite always, PostgreSQL when ``TP_TEST_POSTGRES_URL``
names a throwaway database (``.ci/run`` starts one and sets it)."""

import os

from sqlalchemy import MetaData, Table

from app.store.database import make_engine
from app.store.models import Base

POSTGRES_URL = os.environ.get("TP_TEST_POSTGRES_URL")
NO_POSTGRES = "TP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (.ci/run starts one)"


def emptied(url: str) -> str:
    """``url``, after dropping what an earlier test left in that (shared) database."""
    engine = make_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        Table("alembic_version", MetaData()).drop(conn, checkfirst=True)
    engine.dispose()
    return url
