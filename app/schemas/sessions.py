"""The playground's configuration and a session's state, as the HTTP contract sees them.

The request models are generated from the engine's table of session fields (``app.engine.spec.FIELDS``), once
per set of server limits (``session_schemas(settings)``): an app's OpenAPI schema and its validation show that
app's limits. The module-level ``SessionConfig``, ``SessionState``, ``TrainRequest`` and ``DatasetConfig`` are
the same models without server caps; routes name them and each app binds its own in their place
(``app/api/binding.py``).
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, Field, create_model, model_validator

from app.engine import custom_data, datasets
from app.engine.losses import LOSSES
from app.engine.registry import Registry
from app.engine.spec import FIELDS, WEIGHT_LIMIT, Cap, TrainingSpec, bound
from app.engine.spec import Field as SpecField
from app.schemas.common import UNIQUE, FiniteFloat, Integer, ScheduleChoice, StrictModel, integer, named, rules_of

# Server settings that are not a field's own: the network's size, the epochs of one call, the boundary's grids
# (their limits and defaults).
OTHER_CAPS = ("max_parameters", "max_epochs_per_call", "max_resolution", "max_boundary_cells",
              "default_resolution", "neuron_resolution")
CAPS = tuple(dict.fromkeys([*(b.setting for f in FIELDS.values() for b in (f.maximum, f.max_length, f.item_maximum)
                              if isinstance(b, Cap)), *OTHER_CAPS]))
# A field that carries another inside it on the wire, and that other: {"lr_schedule": {"name": ..., "params": ...}}.
CARRIED = {f.within: name for name, f in FIELDS.items() if f.within}


@dataclass(frozen=True)
class Limits:
    """The server's caps, by setting name (``Settings`` has them all); None: no cap."""

    values: tuple[tuple[str, int | None], ...]

    def __getattr__(self, name: str) -> int | None:
        return dict(self.values).get(name)

    @classmethod
    def of(cls, settings: Any) -> "Limits":
        return cls(tuple((name, None if settings is None else getattr(settings, name)) for name in CAPS))


def _registered(registry: Registry) -> AfterValidator:
    def check(value: Any) -> Any:
        for name in value if isinstance(value, list) else [value]:
            if name is not None:
                registry.entry(name)  # ValueError lists the expected names
        return value
    return AfterValidator(check)


def _number_constraints(low: Any, high: Any, exclusive: bool, limits: Limits) -> dict[str, Any]:
    """Static bounds as pydantic constraints; a server cap only in the schema (the model checks it with its
    own message, which names the setting)."""
    out: dict[str, Any] = {}
    if low is not None:
        out["gt" if exclusive else "ge"] = low
    if isinstance(high, Cap):
        if bound(high, limits) is not None:
            out.setdefault("json_schema_extra", {})["maximum"] = bound(high, limits)
    elif high is not None:
        out["le"] = high
    return out


def _wire_field(name: str, f: SpecField, limits: Limits, *, optional: bool = False) -> tuple[Any, Any]:
    """The pydantic annotation and ``Field`` of one table row (with ``optional``: None by default)."""
    default = TrainingSpec.__dataclass_fields__[name]
    value = default.default_factory() if callable(default.default_factory) else default.default
    info: dict[str, Any] = {"description": f.description[:1].upper() + f.description[1:]}
    if name in CARRIED:
        return (ScheduleChoice | None, Field(None, **info)) if optional else \
            (ScheduleChoice, Field(ScheduleChoice(name=value), **info))
    if f.kind in ("int", "float"):
        constraints = _number_constraints(f.minimum, f.maximum, f.exclusive_minimum, limits)
        base: Any = integer(**constraints) if f.kind == "int" else Annotated[FiniteFloat, Field(**constraints)]
    elif f.kind == "str":
        base = Annotated[named(f.registry), _registered(f.registry)] if f.registry else str
    elif f.kind == "points":  # [x1, x2, label] rows; the engine checks each cell and names its row and column
        # without this app's cap (the live change's model): the engine's ceiling; the server's own cap still holds
        rows = bound(f.max_length, limits) or custom_data.MAX_ROWS
        row = Annotated[list[float | str], Field(min_length=3, max_length=3)]
        base = Annotated[list[row], Field(json_schema_extra={"maxItems": rows})]
        info["examples"] = [[[-2.0, 1.5, 0], [2.5, -1.0, 1], [1.0, 3.0, 1], [-3.0, -2.0, 0]]]
    else:  # lists: their sizes go on the list itself, so that they stay beside "array" in an optional's anyOf
        item: Any = str
        if f.kind == "ints":
            item = integer(**_number_constraints(f.item_minimum, f.item_maximum, False, limits))
        elif f.registry:
            item = named(f.registry)
        value = list(value) if value is not None else None
        sizes: dict[str, Any] = {"json_schema_extra": dict(UNIQUE) if f.unique else {}}
        if f.min_length is not None:
            sizes["min_length"] = f.min_length
        if isinstance(f.max_length, Cap):
            if bound(f.max_length, limits) is not None:
                sizes["json_schema_extra"]["maxItems"] = bound(f.max_length, limits)
        elif f.max_length is not None:
            sizes["max_length"] = f.max_length
        base = Annotated[list[item], Field(**sizes)]
        if f.registry:
            base = Annotated[base, _registered(f.registry)]
    if optional:
        return base | None, Field(None, **info)
    return (base | None if f.optional else base), Field(value, **info)


def _within_caps(values: dict[str, Any], limits: Limits, names: list[str]) -> None:
    """The server's caps on the table's fields, with messages that say they are the server's."""
    for name in names:
        f, value = FIELDS[name], values.get(name)
        if value is None:
            continue
        cap = bound(f.maximum, limits)
        if cap is not None and value > cap:
            raise ValueError(f"{name} may be at most {cap} (server limit); received {value}")
        cap = bound(f.max_length, limits)
        if cap is not None and len(value) > cap:
            raise ValueError(f"at most {cap} {f.noun or 'items'} in {name} (server limit); received {len(value)}")
        cap = bound(f.item_maximum, limits)
        if cap is not None and any(v > cap for v in value):
            raise ValueError(f"each of {name} takes {f.item_minimum} to {cap} {f.item_noun} (server limit); "
                             f"received {value}")


def to_engine(values: dict[str, Any]) -> dict[str, Any]:
    """Wire values → ``TrainingSpec`` keyword arguments (lists become tuples; the schedule opens up)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in CARRIED:
            out[name], out[CARRIED[name]] = value.name, dict(value.params)
        elif FIELDS[name].kind == "points" and value is not None:
            out[name] = tuple(tuple(row) for row in value)
        else:
            out[name] = tuple(value) if isinstance(value, list) else value
    return out


def to_wire(spec: TrainingSpec, names: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(spec, name)
        if name in CARRIED:
            value = ScheduleChoice.model_construct(name=value, params=dict(getattr(spec, CARRIED[name])))
        elif FIELDS[name].kind == "points" and value is not None:
            value = [list(row) for row in value]
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


WIRE_FIELDS = [name for name, f in FIELDS.items() if not f.within]
DATA_FIELDS = [name for name in WIRE_FIELDS if FIELDS[name].data]


class _Config(StrictModel):
    """What the generated configuration models share: conversion to and from the engine's spec."""

    def to_spec(self) -> TrainingSpec:
        return TrainingSpec(**to_engine({k: getattr(self, k) for k in type(self).model_fields}))

    @classmethod
    def from_spec(cls, spec: TrainingSpec) -> "_Config":
        return cls.model_construct(**to_wire(spec, list(cls.model_fields)))


def _dataset_conditions(names: list[str]) -> list[dict[str, Any]]:
    """What a data set decides about the other fields, read from its registry entry, as JSON Schema conditions
    on ``dataset``: its number of classes (fixed, or a range of its own) and, where ``loss`` is a field, the
    losses that fit its problem. The default data set's condition also holds when ``dataset`` is left out."""
    default = TrainingSpec().dataset
    groups: dict[str, tuple[list[str], dict[str, Any]]] = {}
    custom: list[dict[str, Any]] = []
    for entry in datasets.DATASETS:
        dataset = entry.value
        if dataset.custom:  # its points decide the classes and the problem; they come inline or by id
            custom.append({"if": {"properties": {"dataset": {"const": entry.name}}, "required": ["dataset"]},
                           "then": {"anyOf": [{"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                                              for name in ("points", "dataset_id")]}})
            continue
        if "classes" in dataset.params:
            _, low, high = dataset.params["classes"]
            classes: dict[str, Any] = {"anyOf": [{"type": "integer", "minimum": low, "maximum": high},
                                                 {"type": "null"}]}
        else:  # a fixed count: it may be given as it is, or left out
            fixed = dataset.num_classes({})
            classes = {"enum": [fixed, None]} if fixed else {"type": "null"}
        then = {"num_classes": classes}
        if "loss" in names:
            then["loss"] = {"enum": [*(e.name for e in LOSSES if dataset.problem in e.value.problems), None]}
        groups.setdefault(json.dumps(then, sort_keys=True), ([], then))[0].append(entry.name)
    conditions = []
    for members, then in groups.values():
        condition: dict[str, Any] = {"properties": {"dataset": {"enum": members}}}
        if default not in members:
            condition["required"] = ["dataset"]
        conditions.append({"if": condition, "then": {"properties": then}})
    return conditions + custom


def _config_rules(names: list[str], limits: Limits) -> tuple[str, ...]:
    """What the configuration is checked against beyond its JSON Schema."""
    if "hidden_layers" not in names:
        return ()
    cap = limits.max_parameters
    network = (f"the network has at most {cap} parameters (server limit): weights and biases from the features "
               f"through hidden_layers to the outputs (1, or one per class)") if cap is not None else None
    return tuple(r for r in (
        "layer_activations, when given, holds one activation per hidden layer (as many items as hidden_layers)",
        "batch_size is at most the number of training points: round(num_samples × train_ratio), kept between "
        "1 and num_samples − 1 (GET /api/options?num_samples=…&train_ratio=… gives it); for dataset custom, "
        "any (a batch above its training points trains them all)",
        CUSTOM_RULE, network, *rules_of(ScheduleChoice)) if r)


CUSTOM_RULE = ("dataset custom takes its points from dataset_id (POST /api/datasets) or points: every row is "
               "checked (a 422 names the row and column of the first problem), class labels and problem_type must "
               "agree, at least 2 rows and 2 classes")


def _config_model(model_name: str, names: list[str], limits: Limits, doc: str, example: dict) -> type[_Config]:
    fields = {name: _wire_field(name, FIELDS[name], limits) for name in names}
    network = "hidden_layers" in names

    def checked(self: Any) -> Any:
        _within_caps(self.__dict__, limits, names)
        datasets.resolve_params(self.dataset, self.num_classes)
        # An uploaded dataset's points are put in by the server after this (app.sessions.datasets), then checked.
        by_id = datasets.DATASETS.get(self.dataset).custom and self.points is None and self.dataset_id
        if network and not by_id:
            spec = self.to_spec().resolved()  # the loss fits the problem, the batch the data, the schedule...
            cap = limits.max_parameters
            if cap is not None and spec.num_parameters > cap:
                raise ValueError(f"the network has {spec.num_parameters} parameters; the server limit is {cap}")
        return self

    model = create_model(model_name, __base__=_Config, __doc__=doc,
                         __validators__={"_checked": model_validator(mode="after")(checked)}, **fields)
    model.model_config["json_schema_extra"] = {"examples": [example, *([CUSTOM_EXAMPLE] if network else [])],
                                               "allOf": _dataset_conditions(names)}
    model.cross_field_rules = _config_rules(names, limits)
    return model


@dataclass(frozen=True)
class SessionSchemas:
    """The models whose validation and schema depend on the server's limits, for one set of limits."""

    DatasetConfig: type[_Config]
    SessionConfig: type[_Config]
    TrainRequest: type[BaseModel]
    SessionState: type[BaseModel]
    BoundaryQuery: type[BaseModel]
    OptionsQuery: type[BaseModel]


def _server_cap(name: str, cap: int | None) -> AfterValidator:
    def check(value: Any) -> Any:
        if cap is not None and value is not None and value > cap:
            raise ValueError(f"{name} may be at most {cap} (server limit); received {value}")
        return value
    return AfterValidator(check)


def _boundary_query(limits: Limits) -> type[BaseModel]:
    """``GET .../boundary``'s grids: at least 2 cells a side, at most the server's ``max_resolution``."""
    cap, cells = limits.max_resolution, limits.max_boundary_cells
    fields: dict[str, Any] = {}
    for name, default, what in (("resolution", limits.default_resolution, "output unit"),
                                ("neuron_resolution", limits.neuron_resolution, "input feature and hidden neuron")):
        extra = {"maximum": cap} if cap is not None else {}
        fields[name] = (Annotated[integer(ge=2, json_schema_extra=extra) | None, _server_cap(name, cap)],
                        Field(default, description=f"Cells a side of the grid of each {what}"))
    model = create_model("BoundaryQuery", **fields)
    model.cross_field_rules = () if cells is None else (
        f"all grids together hold at most {cells:,} cells (server limit): resolution² per output unit and "
        f"neuron_resolution² per input feature and hidden neuron of the session's network",)
    return model


def _options_query(limits: Limits) -> type[BaseModel]:
    """``GET /api/options``'s data size, limited as a session's own fields are."""
    names = ["num_samples", "train_ratio"]

    def checked(self: Any) -> Any:
        _within_caps(self.__dict__, limits, names)
        return self

    fields = {name: _wire_field(name, FIELDS[name], limits, optional=True) for name in names}
    fields["num_samples"][1].description = "Size the batch range for this many points"
    fields["train_ratio"][1].description = "... and this training ratio"
    return create_model("OptionsQuery", __validators__={"_checked": model_validator(mode="after")(checked)},
                        **fields)


def _train_request(limits: Limits) -> type[BaseModel]:
    cap = limits.max_epochs_per_call
    extra = {"maximum": cap} if cap is not None else {}

    def checked(self: Any) -> Any:
        if cap is not None and self.epochs > cap:
            raise ValueError(f"epochs may be at most {cap} per call (server limit); received {self.epochs}")
        return self

    model = create_model("TrainRequest", __base__=StrictModel,
                         __validators__={"_checked": model_validator(mode="after")(checked)},
                         epochs=(Integer, Field(1, ge=1, description="Epochs to run in this call (capped by settings)",
                                            json_schema_extra=extra)))
    model.model_config["json_schema_extra"] = {"examples": [{"epochs": 100}]}
    return model


@lru_cache(maxsize=16)
def _schemas(limits: Limits) -> SessionSchemas:
    config = _config_model("SessionConfig", WIRE_FIELDS, limits,
                           "The whole playground in one flat object; every field has a default (TensorFlow "
                           "Playground's).", SESSION_EXAMPLE)
    state = create_model("SessionState", __base__=_SessionStateBase, config=(config, ...))
    return SessionSchemas(
        DatasetConfig=_config_model("DatasetPreviewRequest", DATA_FIELDS, limits, "A dataset configuration.",
                                    {"dataset": "spiral", "noise": 10, "num_samples": 200, "train_ratio": 0.5,
                                     "seed": 1}),
        SessionConfig=config, TrainRequest=_train_request(limits), SessionState=state,
        BoundaryQuery=_boundary_query(limits), OptionsQuery=_options_query(limits))


def session_schemas(settings: Any) -> SessionSchemas:
    """The models for an app with these settings (None: without server caps). Apps with equal limits share them."""
    return _schemas(Limits.of(settings))


SESSION_EXAMPLE = {
    "dataset": "spiral", "noise": 0, "num_samples": 500, "train_ratio": 0.5, "seed": 1,
    "features": ["x1", "x2"], "hidden_layers": [8, 8, 8], "activation": "tanh",
    "loss": "binary_crossentropy", "optimizer": "adam", "learning_rate": 0.01,
    "lr_schedule": {"name": "constant", "params": {}}, "regularization": "none", "regularization_rate": 0,
    "batch_size": 10,
}
# Custom data: by the id POST /api/datasets answered, or inline (``"points": [[x1, x2, label], ...]``).
CUSTOM_EXAMPLE = {"dataset": "custom", "dataset_id": "Zx3QmT0b9kqJ1yWl7dVb2A", "hidden_layers": [8, 8],
                  "train_ratio": 0.7}


class Metrics(StrictModel):
    loss: float | None = None
    accuracy: float | None = None
    mae: float | None = None
    confusion_matrix: list[list[int]] | None = Field(None, description="Rows: true class; columns: predicted")


class _SessionStateBase(StrictModel):
    id: str
    status: Literal["idle", "diverged"]  # app.engine.session.Status
    message: str | None = None
    epoch: int
    train_loss: float | None
    test_loss: float | None
    metrics: Metrics = Field(description="On the test set")
    train_metrics: Metrics
    problem: Literal["binary", "multiclass", "regression"]
    num_parameters: int


def _patch_model() -> type[BaseModel]:
    """Live changes from the table's live and data fields, every one optional; none depends on the server's
    caps (a data change is checked by the engine, which keeps the old data when it refuses the new)."""
    fields: dict[str, Any] = {}
    for name in (n for n in WIRE_FIELDS if FIELDS[n].live or FIELDS[n].data):
        fields[name] = _wire_field(name, FIELDS[name], Limits.of(None), optional=True)

    def changes(self: Any) -> dict[str, Any]:
        """The engine's ``update`` arguments: only the fields given."""
        return to_engine({k: v for k, v in self.__dict__.items() if v is not None})

    model = create_model("SessionPatch", __base__=StrictModel,
                         __doc__="Live changes: applied without resetting the weights or the epoch count.",
                         **fields)
    model.changes = changes
    model.cross_field_rules = (
        "batch_size is at most the session's training points (GET /api/options?num_samples=…&train_ratio=… "
        "gives it for the session's configuration; custom data: any, a batch above its points trains them all)",
        "new data (custom points, dataset_id, or another data field) is checked as a new configuration's; "
        "refused, the session keeps its data", *rules_of(ScheduleChoice))
    model.model_config["json_schema_extra"] = {"examples": [
        {"learning_rate": 0.003}, {"dataset": "custom", "dataset_id": "Zx3QmT0b9kqJ1yWl7dVb2A"}]}
    return model


SessionPatch = _patch_model()

_UNCAPPED = session_schemas(None)
DatasetConfig = _UNCAPPED.DatasetConfig
SessionConfig = _UNCAPPED.SessionConfig
TrainRequest = _UNCAPPED.TrainRequest
SessionState = _UNCAPPED.SessionState
BoundaryQuery = _UNCAPPED.BoundaryQuery
OptionsQuery = _UNCAPPED.OptionsQuery


class ResetRequest(StrictModel):
    reseed: bool = Field(False, description="Draw new initial weights instead of restoring the same ones")


class History(StrictModel):
    epochs: list[int]
    train_loss: list[float | None]
    test_loss: list[float | None]


class Boundary(StrictModel):
    resolution: int
    output: list[Any] = Field(description="[row][col] (x2 from +6 down to -6, x1 from -6 to +6): "
                              "P(class 1) or the value; [row][col][class] for multi-class")
    neuron_resolution: int
    neurons: list[list[Any]] = Field(description="[layer][unit][row][col] hidden activations")
    inputs: list[Any] = Field(description="[feature][row][col] feature values")


class Layer(StrictModel):
    weights: list[list[float]] = Field(description="[from][to]")
    biases: list[float]


class Weights(StrictModel):
    layers: list[Layer]


# How many numbers an edit's index holds: a weight joins two neurons, a bias belongs to one.
INDEX_LENGTH = {"weight": 2, "bias": 1}


class WeightEdit(StrictModel):
    """One weight (``index: [from, to]``) or bias (``index: [neuron]``) of a layer (0 = first hidden)."""

    model_config = {"extra": "forbid", "json_schema_extra": {
        "examples": [{"layer": 0, "kind": "weight", "index": [0, 1], "value": 0.5}],
        "oneOf": [{"properties": {"kind": {"const": kind}, "index": {"minItems": n, "maxItems": n}}}
                  for kind, n in INDEX_LENGTH.items()]}}
    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "layer and every number of index lie within the session's network (GET .../weights shows its shapes)",)

    layer: Integer = Field(ge=0)
    kind: Literal[tuple(INDEX_LENGTH)]  # type: ignore[valid-type]
    index: list[integer(ge=0)] = Field(min_length=min(INDEX_LENGTH.values()),  # type: ignore[valid-type]
                                       max_length=max(INDEX_LENGTH.values()))
    value: FiniteFloat = Field(ge=-WEIGHT_LIMIT, le=WEIGHT_LIMIT)
