from typing import Literal

from pydantic import Field

from app.engine.custom_data import MAX_CLASSES, CustomData
from app.engine.datasets import DOMAIN
from app.schemas.common import StrictModel
from app.schemas.sessions import DatasetConfig

# The dataset fields of the session table (``DatasetConfig``, bound to each app's limits).
DatasetPreviewRequest = DatasetConfig


class DatasetPreview(StrictModel):
    problem: str
    num_classes: int | None
    train: list[list[float]] = Field(description="[x1, x2, label] per training point")
    test: list[list[float]] = Field(description="[x1, x2, label] per test point")


class DatasetUpload(StrictModel):
    """Custom data as JSON (the same endpoint takes a ``text/csv`` body: ``x1,x2,label`` rows)."""

    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [
        {"points": [[-2.0, 1.5, "cat"], [2.5, -1.0, "dog"], [1.0, 3.0, "dog"], [-3.0, -2.0, "cat"]],
         "problem": "classification"},
        {"points": [[0, 0, 0.5], [1, 2, 1.5], [3, -1, 2.0], [-2, 2, 0.0]], "problem": None}]}}

    points: list[list[float | str]] = Field(description="[x1, x2, label] rows: a class index 0..k-1 or a class "
                                            "name for classification, a number for regression")
    problem: Literal["classification", "regression"] | None = Field(
        None, description="None: inferred (names or whole numbers below the class limit are classes)")
    class_names: list[str] | None = Field(None, min_length=2, max_length=MAX_CLASSES,
                                          description="The name of each class index, when the labels are indices")


class Ranges(StrictModel):
    x1: tuple[float, float] = Field(description="The original minimum and maximum, before any scaling")
    x2: tuple[float, float]
    label: tuple[float, float]


class DatasetSummary(StrictModel):
    model_config = {"extra": "forbid", "strict": True, "json_schema_extra": {"examples": [
        {"id": "Zx3QmT0b9kqJ1yWl7dVb2A", "rows": 4, "problem": "classification", "num_classes": 2,
         "class_names": ["cat", "dog"], "ranges": {"x1": [-20.0, 2.5], "x2": [-2.0, 3.0], "label": [0, 1]},
         "scaled": True, "domain": [-6.0, 6.0], "expires_in_seconds": 900.0}]}}

    id: str
    rows: int
    problem: Literal["classification", "regression"]
    num_classes: int | None = Field(description="None for regression")
    class_names: list[str] | None = Field(description="The name of each class index")
    ranges: Ranges
    scaled: bool = Field(description="Coordinates left [-6, 6]² and were scaled into it, axis by axis")
    domain: tuple[float, float]
    expires_in_seconds: float = Field(description="Unless read or used by a new session before then")


class CustomDataset(DatasetSummary):
    model_config = {"extra": "forbid", "strict": True, "json_schema_extra": {"examples": [
        {**DatasetSummary.model_config["json_schema_extra"]["examples"][0],
         "points": [[-6.0, 1.5, 0], [6.0, -1.0, 1], [5.2, 3.0, 1], [3.066667, -2.0, 0]]}]}}

    points: list[list[float]] = Field(description="[x1, x2, label] as sessions train on them: scaled coordinates, "
                                      "labels as class indices or values")


class DataProblem(StrictModel):
    model_config = {"extra": "forbid", "strict": True, "json_schema_extra": {"examples": [
        {"message": "x2 must be a number; received abc (row 3, column 2)", "row": 3, "column": 2,
         "expected": "a number", "received": "abc"}]}}

    message: str
    row: int | None = Field(description="1-based line of the file (a header is row 1); None: the whole file")
    column: int | None = Field(description="1-based cell of the row: 1 x1, 2 x2, 3 label")
    expected: str | None = None
    received: str | None = None
    limit: str | None = Field(None, description="The setting whose limit was reached, e.g. TP_MAX_SAMPLES")


class DataProblemResponse(StrictModel):
    detail: DataProblem


def summary(dataset_id: str, data: CustomData, expires_in: float) -> DatasetSummary:
    return DatasetSummary(id=dataset_id, rows=len(data), problem=data.kind, num_classes=data.num_classes,
                          class_names=list(data.class_names) if data.class_names is not None else None,
                          ranges=Ranges(**data.ranges), scaled=data.scaled, domain=(-DOMAIN, DOMAIN),
                          expires_in_seconds=round(expires_in, 1))
