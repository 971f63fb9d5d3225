"""``POST /api/concepts/activations``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts import activations as engine
from app.schemas.common import ErrorResponse
from app.schemas.concepts.activations import ActivationsRequest, ActivationsResponse

router = APIRouter()


@router.post("/activations", response_model=ActivationsResponse,
             responses={422: {"model": ErrorResponse, "description": "Unknown activation, bad range or maxout"}})
def activations(body: ActivationsRequest) -> ActivationsResponse:
    """Values and tf.GradientTape derivatives of activation functions over a range of x."""
    try:
        result = engine.evaluate(body.activations, x=body.x, start=body.start, stop=body.stop, num=body.num,
                                 saturation_threshold=body.saturation_threshold,
                                 maxout_weights=body.maxout.weights if body.maxout else None,
                                 maxout_biases=body.maxout.biases if body.maxout else None)
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return ActivationsResponse.from_result(result)
