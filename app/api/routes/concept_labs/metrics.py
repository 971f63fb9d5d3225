"""``POST /api/concepts/metrics``."""

from fastapi import APIRouter, HTTPException

from app.engine.concepts import metrics as engine
from app.schemas.common import ErrorResponse
from app.schemas.concepts.metrics import MetricsRequest, MetricsResponse

router = APIRouter()


@router.post("/metrics", response_model=MetricsResponse,
             responses={422: {"model": ErrorResponse, "description": "Mismatched lengths or values out of range"}})
def metrics(body: MetricsRequest) -> MetricsResponse:
    """Accuracy, precision, recall, F1, AUC and the ROC curve, or MAE, MSE, RMSE and R², from keras.metrics."""
    try:
        if body.problem == "binary":
            return MetricsResponse.from_classification(
                engine.classification(body.y_true, body.y_pred, threshold=body.threshold))
        return MetricsResponse.from_regression(engine.regression(body.y_true, body.y_pred))
    except ValueError as e:
        raise HTTPException(422, detail=str(e)) from e
