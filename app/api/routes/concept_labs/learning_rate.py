"""``POST /api/concepts/learning-rate``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts.learning_rate import schedule_descent
from app.schemas.common import ErrorResponse
from app.schemas.concepts.learning_rate import LearningRateRequest, LearningRateResponse

router = APIRouter()

INVALID = {422: {"model": ErrorResponse,
                 "description": "Invalid input: the detail says what was expected and what was received"}}


@router.post("/learning-rate", response_model=LearningRateResponse, responses=INVALID)
def learning_rate(request: LearningRateRequest) -> LearningRateResponse:
    """A schedule's learning rate per step, and x² descended with it and with a constant rate."""
    try:
        result = schedule_descent(**request.arguments())
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return LearningRateResponse(**result)
