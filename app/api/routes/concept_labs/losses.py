"""``POST /api/concepts/losses``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts import losses as engine
from app.schemas.common import ErrorResponse
from app.schemas.concepts.losses import LossesRequest, LossesResponse

router = APIRouter()


@router.post("/losses", response_model=LossesResponse,
             responses={422: {"model": ErrorResponse, "description": "Unknown loss, mismatched shapes or bad values"}})
def losses(body: LossesRequest) -> LossesResponse:
    """Per-sample and mean values of keras.losses functions, and optionally each loss against the prediction."""
    try:
        results = engine.evaluate(body.losses, body.y_true, body.y_pred, from_logits=body.from_logits)
        curves = None
        if body.curve is not None:
            c = body.curve
            curves = engine.curves(body.losses, target=c.target, start=c.start, stop=c.stop, num=c.num,
                                   from_logits=body.from_logits)
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
    return LossesResponse.from_results(results, curves)
