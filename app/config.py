"""Settings, read once from the environment (prefix ``TP_``) so every limit lives in one place."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    # Network size limits: enforced by the schemas and reported by /api/options.
    max_hidden_layers: int = Field(10, ge=0, le=32)
    max_units_per_layer: int = Field(64, ge=1, le=1024)
    max_parameters: int = Field(50_000, ge=1)
    max_samples: int = Field(2_000, ge=10, le=100_000)  # le: custom_data.MAX_ROWS, the schemas' ceiling
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

    # Uploaded datasets (POST /api/datasets): held in the web process like sessions. A CSV or JSON body above
    # max_upload_bytes is refused while it streams (413); 2,000 rows of "x1,x2,label" take ~50 KB.
    max_upload_bytes: int = Field(512_000, ge=1024)
    max_datasets: int = Field(500, ge=1)
    # Held at once by one client; its least recently used one makes room for the next (a drawing page
    # uploads stroke after stroke), so this bounds memory, not a page.
    max_datasets_per_client: int = Field(50, ge=1)
    max_uploads_per_client_per_minute: int = Field(120, ge=1)
    dataset_ttl_seconds: float = Field(900.0, gt=0)

    # Requests.
    max_body_bytes: int = Field(1_000_000, ge=1024)
    body_timeout_seconds: float = Field(30.0, gt=0)  # to send a request body after its headers; beyond: 408
    # Host names the app answers to besides LOOPBACK_HOSTS and `host`: a page on another name (a DNS-rebinding
    # attack) is refused. "*" allows any and is unsafe on a learner's own machine. Comma-separated or JSON.
    allowed_hosts: Annotated[list[str], NoDecode] = []
    # Heatmap cells one boundary request may ask for, over the output and every neuron and feature map: the
    # default grids (100², 25² per map) of the largest default network (640 neurons) take 411,000 (~3 MB).
    max_boundary_cells: int = Field(500_000, ge=100)

    # What the app server (python -m app) enforces by itself, in front of the app.
    max_header_bytes: int = Field(16_384, ge=1024)  # request line and headers; beyond: 431
    header_timeout_seconds: float = Field(10.0, gt=0)  # to send a request's headers; beyond: 408 and closed
    # Open connections, HTTP and WebSocket. Beyond it, the one waiting longest for its next request is closed
    # to make room, so idle sockets cannot lock others out; if every one is busy, new requests answer 503.
    max_connections: int = Field(1000, ge=2)
    max_streams_per_client: int = Field(20, ge=1)  # live streams one client address holds; beyond: 503
    # Origins (scheme://host[:port]) other sites may call the API from; empty: CORS off.
    # From the environment: a comma-separated list or a JSON array.
    cors_allow_origins: Annotated[list[str], NoDecode] = []

    # Live stream: browsers may open it from the app's own origin, or from these (e.g. "https://class.example").
    ws_allowed_origins: Annotated[list[str], NoDecode] = []
    # A client message; python -m app hands it to the server too, which refuses bigger ones as they arrive.
    ws_max_message_bytes: int = Field(65_536, ge=1024)

    # Where sessions train: "processes" (a pool of worker processes, each hosting many sessions; the web
    # process only forwards, and a crashed worker costs only its own sessions) or "inprocess" (a thread pool
    # in the web process: a third of the memory, for tests and small machines) or "ray" (host actors of a Ray
    # cluster that every web server connected to it shares; needs the "ray" extra).
    backend: Literal["inprocess", "processes", "ray"] = "processes"
    workers: int | None = Field(None, ge=1, le=256)  # worker processes; None: one per core
    worker_threads: int = Field(1, ge=1, le=64)  # calls a worker runs at a time
    # A worker hands its sessions to a fresh one after building this many (TensorFlow keeps ~0.7 MB of
    # each), or once its resident memory passes this many MB.
    worker_recycle_sessions: int = Field(1000, ge=1)
    worker_recycle_rss_mb: int = Field(2048, ge=64)
    # The Ray backend: the cluster (RAY_ADDRESS, as Ray's own tools read it; unset: a local Ray on 127.0.0.1),
    # its host actors (each hosting many sessions, `worker_threads` calls at a time) and their CPUs (as many
    # TensorFlow threads), and the namespace its directory and hosts are named in. The first web server to
    # reach a cluster sets its hosts and cluster-wide limits.
    ray_address: str | None = Field(None, validation_alias=AliasChoices("RAY_ADDRESS", "TP_RAY_ADDRESS"))
    ray_hosts: int = Field(2, ge=1, le=1024)
    ray_cpus_per_host: float = Field(1.0, gt=0, le=256)
    ray_namespace: str = Field("tensor-playground", min_length=1, max_length=64)

    # How often the web process's threads may take the interpreter lock from each other (sys.setswitchinterval).
    switch_interval_seconds: float = Field(0.0005, gt=0, le=0.1)

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

    def trusted_hosts(self) -> list[str]:
        """The host names requests may name: loopback (a rebinding page never sends them), ``host`` and
        ``allowed_hosts``."""
        own = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host  # IPv6
        return list(dict.fromkeys([*LOOPBACK_HOSTS, own.lower(), *(h.lower() for h in self.allowed_hosts)]))

    @field_validator("cors_allow_origins", "ws_allowed_origins", "allowed_hosts", mode="before")
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
