"""Saved runs as the HTTP contract sees them."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.schemas.common import StrictModel
from app.schemas.sessions import History, Metrics, SessionConfig


class SavedConfig(SessionConfig):
    """A run's configuration as it was saved: shown as it is, not checked against this server's limits now."""

from app.store.models import NAME_LENGTH, NOTE_LENGTH

OWNER_HEADER = "X-Owner-Token"
# A per-browser random token: the page draws 32 bytes and keeps them in localStorage. Only its hash is stored.
OWNER_TOKEN = {"min_length": 16, "max_length": 128, "pattern": r"^[A-Za-z0-9_-]+$"}


class SaveRunRequest(StrictModel):
    model_config = {"extra": "forbid", "strict": True, "json_schema_extra": {"examples": [
        {"session_id": "k3Jx9v0aQm2pTfL8sYw1bA", "name": "spiral, Adam", "note": "before class"}]}}

    session_id: str = Field(min_length=1, max_length=64, description="The session to save, as it is now")
    name: str = Field("", max_length=NAME_LENGTH)
    note: str = Field("", max_length=NOTE_LENGTH)


class RunSummary(BaseModel):
    id: str = Field(description="128 random bits, URL-safe")
    link: str = Field(description="The page that opens this run: /runs/{id}")
    name: str
    note: str
    created_at: datetime
    dataset: str
    problem: Literal["binary", "multiclass", "regression"]
    hidden_layers: list[int]
    epoch: int
    train_loss: float | None
    test_loss: float | None
    status: Literal["idle", "running", "diverged"]


class RunList(BaseModel):
    total: int
    offset: int
    limit: int
    runs: list[RunSummary] = Field(description="Newest first")


class RunPoints(BaseModel):
    train: list[list[float]] = Field(description="[x1, x2, label] rows")
    test: list[list[float]]


class RunDetail(RunSummary):
    config: SavedConfig
    metrics: Metrics = Field(description="On the test set")
    train_metrics: Metrics
    history: History
    points: RunPoints


class RunBoundary(BaseModel):
    resolution: int
    output: list[Any] = Field(description="[row][col] as in a session's boundary (x2 from +6 down to -6): "
                              "P(class 1) or the value; [row][col][class] for multi-class")
