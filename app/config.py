"""Settings, read once from the environment (prefix ``TP_``) so every limit lives in one place."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    # Network size limits: enforced by the schemas and reported by /api/options.
    max_hidden_layers: int = Field(10, ge=0, le=32)
    max_units_per_layer: int = Field(64, ge=1, le=1024)
    max_parameters: int = Field(50_000, ge=1)
    max_samples: int = Field(2_000, ge=10)
    max_epochs_per_call: int = Field(5_000, ge=1)

    # Heatmap grids.
    default_resolution: int = Field(100, ge=2)
    neuron_resolution: int = Field(25, ge=2)
    max_resolution: int = Field(200, ge=2)

    # Session lifetime.
    max_sessions: int = Field(200, ge=1)
    session_ttl_seconds: float = Field(900.0, gt=0)
    reap_interval_seconds: float = Field(30.0, gt=0)
    # Removed at this age even while a tab is connected, so an open tab cannot hold a session forever.
    session_max_lifetime_seconds: float = Field(4 * 3600.0, gt=0)

    # Fair use: new sessions per client (its IP address as the server sees it) and training time per session.
    max_sessions_per_client_per_minute: int = Field(30, ge=1)
    max_tracked_clients: int = Field(10_000, ge=1)  # the rate limiter forgets the least recently seen beyond it
    max_train_seconds_per_minute: float = Field(30.0, gt=0)

    # Requests.
    max_body_bytes: int = Field(1_000_000, ge=1024)
    # Origins (scheme://host[:port]) other sites may call the API from; empty: CORS off.
    # From the environment: a comma-separated list or a JSON array.
    cors_allow_origins: Annotated[list[str], NoDecode] = []

    # Live stream: browsers may open it from the app's own origin, or from these (e.g. "https://class.example").
    ws_allowed_origins: Annotated[list[str], NoDecode] = []
    ws_max_message_bytes: int = Field(65_536, ge=1024)

    # Where sessions train: "processes" (a pool of worker processes, each hosting many sessions; the web
    # process only forwards, and a crashed worker costs only its own sessions) or "inprocess" (a thread pool
    # in the web process: a third of the memory, for tests and small machines).
    backend: Literal["inprocess", "processes"] = "processes"
    workers: int | None = Field(None, ge=1, le=256)  # worker processes; None: one per core
    worker_threads: int = Field(1, ge=1, le=64)  # calls a worker runs at a time
    # A worker hands its sessions to a fresh one after building this many (TensorFlow keeps ~0.7 MB of
    # each), or once its resident memory passes this many MB.
    worker_recycle_sessions: int = Field(1000, ge=1)
    worker_recycle_rss_mb: int = Field(2048, ge=64)

    # XLA makes training ~5x faster once compiled; turning it off helps debugging.
    jit_compile: bool = True
    # Compile the default network at start-up, in the background.
    prewarm: bool = True

    # Saved runs: a database under ``data_dir`` (SQLite, runs.db) unless ``database_url`` names another,
    # e.g. ``postgresql+psycopg://user@host/db``.
    data_dir: Path = Path("data")
    database_url: str | None = None
    max_runs: int = Field(10_000, ge=1)  # every owner together
    max_runs_per_owner: int = Field(200, ge=1)
    # A run holds its weights, optimizer state, points and whole loss history (24 bytes per training call).
    max_run_bytes: int = Field(4_000_000, ge=1024)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'runs.db').as_posix()}"

    @field_validator("cors_allow_origins", "ws_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [o.strip() for o in text.split(",") if o.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
