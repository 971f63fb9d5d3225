"""``POST /api/concepts/dense``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts import dense as engine
from app.schemas.common import ErrorResponse
from app.schemas.concepts.dense import DenseRequest, DenseResponse

router = APIRouter()


@router.post("/dense", response_model=DenseResponse,
             responses={422: {"model": ErrorResponse, "description": "Unknown activation or mismatched shapes"}})
def dense(body: DenseRequest) -> DenseResponse:
    """Every step of keras.layers.Dense on a batch: x · W, + b, the activation, shapes and parameter count."""
    try:
        result = engine.dense(body.x, units=body.units, activation=body.activation, use_bias=body.use_bias,
                              kernel=body.kernel, bias=body.bias, seed=body.seed)
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return DenseResponse.from_result(result)
