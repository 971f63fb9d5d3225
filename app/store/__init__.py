"""Saved runs: SQLAlchemy 2 models, Alembic migrations and the run store (SQLite by default, PostgreSQL by URL).

Nothing here imports the engine or the API: a run is plain data (JSON-able fields and bytes) by the time it
reaches the store.
"""
