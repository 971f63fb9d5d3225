"""Health and the options every control is built from."""

from typing import Any

from fastapi import APIRouter

from app.api.deps import SettingsDep
from app.engine.options import registry_options
from app.schemas.sessions import SessionConfig

router = APIRouter(tags=["meta"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: answers as long as the web process serves requests."""
    return {"status": "ok"}


@router.get("/options")
def options(settings: SettingsDep) -> dict[str, Any]:
    """Every registry (names, labels, limits) and the defaults: the page builds its controls from this."""
    return {
        **registry_options(),
        "defaults": SessionConfig().model_dump(),
        "limits": {
            "max_hidden_layers": settings.max_hidden_layers,
            "max_units_per_layer": settings.max_units_per_layer,
            "max_parameters": settings.max_parameters,
            "max_samples": settings.max_samples,
            "max_epochs_per_call": settings.max_epochs_per_call,
            "max_resolution": settings.max_resolution,
            "noise": {"minimum": 0, "maximum": 50},
            "train_ratio": {"minimum": 0.1, "maximum": 0.9},
        },
    }
