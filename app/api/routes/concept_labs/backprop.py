"""``POST /api/concepts/backprop``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts.backprop import backprop as compute
from app.schemas.common import ErrorResponse
from app.schemas.concepts.backprop import BackpropRequest, BackpropResponse

router = APIRouter()

INVALID = {422: {"model": ErrorResponse,
                 "description": "Invalid input: the detail says what was expected and what was received"}}


@router.post("/backprop", response_model=BackpropResponse, responses=INVALID)
def backprop(request: BackpropRequest) -> BackpropResponse:
    """Chain-rule factors of every neuron, tape and finite-difference gradients, and one SGD update."""
    try:
        result = compute(**request.model_dump())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return BackpropResponse(**result)
