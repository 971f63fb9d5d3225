"""Builds the ASGI app: ``uvicorn app.main:app``."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api.errors import install_error_handlers
from app.api.main import api_router
from app.api.routes import pages

ROOT = Path(__file__).resolve().parent.parent


def create_app() -> FastAPI:
    app = FastAPI(
        title="Tensor Playground",
        version="1.0.0",
        description="Train small TensorFlow networks on 2-D toy data and explore deep-learning concepts. "
        "Every number is computed by TensorFlow on the server.",
    )
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app


app = create_app()
