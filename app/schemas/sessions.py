"""The playground's configuration and a session's state, as the HTTP contract sees them."""

from typing import Any, Literal

from pydantic import Field, field_validator, model_serializer, model_validator

from app.config import get_settings
from app.engine import datasets, features, schedules
from app.engine.activations import ACTIVATIONS
from app.engine.losses import LOSSES
from app.engine.optimizers import OPTIMIZERS
from app.engine.regularizers import REGULARIZERS
from app.engine.spec import TrainingSpec
from app.schemas.common import FiniteFloat, StrictModel


def _registered(registry):
    def check(value: str | None) -> str | None:
        if value is not None:
            registry.entry(value)  # ValueError lists the expected names
        return value
    return check


class LRSchedule(StrictModel):
    """A learning-rate schedule and its parameters (each schedule takes only its own; see /api/options)."""

    name: str = Field("constant", description=f"One of: {', '.join(schedules.SCHEDULES.names())}")
    decay_steps: int | None = Field(None, ge=1, le=1_000_000)
    decay_rate: FiniteFloat | None = Field(None, ge=0, le=1000)
    staircase: bool | None = None
    boundaries: list[int] | None = Field(None, min_length=1, max_length=32)
    values: list[FiniteFloat] | None = Field(None, min_length=1, max_length=33)
    alpha: FiniteFloat | None = Field(None, ge=0, le=1)

    _check_name = field_validator("name")(_registered(schedules.SCHEDULES))

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "name" and v is not None}

    @model_serializer(mode="plain")
    def _only_set(self) -> dict[str, Any]:
        return {"name": self.name, **self.params()}

    @model_validator(mode="after")
    def _fits_schedule(self) -> "LRSchedule":
        schedules.resolve_params(self.name, self.params())
        return self


class DatasetConfig(StrictModel):
    dataset: str = Field("circle", description=f"One of: {', '.join(datasets.DATASETS.names())}")
    noise: FiniteFloat = Field(0, ge=0, le=50, description="0–50, as in TensorFlow Playground")
    num_samples: int = Field(500, ge=10, description="Total points, train and test (capped by settings)")
    train_ratio: FiniteFloat = Field(0.5, ge=0.1, le=0.9)
    num_classes: int | None = Field(None, ge=2, le=16, description="Multi-class datasets only")
    seed: int = Field(1, ge=0, le=2**31 - 1, description="Seeds the data")

    _check_dataset = field_validator("dataset")(_registered(datasets.DATASETS))

    @model_validator(mode="after")
    def _within_limits(self) -> "DatasetConfig":
        limit = get_settings().max_samples
        if self.num_samples > limit:
            raise ValueError(f"num_samples may be at most {limit} (server limit); received {self.num_samples}")
        datasets.resolve_params(self.dataset, self.num_classes)
        return self


class SessionConfig(DatasetConfig):
    """The whole playground in one flat object; every field has a default (TensorFlow Playground's)."""

    model_config = {
        "extra": "forbid",
        "json_schema_extra": {"examples": [{
            "dataset": "spiral", "noise": 0, "num_samples": 500, "train_ratio": 0.5, "seed": 1,
            "features": ["x1", "x2"], "hidden_layers": [8, 8, 8], "activation": "tanh",
            "loss": "binary_crossentropy", "optimizer": "adam", "learning_rate": 0.01,
            "lr_schedule": {"name": "constant"}, "regularization": "none", "regularization_rate": 0,
            "batch_size": 10,
        }]},
    }

    init_seed: int = Field(1, ge=0, le=2**31 - 1, description="Seeds the initial weights")
    features: list[str] = Field(["x1", "x2"], min_length=1, max_length=len(features.FEATURES))
    hidden_layers: list[int] = Field([4, 2], max_length=64)
    activation: str = "tanh"
    layer_activations: list[str] | None = Field(None, max_length=64, description="One per hidden layer")
    loss: str | None = Field(None, description="Defaults to the usual loss for the dataset's problem")
    optimizer: str = "sgd"
    learning_rate: FiniteFloat = Field(0.03, ge=0, le=10)
    lr_schedule: LRSchedule = LRSchedule()
    regularization: str = "none"
    regularization_rate: FiniteFloat = Field(0.0, ge=0, le=10)
    batch_size: int = Field(10, ge=1)

    _check_activation = field_validator("activation")(_registered(ACTIVATIONS))
    _check_loss = field_validator("loss")(_registered(LOSSES))
    _check_optimizer = field_validator("optimizer")(_registered(OPTIMIZERS))
    _check_regularization = field_validator("regularization")(_registered(REGULARIZERS))

    @field_validator("features")
    @classmethod
    def _check_features(cls, value: list[str]) -> list[str]:
        features.check(value)
        return value

    @field_validator("layer_activations")
    @classmethod
    def _check_layer_activations(cls, value: list[str] | None) -> list[str] | None:
        for name in value or []:
            ACTIVATIONS.entry(name)
        return value

    @model_validator(mode="after")
    def _network_within_limits(self) -> "SessionConfig":
        s = get_settings()
        if len(self.hidden_layers) > s.max_hidden_layers:
            raise ValueError(f"at most {s.max_hidden_layers} hidden layers (server limit); "
                             f"received {len(self.hidden_layers)}")
        for units in self.hidden_layers:
            if not 1 <= units <= s.max_units_per_layer:
                raise ValueError(f"each hidden layer takes 1 to {s.max_units_per_layer} units (server limit); "
                                 f"received {self.hidden_layers}")
        spec = self.to_spec().resolved()  # checks the loss fits the problem, batch size, schedule...
        if spec.num_parameters > s.max_parameters:
            raise ValueError(f"the network has {spec.num_parameters} parameters; the server limit is "
                             f"{s.max_parameters}")
        return self

    def to_spec(self) -> TrainingSpec:
        return TrainingSpec(
            dataset=self.dataset, noise=self.noise, num_samples=self.num_samples, train_ratio=self.train_ratio,
            num_classes=self.num_classes, seed=self.seed, init_seed=self.init_seed,
            features=tuple(self.features), hidden_layers=tuple(self.hidden_layers), activation=self.activation,
            layer_activations=tuple(self.layer_activations) if self.layer_activations else None,
            loss=self.loss, optimizer=self.optimizer, learning_rate=self.learning_rate,
            lr_schedule=self.lr_schedule.name, lr_schedule_params=self.lr_schedule.params(),
            regularization=self.regularization, regularization_rate=self.regularization_rate,
            batch_size=self.batch_size)

    @classmethod
    def from_spec(cls, spec: TrainingSpec) -> "SessionConfig":
        return cls.model_construct(
            dataset=spec.dataset, noise=spec.noise, num_samples=spec.num_samples, train_ratio=spec.train_ratio,
            num_classes=spec.num_classes, seed=spec.seed, init_seed=spec.init_seed, features=list(spec.features),
            hidden_layers=list(spec.hidden_layers), activation=spec.activation,
            layer_activations=list(spec.layer_activations) if spec.layer_activations else None,
            loss=spec.loss, optimizer=spec.optimizer, learning_rate=spec.learning_rate,
            lr_schedule=LRSchedule.model_construct(name=spec.lr_schedule, **spec.lr_schedule_params),
            regularization=spec.regularization, regularization_rate=spec.regularization_rate,
            batch_size=spec.batch_size)


class SessionPatch(StrictModel):
    """Live changes: applied without resetting the weights or the epoch count."""

    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [{"learning_rate": 0.003}]}}

    learning_rate: FiniteFloat | None = Field(None, ge=0, le=10)
    regularization: str | None = None
    regularization_rate: FiniteFloat | None = Field(None, ge=0, le=10)
    batch_size: int | None = Field(None, ge=1)
    lr_schedule: LRSchedule | None = None

    _check_regularization = field_validator("regularization")(_registered(REGULARIZERS))

    def changes(self) -> dict[str, Any]:
        out = self.model_dump(exclude_none=True, exclude={"lr_schedule"})
        if self.lr_schedule is not None:
            out["lr_schedule"] = self.lr_schedule.name
            out["lr_schedule_params"] = self.lr_schedule.params()
        return out


class TrainRequest(StrictModel):
    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [{"epochs": 100}]}}

    epochs: int = Field(1, ge=1, description="Epochs to run in this call (capped by settings)")

    @model_validator(mode="after")
    def _within_cap(self) -> "TrainRequest":
        cap = get_settings().max_epochs_per_call
        if self.epochs > cap:
            raise ValueError(f"epochs may be at most {cap} per call (server limit); received {self.epochs}")
        return self


class ResetRequest(StrictModel):
    reseed: bool = Field(False, description="Draw new initial weights instead of restoring the same ones")


class Metrics(StrictModel):
    loss: float | None = None
    accuracy: float | None = None
    mae: float | None = None
    confusion_matrix: list[list[int]] | None = Field(None, description="Rows: true class; columns: predicted")


class SessionState(StrictModel):
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
    config: SessionConfig


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


class WeightEdit(StrictModel):
    """One weight (``index: [from, to]``) or bias (``index: [neuron]``) of a layer (0 = first hidden)."""

    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [
        {"layer": 0, "kind": "weight", "index": [0, 1], "value": 0.5}]}}

    layer: int = Field(ge=0)
    kind: Literal["weight", "bias"]
    index: list[int] = Field(min_length=1, max_length=2)
    value: FiniteFloat = Field(ge=-100, le=100)
