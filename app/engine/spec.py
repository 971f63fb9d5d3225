"""What defines a training run, declared once: the table of session fields.

Each field of ``TrainingSpec`` carries a ``Field`` (its metadata): limits, whether it is *live* (changes
without a reset) or structural (a new network), the registry its value names, and a one-line description.
The HTTP models, ``/api/options``, the live fields of a session and the compile keys are all read from it,
so adding a session field is one entry here plus the code that uses it.
"""

import dataclasses
import math
from dataclasses import dataclass, replace
from typing import Any

from app.engine import custom_data, datasets, features, schedules
from app.engine.activations import ACTIVATIONS
from app.engine.losses import DEFAULT_LOSS, LOSSES, check_fits
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem, output_units
from app.engine.registry import Registry
from app.engine.regularizers import REGULARIZERS
from app.engine.trainer import Architecture, Kind

SEED_MAX = 2**31 - 1
WEIGHT_LIMIT = 100.0  # an edited weight or bias stays within ±WEIGHT_LIMIT
RATE_MAX = 10.0  # learning and regularization rates


@dataclass(frozen=True)
class Cap:
    """A limit the server's settings decide (``Settings.<setting>``); the engine alone does not enforce it."""

    setting: str


Bound = float | int | Cap | None


@dataclass(frozen=True)
class Field:
    """One row of the table. ``kind`` is the value's shape: "str", "int", "float", "ints", "strs", "params",
    "points" (``[x1, x2, label]`` rows)."""

    kind: str
    description: str
    live: bool = False
    optional: bool = False  # None is allowed (and means "the server fills it in")
    registry: Registry | None = None
    minimum: Bound = None
    maximum: Bound = None
    exclusive_minimum: bool = False  # ``minimum`` itself is refused
    min_length: int | None = None  # lists
    max_length: Bound = None
    unique: bool = False  # a list names each item at most once
    item_minimum: Bound = None  # every number in a list
    item_maximum: Bound = None
    within: str | None = None  # carried inside another field on the wire (the schedule's parameters)
    data: bool = False  # decides the data set (a dataset preview takes these fields)
    # custom data's own (dataset "custom"): the page's data panel carries them; no control, no part of a link
    custom: bool = False
    noun: str = ""  # what the items of a list are, for messages: "hidden layers"
    item_noun: str = ""  # what an item's number counts: "units"


def _entry(default: Any, field: Field) -> Any:
    factory = {"default_factory": lambda: dict(default)} if isinstance(default, dict) else {"default": default}
    return dataclasses.field(metadata={"spec": field}, **factory)


@dataclass(frozen=True)
class TrainingSpec:
    """A full playground configuration. Defaults are TensorFlow Playground's."""

    dataset: str = _entry("circle", Field("str", "the 2-D data set", data=True, registry=datasets.DATASETS))
    noise: float = _entry(0.0, Field("float", "label noise, in percent", data=True, minimum=datasets.NOISE_RANGE[0],
                                     maximum=datasets.NOISE_RANGE[1]))
    num_samples: int = _entry(500, Field("int", "points in all, training and test", data=True,
                                         minimum=datasets.MIN_SAMPLES, maximum=Cap("max_samples")))
    train_ratio: float = _entry(0.5, Field("float", "the share of the points that trains", data=True,
                                           minimum=datasets.TRAIN_RATIO_RANGE[0],
                                           maximum=datasets.TRAIN_RATIO_RANGE[1]))
    num_classes: int | None = _entry(None, Field("int", "classes of a multi-class data set (its own range)",
                                                 data=True, optional=True, minimum=2, maximum=16))
    seed: int = _entry(1, Field("int", "seeds the data", data=True, minimum=0, maximum=SEED_MAX))
    # Custom data (dataset "custom"): the points travel with the spec, to a worker process, a saved run or an
    # export alike; ``dataset_id`` only names where they came from (the server puts that dataset's points here).
    dataset_id: str | None = _entry(None, Field("str", "an uploaded dataset's id (POST /api/datasets), for "
                                                "dataset custom", data=True, optional=True, custom=True))
    points: tuple[tuple[float, float, float], ...] | None = _entry(None, Field(
        "points", "custom data as [x1, x2, label] rows: a class index or name, or a number for regression",
        data=True, optional=True, custom=True, noun="points", max_length=Cap("max_samples")))
    problem_type: str | None = _entry(None, Field("str", "classification or regression, for custom data (none: "
                                                  "inferred from the labels)", data=True, optional=True,
                                                  custom=True, registry=custom_data.PROBLEM_TYPES))
    class_names: tuple[str, ...] | None = _entry(None, Field(
        "strs", "the name of each class of custom data, by index", data=True, optional=True, custom=True,
        noun="class names",
        min_length=2, max_length=custom_data.MAX_CLASSES))
    init_seed: int = _entry(1, Field("int", "seeds the initial weights; a reseed draws a new one",
                                     minimum=0, maximum=SEED_MAX))
    features: tuple[str, ...] = _entry(features.DEFAULT_FEATURES, Field(
        "strs", "the network's inputs, computed from x1 and x2", registry=features.FEATURES,
        unique=True, min_length=1, max_length=len(features.FEATURES)))
    hidden_layers: tuple[int, ...] = _entry((4, 2), Field(
        "ints", "units of each hidden layer", noun="hidden layers", item_noun="units", min_length=0,
        max_length=Cap("max_hidden_layers"),
        item_minimum=1, item_maximum=Cap("max_units_per_layer")))
    activation: str = _entry("tanh", Field("str", "the hidden layers' activation", registry=ACTIVATIONS))
    layer_activations: tuple[str, ...] | None = _entry(None, Field(
        "strs", "one activation per hidden layer, instead of the one above", optional=True, noun="activations",
        registry=ACTIVATIONS, max_length=Cap("max_hidden_layers")))
    loss: str | None = _entry(None, Field("str", "the loss; by default the usual one for the problem",
                                          optional=True, registry=LOSSES))
    optimizer: str = _entry("sgd", Field("str", "the update rule", registry=OPTIMIZERS))
    learning_rate: float = _entry(0.03, Field("float", "the step size", live=True, minimum=0,
                                              exclusive_minimum=True, maximum=RATE_MAX))
    lr_schedule: str = _entry("constant", Field("str", "how the learning rate changes with the steps", live=True,
                                                registry=schedules.SCHEDULES))
    lr_schedule_params: dict[str, Any] = _entry({}, Field("params", "the schedule's parameters", live=True,
                                                          within="lr_schedule"))
    regularization: str = _entry("none", Field("str", "the weight penalty", live=True, registry=REGULARIZERS))
    regularization_rate: float = _entry(0.0, Field("float", "the penalty's weight", live=True, minimum=0,
                                                   maximum=RATE_MAX))
    batch_size: int = _entry(10, Field("int", "points per update (at most the training points)", live=True,
                                       minimum=1))

    def resolved(self) -> "TrainingSpec":
        """Checks every name and number against the table and the registries; fills the loss, classes and
        schedule defaults. Raises ``ValueError`` saying what was expected and what was received.
        """
        self = self._with_data()
        custom = self.custom
        for name, field in FIELDS.items():
            _check(name, field, getattr(self, name))
        problem = self.problem
        params = datasets.resolve_params(self.dataset, self.num_classes)
        features.check(self.features)
        if self.layer_activations is not None and len(self.layer_activations) != len(self.hidden_layers):
            raise ValueError(f"layer_activations needs one activation per hidden layer "
                             f"({len(self.hidden_layers)}); received {len(self.layer_activations)}")
        loss = self.loss or DEFAULT_LOSS[problem]
        check_fits(loss, problem)
        schedule_params = schedules.resolve_params(self.lr_schedule, self.lr_schedule_params)
        n_train = self.n_train
        # Custom data grows and shrinks as it is drawn: a batch above its training points trains them all.
        if not 1 <= self.batch_size <= (n_train if not custom else self.batch_size):
            raise ValueError(f"batch_size must be between 1 and the number of training points ({n_train}); "
                             f"received {self.batch_size}")
        classes = self.num_classes if custom else params.get("classes", self._fixed_classes(problem))
        return replace(self, loss=loss, num_classes=classes, lr_schedule_params=schedule_params)

    def _with_data(self) -> "TrainingSpec":
        """Custom data checked and in canonical form (scaled points, class indices, its class count and size);
        any other dataset without custom fields."""
        if not self.custom:
            if (self.dataset_id, self.points, self.problem_type, self.class_names) == (None,) * 4:
                return self
            return replace(self, dataset_id=None, points=None, problem_type=None, class_names=None)
        if self.points is None:
            raise ValueError("dataset custom needs its points: give dataset_id (from POST /api/datasets) or points")
        data = self.custom_points()
        return replace(self, points=data.rows, problem_type=data.kind, class_names=data.class_names,
                       num_classes=data.num_classes)

    def custom_points(self) -> custom_data.CustomData:
        """The spec's points, checked (``custom_data.DataError`` says which row and column is wrong)."""
        return custom_data.from_spec(self.points, self.problem_type, self.class_names)

    @property
    def custom(self) -> bool:
        return datasets.DATASETS.get(self.dataset).custom

    @staticmethod
    def _fixed_classes(problem: Problem) -> int | None:
        return 2 if problem is Problem.BINARY else None

    @property
    def problem(self) -> Problem:
        if not self.custom:
            return datasets.DATASETS.get(self.dataset).problem
        if self.problem_type == "regression":
            return Problem.REGRESSION
        classes = len(self.class_names) if self.class_names else self.num_classes or 2
        return Problem.BINARY if classes == 2 else Problem.MULTICLASS

    @property
    def size(self) -> int:
        """Points in all: custom data's rows, else ``num_samples`` (kept for a switch back to a built-in set)."""
        return len(self.points) if self.custom and self.points is not None else self.num_samples

    @property
    def n_train(self) -> int:
        """Training points (the rest of ``size`` test): the batch size's upper limit."""
        return datasets.training_size(self.size, self.train_ratio)

    @property
    def activations(self) -> tuple[str, ...]:
        return self.layer_activations or (self.activation,) * len(self.hidden_layers)

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Inputs, every hidden layer, outputs."""
        return (len(self.features), *self.hidden_layers, output_units(self.problem, self.num_classes or 0))

    @property
    def num_parameters(self) -> int:
        sizes = self.layer_sizes
        return sum(a * b + b for a, b in zip(sizes, sizes[1:]))

    # -- what decides the compiled functions (of a resolved spec) ----------------------------

    def kind(self) -> Kind:
        """What the graph-mode stand-ins depend on: the same for every width, data size and batch size."""
        return Kind(activations=self.activations, problem=self.problem, num_classes=self.num_classes or 0,
                    loss=self.loss or "", optimizer=self.optimizer, lr_schedule=self.lr_schedule)

    def architecture(self, *, jit_compile: bool = True) -> Architecture:
        """What shapes the compiled (XLA) function; sessions that agree on it share one."""
        return Architecture(
            kind=self.kind(), layer_sizes=self.layer_sizes,
            schedule_shapes=tuple((k, len(v)) for k, v in sorted(self.lr_schedule_params.items())
                                  if isinstance(v, list | tuple)),
            batch_size=min(self.batch_size, self.n_train), n_train=self.n_train,
            n_test=self.size - self.n_train,
            # Custom data changes size with every point drawn: under XLA each size would compile anew (~1 s,
            # 5-11 MB kept), in graph mode one trace per kind of network serves them all.
            jit_compile=jit_compile and not self.custom)


FIELDS: dict[str, Field] = {f.name: f.metadata["spec"] for f in dataclasses.fields(TrainingSpec)}
LIVE_FIELDS: tuple[str, ...] = tuple(name for name, f in FIELDS.items() if f.live)
# What decides the points: changing them during a session keeps the weights when the network stays the same.
DATA_FIELDS: tuple[str, ...] = tuple(name for name, f in FIELDS.items() if f.data)


def bound(value: Bound, limits: Any = None) -> float | int | None:
    """A limit's number: a ``Cap`` is read from ``limits`` (the server's settings), or None without them."""
    if isinstance(value, Cap):
        return getattr(limits, value.setting) if limits is not None else None
    return value


def _check(name: str, field: Field, value: Any) -> None:
    """The table's own limits (caps of the settings excepted: the HTTP layer holds those)."""
    if value is None:
        if not field.optional:
            raise ValueError(f"{name} is required; received None")
        return
    if field.kind == "points":  # checked row by row by custom_data (in ``_with_data``)
        high = bound(field.max_length)
        if high is not None and len(value) > high:
            raise ValueError(f"{name} takes at most {high} rows; received {len(value)}")
        return
    if field.registry is not None:
        for item in value if field.kind == "strs" else (value,):
            field.registry.entry(item)  # ValueError lists the expected names
    if field.kind in ("int", "float"):
        _in_range(name, value, field.minimum, field.maximum, field.exclusive_minimum)
    if field.kind in ("ints", "strs", "points"):
        low, high = field.min_length, bound(field.max_length)
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise ValueError(f"{name} takes {low or 0} to {high} items; received {len(value)}")
        for item in value if field.kind == "ints" else ():
            _in_range(f"every item of {name}", item, field.item_minimum, field.item_maximum, False)


def _in_range(what: str, value: Any, low: Bound, high: Bound, exclusive: bool) -> None:
    low, high = bound(low), bound(high)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number; received {value}")
    if low is not None and (value <= low if exclusive else value < low):
        raise ValueError(f"{what} must be {'greater than' if exclusive else 'at least'} {low:g}; received {value}")
    if high is not None and value > high:
        raise ValueError(f"{what} must be at most {high:g}; received {value}")
