"""``POST /api/concepts/gradient-descent`` (functions) and ``.../gradient-descent/batch`` (batch sizes)."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.engine.concepts.gradient_descent import FUNCTIONS
from app.engine.optimizers import OPTIMIZERS
from app.schemas.common import UNIQUE, FiniteFloat, Integer, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_STEPS = 1000
MAX_START = 1e6
MAX_SAMPLES = 200
MAX_EPOCHS = 50
MAX_SEED = 2**31 - 1

MAX_DIMENSIONS = max(f.value.dimensions for f in FUNCTIONS)

Number = float | None  # null where a value is not finite (a diverging run overflows)
Verdict = Literal["converging", "oscillating", "bouncing", "diverging"]


def _start_fits_function(schema: dict[str, Any]) -> None:
    """A start holds one coordinate per dimension of the function (from ``FUNCTIONS``); the default function's
    condition also holds when ``function`` is left out."""
    default = GradientDescentRequest.model_fields["function"].default
    schema["examples"] = [
        {"function": "square", "x": [5.0], "learning_rate": 0.3, "steps": 5, "optimizers": ["sgd"]},
        {"function": "rosenbrock", "x": [-1.5, 2.0], "learning_rate": 0.01, "steps": 200,
         "optimizers": ["sgd", "momentum", "adam"]}]
    schema["allOf"] = []
    for dimensions in sorted({f.value.dimensions for f in FUNCTIONS}):
        names = [f.name for f in FUNCTIONS if f.value.dimensions == dimensions]
        condition: dict[str, Any] = {"properties": {"function": {"enum": names}}}
        if default not in names:
            condition["required"] = ["function"]
        schema["allOf"].append({"if": condition, "then": {"properties": {"x": {"anyOf": [
            {"type": "array", "minItems": dimensions, "maxItems": dimensions}, {"type": "null"}]}}}})


class GradientDescentRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra=_start_fits_function)

    function: named(FUNCTIONS) = Field("square", description=(  # type: ignore[valid-type]
        f"A registered function, 1-D: {', '.join(f.name for f in FUNCTIONS if f.value.dimensions == 1)}; "
        f"2-D: {', '.join(f.name for f in FUNCTIONS if f.value.dimensions == 2)}"))
    x: Annotated[list[Annotated[FiniteFloat, Field(ge=-MAX_START, le=MAX_START)]],
                 Field(min_length=1, max_length=MAX_DIMENSIONS)] | None = Field(
        None, description="The start, one value per dimension; omit for the function's own")
    learning_rate: FiniteFloat = Field(gt=0, le=10)
    steps: Integer = Field(ge=1, le=MAX_STEPS)
    optimizers: list[named(OPTIMIZERS)] = Field(  # type: ignore[valid-type]
        ["sgd"], min_length=1, max_length=len(OPTIMIZERS), json_schema_extra=UNIQUE,
        description="Each runs from the same start")

    @field_validator("function")
    @classmethod
    def _known_function(cls, name: str) -> str:
        FUNCTIONS.entry(name)
        return name

    @field_validator("optimizers")
    @classmethod
    def _known_optimizers(cls, names: list[str]) -> list[str]:
        for name in names:
            OPTIMIZERS.entry(name)
        return names


class TrajectoryPoint(BaseModel):
    step: int
    x: list[Number] = Field(description="The point before update `step`")
    loss: Number
    gradient: list[Number]


class DescentRun(BaseModel):
    optimizer: str
    trajectory: list[TrajectoryPoint]
    steps_run: int = Field(description="Updates made; fewer than asked when the run overflowed")
    verdict: Verdict
    overflow: bool
    keras: str = Field(description="The Keras optimizer, as code")


class FunctionPlot(BaseModel):
    x: list[float]
    y: list[float] | None = Field(description="2-D only: loss[i][j] is J at (x[j], y[i])")
    loss: list[Number] | list[list[Number]]
    overflow: bool


class LearningRateBand(BaseModel):
    regime: Verdict
    low: float
    high: float | None


class GradientDescentResponse(ConceptResponse):
    function: str
    dimensions: int
    formula: str = Field(description="J as Python code over x")
    start: list[float] = Field(description="Where every run starts")
    minima: list[list[float]]
    runs: list[DescentRun]
    plot: FunctionPlot
    learning_rate_bands: list[LearningRateBand] | None = Field(
        description="For quadratics: how plain gradient descent behaves for each range of learning rates")
    regime: Verdict | None = Field(description="The band the learning rate falls in")
    overflow: bool


class BatchDescentRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"samples": 64, "noise": 0.5, "batch_size": 8, "epochs": 20, "learning_rate": 0.1, "seed": 0},
    ]})

    cross_field_rules: ClassVar[tuple[str, ...]] = ("batch_size is at most samples",)

    samples: Integer = Field(64, ge=2, le=MAX_SAMPLES)
    noise: FiniteFloat = Field(0.5, ge=0, le=10, description="Standard deviation of the noise on y")
    batch_size: Integer = Field(8, ge=1, le=MAX_SAMPLES, description="The mini-batch size")
    epochs: Integer = Field(20, ge=1, le=MAX_EPOCHS)
    learning_rate: FiniteFloat = Field(0.1, gt=0, le=10)
    seed: Integer = Field(0, ge=0, le=MAX_SEED)


class BatchRun(BaseModel):
    batch_size: int
    updates_per_epoch: int
    update_losses: list[Number] = Field(description="The loss of the batch each update used, before the update")
    epoch_losses: list[Number] = Field(description="The loss over all samples at the start and after each epoch")
    w: Number
    b: Number


class LeastSquares(BaseModel):
    w: float
    b: float
    loss: float


class BatchDescentResponse(ConceptResponse):
    x: list[float]
    y: list[float]
    true_w: float
    true_b: float
    least_squares: LeastSquares = Field(description="The exact optimum, from numpy.linalg.lstsq")
    full_batch: BatchRun
    stochastic: BatchRun
    mini_batch: BatchRun
    overflow: bool
