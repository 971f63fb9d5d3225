"""Builds the ASGI app: ``uvicorn app.main:app``."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from app.api.errors import install_error_handlers
from app.api.middleware import BodySizeLimit, SecurityHeaders
from app.api.main import api_router
from app.api.routes import pages
from app.config import Settings, get_settings
from app.engine.session import TrainingSession
from app.engine.snapshot import snapshot
from app.engine.spec import TrainingSpec
from app.sessions.backend import InProcessBackend
from app.sessions.manager import SessionManager

ROOT = Path(__file__).resolve().parent.parent


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    manager: SessionManager = app.state.sessions
    interval = app.state.settings.reap_interval_seconds

    async def reap_forever() -> None:
        while True:
            await asyncio.sleep(interval)
            manager.reap()

    reaper = asyncio.create_task(reap_forever())
    if app.state.settings.prewarm:
        # Compile the default network's functions while nobody waits, so the first "play" is instant.
        asyncio.get_running_loop().run_in_executor(None, prewarm)
    try:
        yield
    finally:
        reaper.cancel()
        manager.clear()


def prewarm() -> None:
    session = TrainingSession(TrainingSpec(), jit_compile=get_settings().jit_compile)
    session.train(1)
    settings = get_settings()
    snapshot(session, settings.default_resolution, settings.neuron_resolution)


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
    backend = InProcessBackend(workers=os.cpu_count() or 2, jit_compile=settings.jit_compile)
    app.state.sessions = SessionManager(
        backend, max_sessions=settings.max_sessions, ttl_seconds=settings.session_ttl_seconds,
        max_lifetime_seconds=settings.session_max_lifetime_seconds,
        creations_per_minute=settings.max_sessions_per_client_per_minute,
        max_tracked_clients=settings.max_tracked_clients,
        train_seconds_per_minute=settings.max_train_seconds_per_minute)
    install_error_handlers(app)
    # The last added runs first: security headers go on every answer, CORS preflights included.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_allow_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_allow_origins,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(SecurityHeaders)
    app.include_router(api_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app


app = create_app()
