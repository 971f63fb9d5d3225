"""``POST /api/concepts/forward``: values flowing through Dense layers, layer by layer."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.forward import parameter_count
from app.schemas.common import FiniteFloat, Integer, integer, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_LAYERS = 8
MAX_UNITS = 1024
MAX_INPUTS = 1024
MAX_PARAMETERS = 500_000
MAX_SEED = 2**30

Number = float | None  # null where a value is not finite


class ForwardRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"input_size": 784, "units": [256, 128, 64, 10], "activation": ["relu", "relu", "relu", "linear"],
         "softmax": True, "seed": 0},
        {"x": [0.5, -1.0, 2.0], "units": [4, 2], "activation": ["relu", "linear"], "softmax": True, "seed": 0},
    ], "anyOf": [  # an input: its values, or the size of a random one
        {"required": ["x"], "properties": {"x": {"not": {"type": "null"}}}},
        {"required": ["input_size"], "properties": {"input_size": {"not": {"type": "null"}}}}]})

    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "with both x and input_size, input_size equals the length of x",
        "activation names one function per layer (as many items as units)",
        f"the network has at most {MAX_PARAMETERS:,} parameters (weights and biases of every layer)",
    )

    x: list[FiniteFloat] | None = Field(None, min_length=1, max_length=MAX_INPUTS,
                                        description="The input values; omit for a seeded random input")
    input_size: integer(ge=1, le=MAX_INPUTS) | None = Field(  # type: ignore[valid-type]
        None, description="Length of the random input when x is omitted")
    units: list[integer(ge=1, le=MAX_UNITS)] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=MAX_LAYERS, description="Units of each Dense layer")
    activation: list[named(ACTIVATIONS)] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=MAX_LAYERS, description="Activation of each layer (a registered name)")
    softmax: bool = Field(False, description="Apply softmax to the last layer's output")
    seed: Integer = Field(0, ge=0, le=MAX_SEED, description="Layer i draws its kernel with GlorotUniform(seed + i)")

    @field_validator("activation")
    @classmethod
    def _known_activations(cls, names: list[str]) -> list[str]:
        for name in names:
            ACTIVATIONS.entry(name)
        return names

    @model_validator(mode="after")
    def _size_capped(self) -> "ForwardRequest":
        inputs = len(self.x) if self.x is not None else self.input_size
        count = parameter_count(inputs or 0, self.units)
        if count > MAX_PARAMETERS:
            raise ValueError(f"The network may have at most {MAX_PARAMETERS} parameters; received {count}")
        return self


class TensorSummary(BaseModel):
    shape: list[int]
    size: int
    min: Number
    max: Number
    mean: Number
    std: Number
    head: list[Number] = Field(description="The first values, in row-major order")
    values: list[Number] | list[list[Number]] | None = Field(description="Every value, for small tensors only")
    overflow: bool


class ForwardLayer(BaseModel):
    index: int
    units: int
    activation: str
    kernel: TensorSummary
    bias: TensorSummary
    parameters: int
    pre_activation: TensorSummary = Field(description="z = input · kernel + bias")
    output: TensorSummary = Field(description="activation(z)")


class ForwardResponse(ConceptResponse):
    input: TensorSummary
    random_input: bool
    layers: list[ForwardLayer]
    softmax: TensorSummary | None
    output: TensorSummary = Field(description="The network's output: softmax if asked for, else the last layer's")
    parameters: int
    overflow: bool
