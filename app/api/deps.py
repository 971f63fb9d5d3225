"""Typed dependency aliases shared by the routes."""

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings, get_settings
from app.sessions.manager import SessionManager


def get_manager(request: Request) -> SessionManager:
    return request.app.state.sessions


SettingsDep = Annotated[Settings, Depends(get_settings)]
ManagerDep = Annotated[SessionManager, Depends(get_manager)]
