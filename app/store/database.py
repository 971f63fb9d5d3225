"""The SQLAlchemy engine for a database URL: SQLite (a file, WAL mode) by default, PostgreSQL via psycopg."""

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool


def make_engine(url: str) -> Engine:
    """An engine for ``url``. An SQLite file's directory is created; ``sqlite://`` (memory) is one shared
    connection, since every new connection to it would be a new, empty database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    memory = parsed.database in (None, "", ":memory:")
    engine = create_engine(url, poolclass=StaticPool if memory else None,
                           connect_args={"check_same_thread": False})
    if not memory:
        # made on the first connection, not here: building an app must not create directories
        event.listen(engine, "do_connect", lambda *_: _make_directory(Path(parsed.database).parent))
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # SQLite's own error when it opens the file says what is wrong, as an OperationalError


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never wait for the writer. synchronous=NORMAL in WAL mode still writes every commit to the
    # log before it returns, so a killed server loses no acknowledged save (only a power cut could).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Several threads write: wait for the lock rather than fail at once.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
