from pydantic import Field

from app.schemas.common import StrictModel
from app.schemas.sessions import DatasetConfig

# The dataset fields of the session table (``DatasetConfig``, bound to each app's limits).
DatasetPreviewRequest = DatasetConfig


class DatasetPreview(StrictModel):
    problem: str
    num_classes: int | None
    train: list[list[float]] = Field(description="[x1, x2, label] per training point")
    test: list[list[float]] = Field(description="[x1, x2, label] per test point")
