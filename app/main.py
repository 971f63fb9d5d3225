"""Builds the ASGI app: ``uvicorn app.main:app``."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api.errors import install_error_handlers
from app.api.middleware import BodySizeLimit, SecurityHeaders
from app.api.main import api_router
from app.api.routes import pages
from app.config import get_settings
from app.engine.session import TrainingSession
from app.engine.snapshot import snapshot
from app.engine.spec import TrainingSpec
from app.sessions.backend import InProcessBackend
from app.sessions.manager import SessionManager

ROOT = Path(__file__).resolve().parent.parent


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    manager: SessionManager = app.state.sessions
    interval = get_settings().reap_interval_seconds

    async def reap_forever() -> None:
        while True:
            await asyncio.sleep(interval)
            manager.reap()

    reaper = asyncio.create_task(reap_forever())
    if get_settings().prewarm:
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


def create_app() -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served by app/api/routes/pages.py from vendored assets, under the CSP
        redoc_url=None,
        title="Tensor Playground",
        version="1.0.0",
        description="Train small TensorFlow networks on 2-D toy data and explore deep-learning concepts. "
        "Every number is computed by TensorFlow on the server.",
    )
    settings = get_settings()
    backend = InProcessBackend(workers=os.cpu_count() or 2, jit_compile=settings.jit_compile)
    app.state.sessions = SessionManager(backend, max_sessions=settings.max_sessions,
                                        ttl_seconds=settings.session_ttl_seconds)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.include_router(api_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app


app = create_app()
