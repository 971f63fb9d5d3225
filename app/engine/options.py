"""Everything a user may choose, read from the registries: the source of ``GET /api/options``."""

from typing import Any

from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS
from app.engine.features import FEATURES
from app.engine.losses import DEFAULT_LOSS, LOSSES
from app.engine.optimizers import OPTIMIZERS
from app.engine.registry import Entry, Registry
from app.engine.regularizers import REGULARIZERS
from app.engine.schedules import SCHEDULES


def _named(e: Entry) -> dict[str, Any]:
    """What every entry shows: its name and its label in each language the page offers."""
    return {"name": e.name, "label": e.label, "label_zh": e.label_zh}


def _simple(registry: Registry) -> list[dict[str, Any]]:
    return [{**_named(e), "description": e.description} for e in registry]


def registry_options() -> dict[str, Any]:
    return {
        "datasets": [
            {**_named(e), "problem": e.value.problem.value,
             "num_classes": ({"default": e.value.params["classes"][0], "minimum": e.value.params["classes"][1],
                              "maximum": e.value.params["classes"][2]} if "classes" in e.value.params else None)}
            for e in DATASETS
        ],
        "features": [{**_named(e), "source": e.meta["source"]} for e in FEATURES],
        "activations": _simple(ACTIVATIONS),
        "losses": [
            {**_named(e), "description": e.description, "problems": sorted(p.value for p in e.value.problems)}
            for e in LOSSES
        ],
        "default_losses": {p.value: name for p, name in DEFAULT_LOSS.items()},
        "optimizers": _simple(OPTIMIZERS),
        "regularizations": _simple(REGULARIZERS),
        "lr_schedules": [
            {**_named(e), "description": e.description,
             "uses_learning_rate": e.value.uses_learning_rate,
             "params": {k: {"default": p.default, "kind": p.kind, "minimum": p.minimum, "maximum": p.maximum,
                            "description": p.description, "label_zh": p.label_zh or k.replace("_", " ")}
                       for k, p in e.value.params.items()}}
            for e in SCHEDULES
        ],
    }
