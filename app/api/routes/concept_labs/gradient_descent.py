"""``POST /api/concepts/gradient-descent`` and ``POST /api/concepts/gradient-descent/batch``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts.gradient_descent import compare_batch_sizes, descend
from app.schemas.common import ErrorResponse
from app.schemas.concepts.gradient_descent import (
    BatchDescentRequest,
    BatchDescentResponse,
    GradientDescentRequest,
    GradientDescentResponse,
)

router = APIRouter()

INVALID = {422: {"model": ErrorResponse,
                 "description": "Invalid input: the detail says what was expected and what was received"}}


@router.post("/gradient-descent", response_model=GradientDescentResponse, responses=INVALID)
def gradient_descent(request: GradientDescentRequest) -> GradientDescentResponse:
    """Trajectories of Keras optimizers on a 1-D or 2-D function, each with a verdict."""
    try:
        result = descend(**request.model_dump())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return GradientDescentResponse(**result)


@router.post("/gradient-descent/batch", response_model=BatchDescentResponse, responses=INVALID)
def gradient_descent_batch(request: BatchDescentRequest) -> BatchDescentResponse:
    """Full-batch, stochastic and mini-batch descent on one seeded linear regression."""
    try:
        result = compare_batch_sizes(**request.model_dump())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return BatchDescentResponse(**result)
