"""What defines a training run: dataset, features, network, loss, optimizer, schedule, regularization."""

from dataclasses import dataclass, field, replace
from typing import Any

from app.engine import datasets, features, schedules
from app.engine.activations import ACTIVATIONS
from app.engine.losses import DEFAULT_LOSS, check_fits
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem, output_units
from app.engine.regularizers import REGULARIZERS


@dataclass(frozen=True)
class TrainingSpec:
    """A full playground configuration. Defaults are TensorFlow Playground's."""

    dataset: str = "circle"
    noise: float = 0.0
    num_samples: int = 500
    train_ratio: float = 0.5
    num_classes: int | None = None
    seed: int = 1  # the data
    init_seed: int = 1  # the initial weights; "reseed" draws a new one
    features: tuple[str, ...] = features.DEFAULT_FEATURES
    hidden_layers: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    layer_activations: tuple[str, ...] | None = None  # one per hidden layer, overrides ``activation``
    loss: str | None = None  # None: the usual loss for the dataset's problem
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    lr_schedule: str = "constant"
    lr_schedule_params: dict[str, Any] = field(default_factory=dict)
    regularization: str = "none"
    regularization_rate: float = 0.0
    batch_size: int = 10

    def resolved(self) -> "TrainingSpec":
        """Checks every name and number against the registries; fills the loss, classes and schedule defaults.

        Raises ``ValueError`` saying what was expected and what was received.
        """
        problem = datasets.DATASETS.get(self.dataset).problem
        params = datasets.resolve_params(self.dataset, self.num_classes)
        features.check(self.features)
        ACTIVATIONS.entry(self.activation)
        if self.layer_activations is not None:
            if len(self.layer_activations) != len(self.hidden_layers):
                raise ValueError(f"layer_activations needs one activation per hidden layer "
                                 f"({len(self.hidden_layers)}); received {len(self.layer_activations)}")
            for name in self.layer_activations:
                ACTIVATIONS.entry(name)
        if any(u < 1 for u in self.hidden_layers):
            raise ValueError(f"every hidden layer needs at least 1 unit; received {list(self.hidden_layers)}")
        loss = self.loss or DEFAULT_LOSS[problem]
        check_fits(loss, problem)
        OPTIMIZERS.entry(self.optimizer)
        REGULARIZERS.entry(self.regularization)
        schedule_params = schedules.resolve_params(self.lr_schedule, self.lr_schedule_params)
        n_train = min(max(1, round(self.num_samples * self.train_ratio)), self.num_samples - 1)
        if not 1 <= self.batch_size <= n_train:
            raise ValueError(f"batch_size must be between 1 and the number of training points ({n_train}); "
                             f"received {self.batch_size}")
        if not self.learning_rate >= 0:
            raise ValueError(f"learning_rate must be a number >= 0; received {self.learning_rate}")
        if not self.regularization_rate >= 0:
            raise ValueError(f"regularization_rate must be a number >= 0; received {self.regularization_rate}")
        return replace(self, loss=loss, num_classes=params.get("classes", self._fixed_classes(problem)),
                       lr_schedule_params=schedule_params)

    @staticmethod
    def _fixed_classes(problem: Problem) -> int | None:
        return 2 if problem is Problem.BINARY else None

    @property
    def problem(self) -> Problem:
        return datasets.DATASETS.get(self.dataset).problem

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
