"""Builds the ASGI app: ``uvicorn app.main:app``."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from app.api.errors import UnhandledErrors, install_error_handlers
from app.api.middleware import AllowedHosts, BodySizeLimit, BodyTimeout, SecurityHeaders, StreamsPerClient
from app.api.main import build_api_router
from app.api.routes import pages
from app.config import Settings, get_settings
from app.sessions.backend import InProcessBackend, SessionBackend
from app.sessions.datasets import DatasetStore
from app.sessions.manager import SessionManager
from app.sessions.memory import settle_memory_once
from app.sessions.processes import ProcessBackend
from app.store.runs import RunStore

ROOT = Path(__file__).resolve().parent.parent


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    manager: SessionManager = app.state.sessions
    interval = app.state.settings.reap_interval_seconds

    async def reap_forever() -> None:
        while True:
            await asyncio.sleep(interval)
            manager.reap()

    settings = app.state.settings
    await asyncio.to_thread(app.state.runs.migrate)  # saved runs: the schema at its newest revision
    reaper = asyncio.create_task(reap_forever())
    await manager.backend.ready()  # serve once sessions can be built
    if settings.prewarm:
        # Compile the default network's functions while nobody waits, so the first "play" is instant.
        manager.backend.prewarm(settings.default_resolution, settings.neuron_resolution)
    settle_memory_once()  # everything imported and built: streams never wait on a collection of it
    try:
        yield
    finally:
        reaper.cancel()
        manager.clear()
        app.state.runs.close()


def build_backend(settings: Settings) -> SessionBackend:
    """The backend ``settings.backend`` names. Worker processes share the cores: each gets its share of
    TensorFlow threads (one per worker with the default one worker per core)."""
    cores = os.cpu_count() or 2
    if settings.backend == "processes":
        workers = settings.workers or cores
        return ProcessBackend(workers=workers, tf_threads=max(1, cores // workers), threads=settings.worker_threads,
                              jit_compile=settings.jit_compile,
                              recycle_after_sessions=settings.worker_recycle_sessions,
                              recycle_rss_bytes=settings.worker_recycle_rss_mb * 2**20)
    if settings.backend == "ray":
        from app.sessions.ray_backend import RayBackend  # the "ray" extra: imported only when asked for

        return RayBackend(address=settings.ray_address, namespace=settings.ray_namespace, hosts=settings.ray_hosts,
                          cpus_per_host=settings.ray_cpus_per_host, threads=settings.worker_threads,
                          jit_compile=settings.jit_compile, max_sessions=settings.max_sessions,
                          creations_per_minute=settings.max_sessions_per_client_per_minute,
                          max_tracked_clients=settings.max_tracked_clients,
                          max_lifetime_seconds=settings.session_max_lifetime_seconds)
    return InProcessBackend(workers=cores, jit_compile=settings.jit_compile)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; ``settings`` (default: from the environment) size its session manager and middleware."""
    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served by app/api/routes/pages.py from vendored assets, under the CSP
        redoc_url=None,
        title="Tensor Playground",
        version="1.0.0",
        description="Train small TensorFlow networks on 2-D toy data and explore deep-learning concepts. "
        "Every number is computed by TensorFlow on the server.",
    )
    settings = settings or get_settings()
    app.state.settings = settings
    backend = build_backend(settings)
    app.state.sessions = SessionManager(
        backend, max_sessions=settings.max_sessions, ttl_seconds=settings.session_ttl_seconds,
        max_lifetime_seconds=settings.session_max_lifetime_seconds,
        creations_per_minute=settings.max_sessions_per_client_per_minute,
        max_tracked_clients=settings.max_tracked_clients,
        train_seconds_per_minute=settings.max_train_seconds_per_minute,
        datasets=DatasetStore(max_datasets=settings.max_datasets, max_per_client=settings.max_datasets_per_client,
                              ttl_seconds=settings.dataset_ttl_seconds, max_rows=settings.max_samples,
                              uploads_per_minute=settings.max_uploads_per_client_per_minute,
                              max_tracked_clients=settings.max_tracked_clients))
    app.state.runs = RunStore.from_url(settings.resolved_database_url, max_runs=settings.max_runs,
                                       max_runs_per_owner=settings.max_runs_per_owner,
                                       max_run_bytes=settings.max_run_bytes)
    install_error_handlers(app)
    # The last added runs first: security headers go on every answer, CORS preflights and 500s included.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(BodyTimeout, seconds=settings.body_timeout_seconds)
    app.add_middleware(UnhandledErrors)
    if settings.cors_allow_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_allow_origins,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(StreamsPerClient, limit=settings.max_streams_per_client)
    app.add_middleware(AllowedHosts, allowed=settings.trusted_hosts())
    app.add_middleware(SecurityHeaders)
    app.include_router(build_api_router(settings))
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app


app = create_app()
