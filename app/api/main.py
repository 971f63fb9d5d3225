"""Joins the routers; each concern lives in ``app/api/routes/<concern>.py``."""

from fastapi import APIRouter

from app.api.routes import concepts, datasets, meta, runs, sessions, stream
from app.schemas.common import ErrorResponse

# Answers any operation may give, whatever its own handler does.
COMMON_RESPONSES = {
    400: {"model": ErrorResponse, "description": "The body is not decodable JSON text"},
    413: {"model": ErrorResponse, "description": "The body is larger than the server accepts"},
    422: {"model": ErrorResponse, "description": "Invalid input: which field, what is allowed, what was received"},
}

api_router = APIRouter(prefix="/api", responses=COMMON_RESPONSES)
api_router.include_router(meta.router)
api_router.include_router(datasets.router)
api_router.include_router(sessions.router)
api_router.include_router(stream.router)
api_router.include_router(concepts.router)
api_router.include_router(runs.router)
