"""``POST /api/concepts/dense``: a batch, units and an activation in; every step of the layer out."""

from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field, field_validator

from app.engine.activations import ACTIVATIONS
from app.engine.concepts.dense import DenseResult
from app.engine.numeric import to_json
from app.schemas.common import FiniteFloat, Integer, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_BATCH = 64
MAX_FEATURES = 64
MAX_UNITS = 64

Row = Annotated[list[FiniteFloat], Field(min_length=1, max_length=max(MAX_FEATURES, MAX_UNITS))]
JsonMatrix = list[list[float | None]]


class DenseRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "x": [[1.0, 2.0, 3.0]], "units": 2, "activation": "relu", "use_bias": True,
        "kernel": [[0.5, -1.0], [0.25, 0.0], [-0.5, 1.0]], "bias": [0.1, -0.2], "seed": 0,
    }], "if": {"properties": {"use_bias": {"const": False}}, "required": ["use_bias"]},  # no bias: none given
        "then": {"properties": {"bias": {"type": "null"}}}})

    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "every row of x holds the same number of features",
        "kernel, when given, has one row per feature of x, each holding one value per unit",
        "bias, when given, holds one value per unit",
    )

    x: Annotated[list[Row], Field(min_length=1, max_length=MAX_BATCH)] = Field(
        description=f"The input batch: up to {MAX_BATCH} rows of up to {MAX_FEATURES} features")
    units: Integer = Field(ge=1, le=MAX_UNITS, description="Output neurons of the layer")
    activation: named(ACTIVATIONS) = Field(  # type: ignore[valid-type]
        "linear", description=f"Registered names: {', '.join(ACTIVATIONS.names())}")
    use_bias: bool = True
    kernel: Annotated[list[Row], Field(min_length=1, max_length=MAX_FEATURES)] | None = Field(
        None, description="W, shape [input features, units]; when absent, GlorotUniform(seed=seed)")
    bias: Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_UNITS)] | None = Field(
        None, description="b, one value per unit; when absent, zeros (Keras's default)")
    seed: Integer = Field(0, ge=0, le=2**31 - 1, description="Seeds the kernel's initialiser")

    @field_validator("activation")
    @classmethod
    def _registered(cls, name: str) -> str:
        ACTIVATIONS.entry(name)
        return name


class DenseResponse(ConceptResponse):
    x: JsonMatrix
    kernel: JsonMatrix = Field(description="W, as used (given or initialised)")
    bias: list[float | None] | None = Field(description="b, as used; null without a bias")
    matmul: JsonMatrix = Field(description="x · W (tf.matmul)")
    pre_activation: JsonMatrix = Field(description="x · W + b (tf.nn.bias_add)")
    output: JsonMatrix = Field(description="activation(x · W + b): the layer's own output")
    activation: str
    use_bias: bool
    input_shape: list[int]
    kernel_shape: list[int]
    bias_shape: list[int] | None
    output_shape: list[int]
    parameter_count: int = Field(description="layer.count_params(): in * units (+ units with a bias)")
    overflow: bool = Field(description="True when some value was not finite and is given as null")

    @classmethod
    def from_result(cls, r: DenseResult) -> "DenseResponse":
        fields = {}
        overflow = False
        for name in ("x", "kernel", "matmul", "pre_activation", "output"):
            fields[name], flag = to_json(getattr(r, name))
            overflow |= flag
        bias = None
        if r.bias is not None:
            bias, flag = to_json(r.bias)
            overflow |= flag
        return cls(**fields, bias=bias, activation=r.activation, use_bias=r.use_bias,
                   input_shape=list(r.x.shape), kernel_shape=list(r.kernel.shape),
                   bias_shape=list(r.bias.shape) if r.bias is not None else None, output_shape=r.output_shape,
                   parameter_count=r.parameter_count, overflow=overflow)
