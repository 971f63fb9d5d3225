"""``POST /api/concepts/cross-entropy``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts.cross_entropy import cross_entropy as compute
from app.schemas.common import ErrorResponse
from app.schemas.concepts.cross_entropy import CrossEntropyRequest, CrossEntropyResponse

router = APIRouter()

INVALID = {422: {"model": ErrorResponse,
                 "description": "Invalid input: the detail says what was expected and what was received"}}


@router.post("/cross-entropy", response_model=CrossEntropyResponse, responses=INVALID)
def cross_entropy(request: CrossEntropyRequest) -> CrossEntropyResponse:
    """Cross entropy step by step (clip, log, multiply, sum, mean) next to Keras, and H(p, q) against H(q, p)."""
    try:
        result = compute(**request.model_dump())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return CrossEntropyResponse(**result)
