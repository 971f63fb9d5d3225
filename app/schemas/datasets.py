from pydantic import Field

from app.schemas.common import StrictModel
from app.schemas.sessions import DatasetConfig


class DatasetPreviewRequest(DatasetConfig):
    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [
        {"dataset": "spiral", "noise": 10, "num_samples": 200, "train_ratio": 0.5, "seed": 1}]}}


class DatasetPreview(StrictModel):
    problem: str
    num_classes: int | None
    train: list[list[float]] = Field(description="[x1, x2, label] per training point")
    test: list[list[float]] = Field(description="[x1, x2, label] per test point")
