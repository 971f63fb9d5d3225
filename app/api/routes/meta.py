"""Health and the options every control is built from."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import SettingsDep
from app.engine import options as engine_options
from app.engine.spec import TrainingSpec
from app.schemas.sessions import OptionsQuery, SessionConfig
from app.sessions.player import DEFAULT_PACE, PACES

router = APIRouter(tags=["meta"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: answers as long as the web process serves requests."""
    return {"status": "ok"}


@router.get("/options")
def options(settings: SettingsDep, size: Annotated[OptionsQuery, Query()]) -> dict[str, Any]:
    """Every registry (names, labels), every session field (kind, live or not), its default and its limits
    with this server's caps, and the training-set size (the batch size's maximum) for ``num_samples`` and
    ``train_ratio`` (default: the defaults'): the page builds its controls and URL state from this."""
    defaults = TrainingSpec()
    sized = {"num_samples": defaults.num_samples if size.num_samples is None else size.num_samples,
             "train_ratio": defaults.train_ratio if size.train_ratio is None else size.train_ratio}
    return {
        **engine_options.registry_options(),
        "defaults": SessionConfig.from_spec(defaults).model_dump(),
        "fields": engine_options.field_options(),
        "limits": {
            "max_hidden_layers": settings.max_hidden_layers,
            "max_units_per_layer": settings.max_units_per_layer,
            "max_parameters": settings.max_parameters,
            "max_samples": settings.max_samples,
            "max_epochs_per_call": settings.max_epochs_per_call,
            "max_resolution": settings.max_resolution,
            **engine_options.limit_options(settings, **sized),
        },
        "training_set": engine_options.training_set(**sized),
        "custom_data": engine_options.custom_data_options(settings),
        # The stream's pace (epochs per second; null: as fast as the server allows): the page's speed control.
        "pace": {"choices": list(PACES), "default": DEFAULT_PACE},
    }
