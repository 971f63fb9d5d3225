"""``POST /api/concepts/backprop``: the chain rule, neuron by neuron, checked by finite differences."""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.engine.activations import ACTIVATIONS
from app.engine.losses import LOSSES
from app.schemas.common import FiniteFloat, StrictModel, named
from app.schemas.concepts.base import ConceptRequest, ConceptResponse

MAX_LAYERS = 4
MAX_WIDTH = 8

Vector = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_WIDTH)]
Number = float | None  # null where a value is not finite


class LayerWeights(StrictModel):
    kernel: list[Vector] = Field(min_length=1, max_length=MAX_WIDTH,
                                 description="One row per input, one column per unit: z = input · kernel + bias")
    bias: Vector
    activation: named(ACTIVATIONS) = Field(description="A registered activation name")  # type: ignore[valid-type]

    @field_validator("activation")
    @classmethod
    def _known_activation(cls, name: str) -> str:
        ACTIVATIONS.entry(name)
        return name


class BackpropRequest(ConceptRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"x": [0.05, 0.1],
         "layers": [{"kernel": [[0.15, 0.25], [0.2, 0.3]], "bias": [0.35, 0.35], "activation": "sigmoid"},
                    {"kernel": [[0.4, 0.5], [0.45, 0.55]], "bias": [0.6, 0.6], "activation": "sigmoid"}],
         "y_true": [0.01, 0.99], "loss": "mse", "learning_rate": 0.5, "finite_difference_step": 1e-6},
    ]})

    cross_field_rules: ClassVar[tuple[str, ...]] = (
        "each layer's kernel has one row per input (len(x) for the first layer, the previous layer's units "
        "after it), every row as long as the layer's bias (its units)",
        "y_true holds one value per unit of the last layer",
    )

    x: Vector = Field(description="One input sample")
    layers: list[LayerWeights] = Field(min_length=1, max_length=MAX_LAYERS)
    y_true: Vector = Field(description="The target, one value per output unit")
    loss: named(LOSSES) = Field("mse", description="A registered loss name")  # type: ignore[valid-type]
    learning_rate: FiniteFloat = Field(0.5, gt=0, le=10)
    finite_difference_step: FiniteFloat = Field(1e-6, gt=0, le=0.1,
                                                description="h in (L(w + h) - L(w - h)) / 2h")

    @field_validator("loss")
    @classmethod
    def _known_loss(cls, name: str) -> str:
        LOSSES.entry(name)
        return name


class KernelAndBias(BaseModel):
    kernel: list[list[Number]]
    bias: list[Number]


class BackpropLayer(BaseModel):
    index: int
    activation: str
    inputs: list[Number] = Field(description="a_prev: what the layer receives")
    pre_activation: list[Number] = Field(description="z = a_prev · kernel + bias")
    output: list[Number] = Field(description="a = activation(z)")
    dloss_da: list[Number] = Field(description="∂L/∂a of each neuron, from the tape")
    da_dz: list[Number] = Field(description="∂a/∂z of each neuron: the activation's slope at z")
    dloss_dz: list[Number] = Field(description="∂L/∂z = ∂L/∂a · ∂a/∂z, from the tape")
    kernel: list[list[Number]]
    bias: list[Number]
    gradients: KernelAndBias = Field(description="∂L/∂kernel and ∂L/∂bias from tf.GradientTape")
    finite_differences: KernelAndBias = Field(description="The same by central finite differences")
    updated: KernelAndBias = Field(description="After one keras.optimizers.SGD step")


class BackpropResponse(ConceptResponse):
    x: list[Number]
    y_true: list[Number]
    y_pred: list[Number]
    loss_name: str
    keras_loss: str = Field(description="The Keras function computing the loss, as code")
    loss: Number
    layers: list[BackpropLayer]
    max_abs_difference: Number = Field(description="Largest |tape − finite difference| over all parameters")
    gradients_agree: bool
    learning_rate: float
    finite_difference_step: float
    loss_after_update: Number
    overflow: bool
