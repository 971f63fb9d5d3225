"""Joins the routers; each concern lives in ``app/api/routes/<concern>.py``."""

from typing import Any

from fastapi import APIRouter

from app.api.binding import bind, substitutions
from app.api.routes import concepts, datasets, meta, runs, sessions, stream
from app.schemas.common import ErrorResponse

# Answers any operation may give, whatever its own handler does.
COMMON_RESPONSES = {
    400: {"model": ErrorResponse, "description": "The body is not decodable JSON text"},
    413: {"model": ErrorResponse, "description": "The body is larger than the server accepts"},
    422: {"model": ErrorResponse, "description": "Invalid input: which field, what is allowed, what was received"},
}


def build_api_router(settings: Any) -> APIRouter:
    """The API of an app with these settings: its request models carry its limits."""
    models = substitutions(settings)
    router = APIRouter(prefix="/api", responses=COMMON_RESPONSES)
    for module in (meta, datasets, sessions, stream, runs):
        router.include_router(bind(module.router, models))
    router.include_router(concepts.router)
    return router
