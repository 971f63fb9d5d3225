"""``POST /api/concepts/softmax``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts import softmax as engine
from app.schemas.common import ErrorResponse
from app.schemas.concepts.softmax import SoftmaxRequest, SoftmaxResponse

router = APIRouter()


@router.post("/softmax", response_model=SoftmaxResponse,
             responses={422: {"model": ErrorResponse, "description": "Invalid logits, axis or temperature"}})
def softmax(body: SoftmaxRequest) -> SoftmaxResponse:
    """Probabilities from logits with tf.nn.softmax, and the numerically stable steps behind them."""
    try:
        result = engine.softmax(body.logits, axis=body.axis, temperature=body.temperature)
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return SoftmaxResponse.from_result(result)
