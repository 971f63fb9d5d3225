"""Alembic's entry point. The app runs it through ``app.store.migrate.upgrade`` with an open connection in
``config.attributes["connection"]``; run by hand (``alembic -c app/store/alembic.ini ...``), it connects to
``TP_DATABASE_URL`` (or the data directory's SQLite file) itself."""

from alembic import context
from sqlalchemy import create_engine

from app.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _migrate(conn) -> None:
    # render_as_batch: SQLite alters a table by copying it; Alembic's batch mode does that for us.
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _migrate(connection)
else:
    from app.config import get_settings

    with create_engine(get_settings().resolved_database_url).connect() as conn:
        _migrate(conn)
