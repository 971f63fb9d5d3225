"""Dataset previews: the points a configuration generates, without creating a session."""

import numpy as np
from fastapi import APIRouter

from app.api.errors import AppError
from app.engine import datasets
from app.schemas.datasets import DatasetPreview, DatasetPreviewRequest

router = APIRouter(prefix="/datasets", tags=["datasets"])


def _rows(points: np.ndarray, labels: np.ndarray) -> list[list[float]]:
    return np.round(np.column_stack([points, labels]).astype(np.float64), 5).tolist()


@router.post("/preview", response_model=DatasetPreview, responses={422: {"description": "Invalid configuration"}})
def preview(body: DatasetPreviewRequest) -> DatasetPreview:
    """The train and test points of a dataset configuration, as ``[x1, x2, label]`` rows."""
    try:
        split = datasets.generate(body.dataset, num_samples=body.num_samples, noise=body.noise, seed=body.seed,
                                  train_ratio=body.train_ratio, num_classes=body.num_classes)
    except ValueError as e:
        raise AppError(422, str(e), "invalid_value") from None
    return DatasetPreview(problem=split.problem.value, num_classes=split.num_classes or None,
                          train=_rows(split.train_points, split.train_labels),
                          test=_rows(split.test_points, split.test_labels))
