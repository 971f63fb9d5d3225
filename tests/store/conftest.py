"""Every store test runs against SQLite, and against PostgreSQL too when ``TP_TEST_POSTGRES_URL`` names a
throwaway database (``.ci/run`` starts one and sets it)."""

import os

import pytest
from sqlalchemy import MetaData, Table

from app.store.database import make_engine
from app.store.models import Base

POSTGRES_URL = os.environ.get("TP_TEST_POSTGRES_URL")


def _empty(url: str) -> None:
    """Drop what an earlier test left in a shared PostgreSQL database."""
    engine = make_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        Table("alembic_version", MetaData()).drop(conn, checkfirst=True)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.db'}"
    if not POSTGRES_URL:
        pytest.skip("TP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (.ci/run starts one)")
    _empty(POSTGRES_URL)
    return POSTGRES_URL
