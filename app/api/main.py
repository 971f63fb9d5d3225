"""Joins the routers; each concern lives in ``app/api/routes/<concern>.py``."""

from fastapi import APIRouter

from app.api.routes import concepts, datasets, meta, sessions, stream

api_router = APIRouter(prefix="/api")
api_router.include_router(meta.router)
api_router.include_router(datasets.router)
api_router.include_router(sessions.router)
api_router.include_router(stream.router)
api_router.include_router(concepts.router)
