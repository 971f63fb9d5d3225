"""Everything a user may choose, read from the registries and the table of session fields: the source of
``GET /api/options``."""

from typing import Any

from app.engine import custom_data, spec
from app.engine.activations import ACTIVATIONS
from app.engine.datasets import DATASETS, DOMAIN, training_size
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


# Each registry by the key its list of choices has in /api/options.
REGISTRIES: dict[str, Registry] = {
    "datasets": DATASETS, "features": FEATURES, "activations": ACTIVATIONS, "losses": LOSSES,
    "optimizers": OPTIMIZERS, "regularizations": REGULARIZERS, "lr_schedules": SCHEDULES,
}
_LIMIT_KEYS = ("minimum", "maximum", "min_length", "max_length", "item_minimum", "item_maximum")


def field_options() -> dict[str, dict[str, Any]]:
    """Each session field as the request takes it: its kind, whether it is live, the registry it names.
    A field carried inside another (the schedule's parameters) is part of that one, of kind "schedule".
    Custom data's own fields are no control and no part of a link: ``custom_data_options`` lists them."""
    keys = {id(r): k for k, r in REGISTRIES.items()}
    carriers = {f.within for f in spec.FIELDS.values() if f.within}
    return {name: {"kind": "schedule" if name in carriers else f.kind, "live": f.live, "optional": f.optional,
                   "registry": keys.get(id(f.registry)), "description": f.description}
            for name, f in spec.FIELDS.items() if not f.within and not f.custom}


def limit_options(limits: Any, num_samples: int, train_ratio: float) -> dict[str, Any]:
    """Every field's limits with the server's caps (``limits``: the settings) filled in, the input domain,
    the weight-edit limit, and the batch size's range for a data set of ``num_samples`` at ``train_ratio``."""
    out: dict[str, Any] = {}
    for name, f in spec.FIELDS.items():
        values = {k: spec.bound(getattr(f, k), limits) for k in _LIMIT_KEYS}
        entry = {k: v for k, v in values.items() if v is not None}
        if f.exclusive_minimum:
            entry["exclusive_minimum"] = True
        if entry:
            out[name] = entry
    n_train = training_size(num_samples, train_ratio)
    out["batch_size"] = {**out.get("batch_size", {}), "maximum": n_train}
    out["domain"] = {"minimum": -DOMAIN, "maximum": DOMAIN}
    out["weight"] = {"minimum": -spec.WEIGHT_LIMIT, "maximum": spec.WEIGHT_LIMIT}
    return out


def training_set(num_samples: int, train_ratio: float) -> dict[str, Any]:
    n_train = training_size(num_samples, train_ratio)
    return {"num_samples": num_samples, "train_ratio": train_ratio, "n_train": n_train,
            "n_test": num_samples - n_train}


def registry_options() -> dict[str, Any]:
    return {
        "datasets": [
            {**_named(e), "problem": e.value.problem.value if e.value.problem else None, "custom": e.value.custom,
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
                            "description": p.description, "label_zh": p.label_zh or k.replace("_", " "),
                            "description_zh": p.description_zh or p.description}
                       for k, p in e.value.params.items()}}
            for e in SCHEDULES
        ],
    }


def custom_data_options(limits: Any) -> dict[str, Any]:
    """What a page needs to take a learner's own data: the dataset that carries it, its row and class limits,
    the upload cap (``limits``: the settings) and the problem types it may choose between."""
    return {
        "dataset": next(e.name for e in DATASETS if e.value.custom),
        "points_field": next(name for name, f in spec.FIELDS.items() if f.kind == "points"),
        # its own fields (not in "fields": no control, no link), as "fields" describes the others
        "fields": {name: {"kind": f.kind, "optional": f.optional, "description": f.description,
                          "registry": "problems" if f.registry is custom_data.PROBLEM_TYPES else None}
                   for name, f in spec.FIELDS.items() if f.custom},
        # every field a live data change may send (PATCH, the stream's set): weights kept if the network stays
        "data_fields": [name for name, f in spec.FIELDS.items() if f.data],
        "min_rows": custom_data.MIN_ROWS, "max_rows": limits.max_samples,
        "num_classes": {"minimum": 2, "maximum": custom_data.MAX_CLASSES},
        "max_class_name_length": custom_data.MAX_NAME_LENGTH,
        "upload_bytes": limits.max_upload_bytes, "domain": [-DOMAIN, DOMAIN],
        "problems": _simple(custom_data.PROBLEM_TYPES),
        "media_types": ["application/json", "text/csv"],
        "ttl_seconds": limits.dataset_ttl_seconds,
    }
