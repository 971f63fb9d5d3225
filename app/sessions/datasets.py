"""Uploaded datasets, held like sessions: by an unguessable id, counted against limits, removed with a TTL.

The store lives in the web process, beside the session manager, and holds only checked points (at most
``max_samples`` rows, ~50 KB each). Sessions never read it where they run: when a configuration or a live
change names a ``dataset_id``, ``resolve`` puts that dataset's points into the change itself, so the points
travel with the spec to a worker process (or any other backend) by value, and a dataset that expires later
takes nothing from the sessions trained on it.
"""

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from app.engine.custom_data import CustomData
from app.engine.datasets import DATASETS
from app.engine.spec import TrainingSpec
from app.sessions.limits import CreationRateLimiter, LimitExceeded


class DatasetNotFound(LookupError):
    """No dataset by that id: never created, or expired."""


class UnknownDataset(ValueError):
    """A configuration names a ``dataset_id`` the store does not hold (and brings no points of its own)."""


class TooManyDatasets(LimitExceeded):
    """The store holds its maximum of datasets; ``retry_after`` is when the first one is due to go."""


class TooManyUploads(LimitExceeded):
    """A client uploaded datasets faster than allowed."""


@dataclass
class Held:
    data: CustomData
    client: str
    created: float
    last_used: float = field(default=0.0)


class DatasetStore:
    """Datasets by id. ``max_datasets`` in all; a client holding ``max_per_client`` loses its least recently
    used one to the next (its sessions keep their points), so drawing stroke after stroke never locks a page
    out; ``uploads_per_minute`` bounds how fast one client adds them. Time comes from ``clock``."""

    def __init__(self, *, max_datasets: int, max_per_client: int, ttl_seconds: float,
                 uploads_per_minute: int | None = None, max_rows: int | None = None,
                 max_tracked_clients: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_datasets = max_datasets
        self.max_per_client = max_per_client
        self.ttl_seconds = ttl_seconds
        self.max_rows = max_rows
        self._uploads = (CreationRateLimiter(uploads_per_minute, max_clients=max_tracked_clients)
                         if uploads_per_minute is not None else None)
        self._clock = clock
        self._held: OrderedDict[str, Held] = OrderedDict()  # least recently used first

    def __len__(self) -> int:
        return len(self._held)

    def add(self, data: CustomData, *, client: str = "") -> str:
        """Hold ``data`` for ``client``; its new id. Raises ``TooManyUploads`` or ``TooManyDatasets``."""
        self.reap()
        now = self._clock()
        mine = [i for i, h in self._held.items() if h.client == client]
        if len(mine) < self.max_per_client and len(self._held) >= self.max_datasets:
            first_due = min(h.last_used for h in self._held.values()) + self.ttl_seconds - now
            raise TooManyDatasets(f"The server holds its maximum of {self.max_datasets} datasets; try again later",
                                  first_due, code="too_many_datasets", params={"max_datasets": self.max_datasets})
        if self._uploads is not None:
            try:
                self._uploads.acquire(client, now)
            except LimitExceeded as e:
                raise TooManyUploads(str(e), e.retry_after, code="too_many_uploads", params=e.params) from None
        if len(mine) >= self.max_per_client:
            del self._held[mine[0]]
        dataset_id = secrets.token_urlsafe(16)  # 128 random bits
        self._held[dataset_id] = Held(data, client, created=now, last_used=now)
        return dataset_id

    def get(self, dataset_id: str) -> CustomData:
        """The dataset, its idle time restarted; raises ``DatasetNotFound``."""
        held = self._held.get(dataset_id)
        now = self._clock()
        if held is None or now - held.last_used > self.ttl_seconds:
            self._held.pop(dataset_id, None)
            raise DatasetNotFound(dataset_id)
        held.last_used = now
        self._held.move_to_end(dataset_id)
        return held.data

    def expires_in(self, dataset_id: str) -> float:
        return self._held[dataset_id].last_used + self.ttl_seconds - self._clock()

    def reap(self) -> list[str]:
        """Drop the datasets idle longer than the TTL."""
        now = self._clock()
        stale = [i for i, h in self._held.items() if now - h.last_used > self.ttl_seconds]
        for dataset_id in stale:
            del self._held[dataset_id]
        return stale

    # -- putting points where a dataset is named -----------------------------------------------------------

    def resolve(self, values: dict[str, Any]) -> dict[str, Any]:
        """Configuration fields (``TrainingSpec`` keyword arguments, a whole config or a live change) with a
        held ``dataset_id`` turned into its points, problem type and class names. An unknown id with points
        of its own keeps them (a copied config or a saved run outlives its upload); without, ``UnknownDataset``.
        """
        dataset_id = values.get("dataset_id")
        points = values.get("points")
        if self.max_rows is not None and points is not None and len(points) > self.max_rows:
            raise ValueError(f"at most {self.max_rows} points (server limit TP_MAX_SAMPLES); received {len(points)}")
        if dataset_id is None or not DATASETS.get(values.get("dataset", "custom")).custom:
            return values
        try:
            data = self.get(dataset_id)
        except DatasetNotFound:
            if points is not None:
                return values
            raise UnknownDataset(f"dataset_id {dataset_id[:40]!r} is unknown or expired: upload the data again "
                                 "(POST /api/datasets) or send its points") from None
        return {**values, "points": data.rows, "problem_type": data.kind, "class_names": data.class_names}

    def resolve_spec(self, spec: TrainingSpec) -> TrainingSpec:
        names = ("dataset", "dataset_id", "points", "problem_type", "class_names")
        resolved = self.resolve({name: getattr(spec, name) for name in names})
        return replace(spec, **{name: resolved[name] for name in names[2:]})
