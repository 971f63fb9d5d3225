"""Typed dependency aliases shared by the routes."""

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.sessions.manager import SessionManager


def get_settings(request: Request) -> Settings:
    """The settings of the app serving this request (two apps in one process each keep their own)."""
    return request.app.state.settings


def get_manager(request: Request) -> SessionManager:
    return request.app.state.sessions


def get_client(request: Request) -> str:
    """The caller's address as the server sees it: behind a proxy, the proxy's unless uvicorn trusts it
    (``--forwarded-allow-ips``) to pass the original on."""
    return request.client.host if request.client else ""


SettingsDep = Annotated[Settings, Depends(get_settings)]
ManagerDep = Annotated[SessionManager, Depends(get_manager)]
ClientDep = Annotated[str, Depends(get_client)]
