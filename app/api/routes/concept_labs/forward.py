"""``POST /api/concepts/forward``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts.forward import forward as compute
from app.schemas.common import ErrorResponse
from app.schemas.concepts.forward import ForwardRequest, ForwardResponse

router = APIRouter()

INVALID = {422: {"model": ErrorResponse,
                 "description": "Invalid input: the detail says what was expected and what was received"}}


@router.post("/forward", response_model=ForwardResponse, responses=INVALID)
def forward(request: ForwardRequest) -> ForwardResponse:
    """Every Dense layer's pre-activation and activation for one input, big layers summarised."""
    try:
        result = compute(**request.model_dump())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return ForwardResponse(**result)
