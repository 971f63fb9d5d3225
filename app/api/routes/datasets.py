"""Datasets: previews of the built-in ones, and the learner's own (upload, read back, download as CSV)."""

import json
from typing import Annotated

import numpy as np
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from app.api.errors import AppError
from app.api.deps import ClientDep, ManagerDep, SettingsDep
from app.engine import custom_data, datasets
from app.engine.custom_data import CustomData, DataError
from app.schemas.common import described
from app.schemas.datasets import (
    CustomDataset, DataProblemResponse, DatasetPreview, DatasetPreviewRequest, DatasetSummary, DatasetUpload, summary,
)
from app.schemas.sessions import CUSTOM_RULE
from app.sessions.datasets import DatasetNotFound, TooManyDatasets, TooManyUploads

router = APIRouter(prefix="/datasets", tags=["datasets"])


class DatasetIdConvertor(StringConvertor):
    """An upload's id (``secrets.token_urlsafe(16)``): 22 URL-safe characters, so ``/datasets/preview`` is never
    read as an id and an answer's ``Allow`` names only what that path serves."""

    regex = "[A-Za-z0-9_-]{22}"


register_url_convertor("dataset_id", DatasetIdConvertor())
DatasetId = Annotated[str, Path(description="The id returned by the upload")]
JSON_TYPES = ("application/json",)
CSV_TYPES = ("text/csv", "text/plain", "application/csv", "application/vnd.ms-excel")  # what browsers send for .csv
NOT_FOUND = {404: {"description": "Dataset not found: unknown or expired"}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}
CSV_EXAMPLE = "x1,x2,label\r\n-2.0,1.5,cat\r\n2.5,-1.0,dog\r\n1.0,3.0,dog\r\n-3.0,-2.0,cat\r\n"


def _rows(points: np.ndarray, labels: np.ndarray) -> list[list[float]]:
    return np.round(np.column_stack([points, labels]).astype(np.float64), 5).tolist()


@router.post("/preview", response_model=DatasetPreview, responses={422: {"description": "Invalid configuration"}},
             description=described("The train and test points of a dataset configuration.", [CUSTOM_RULE]))
def preview(body: DatasetPreviewRequest, manager: ManagerDep) -> DatasetPreview:
    """The train and test points of a dataset configuration, as ``[x1, x2, label]`` rows (custom data: its
    points split as a session splits them)."""
    try:
        if datasets.DATASETS.get(body.dataset).custom:
            spec = manager.datasets.resolve_spec(body.to_spec()).resolved()
            data = spec.custom_points()
            split = datasets.split_points(data.points, data.labels, problem=spec.problem,
                                          num_classes=spec.num_classes or 0, seed=spec.seed,
                                          train_ratio=spec.train_ratio)
        else:
            split = datasets.generate(body.dataset, num_samples=body.num_samples, noise=body.noise, seed=body.seed,
                                      train_ratio=body.train_ratio, num_classes=body.num_classes)
    except ValueError as e:
        raise AppError(422, str(e), "invalid_value") from None
    return DatasetPreview(problem=split.problem.value, num_classes=split.num_classes or None,
                          train=_rows(split.train_points, split.train_labels),
                          test=_rows(split.test_points, split.test_labels))


async def _capped_body(request: Request, cap: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``cap`` bytes: never read whole first."""
    too_big = HTTPException(413, detail=f"The upload is larger than the server accepts: at most {cap} bytes "
                                        "(TP_MAX_UPLOAD_BYTES)")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _from_json(body: bytes, max_rows: int) -> CustomData:
    try:
        value = json.loads(body)
    except json.JSONDecodeError as e:
        raise DataError(f"the body is not JSON: {e.msg}", row=e.lineno, column=e.colno, expected="a JSON object",
                        received="text that is not JSON") from None
    except (UnicodeDecodeError, RecursionError, ValueError):
        raise DataError("the body is not readable JSON text", expected="a JSON object") from None
    if not isinstance(value, dict) or "points" not in value:
        raise DataError('expected a JSON object {"points": [[x1, x2, label], ...]}', expected="an object with points",
                        received=type(value).__name__)
    unknown = sorted(set(value) - set(DatasetUpload.model_fields))
    if unknown:
        raise DataError(f"unknown field {unknown[0][:40]!r}; expected: {', '.join(DatasetUpload.model_fields)}",
                        expected=", ".join(DatasetUpload.model_fields), received=unknown[0][:40])
    return custom_data.from_rows(value["points"], problem=value.get("problem"), class_names=value.get("class_names"),
                                 max_rows=max_rows)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DatasetSummary, responses={
    413: {"description": "The body is larger than TP_MAX_UPLOAD_BYTES (refused while it arrives)"},
    415: {"description": "Neither JSON nor CSV"},
    422: {"model": DataProblemResponse, "description": "The first problem in the data, by 1-based row and column"},
    429: {"description": "This client uploads faster than the server allows", "headers": RETRY_AFTER},
    503: {"description": "The server holds its maximum of datasets", "headers": RETRY_AFTER}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": DatasetUpload.model_json_schema()},
        "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}}}},
    description=described(
        "Your own data, as JSON points or a CSV file: checked, scaled into [-6, 6]² if it leaves it, and held "
        "(like a session, with its TTL) under the id a session config names.",
        ["CSV: x1,x2,label rows (a header, a BOM, ';' or tab separators, CRLF allowed); each cell is checked and "
         "the first problem answered 422 with its row and column",
         "at least 2 rows, at most TP_MAX_SAMPLES; classification: at least 2 classes, at most 10; labels agree "
         "with problem"]))
async def upload_dataset(request: Request, manager: ManagerDep, settings: SettingsDep, client: ClientDep,
                         problem: Annotated[str | None, Query(
                             description="CSV bodies: classification or regression (default: inferred); checked "
                             "with the data, so a bad one is answered as the data's first problem",
                             json_schema_extra={"enum": custom_data.PROBLEM_TYPES.names()})] = None
                         ) -> DatasetSummary:
    """Your own data, as JSON points or a CSV file: checked, scaled into [-6, 6]² if it leaves it, and held
    (like a session, with its TTL) under the id a session config names."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in JSON_TYPES + CSV_TYPES and not media.endswith("+json"):
        raise HTTPException(415, detail=f"Send JSON (application/json) or CSV (text/csv); received "
                                        f"{media[:60] or 'no Content-Type'}")
    body = await _capped_body(request, settings.max_upload_bytes)
    try:
        if media in CSV_TYPES:
            data = await run_in_threadpool(custom_data.parse_csv, body, problem=problem,
                                           max_rows=settings.max_samples)
        else:
            if problem is not None:
                raise DataError("with a JSON body, give problem in the body", expected="no ?problem=")
            data = await run_in_threadpool(_from_json, body, settings.max_samples)
    except DataError as e:
        raise HTTPException(422, detail=e.detail()) from None
    store = manager.datasets
    try:
        dataset_id = store.add(data, client=client)
    except TooManyUploads as e:
        raise AppError(429, str(e), e.code, e.params, headers={"Retry-After": str(e.retry_after)}) from None
    except TooManyDatasets as e:
        raise AppError(503, str(e), e.code, e.params, headers={"Retry-After": str(e.retry_after)}) from None
    return summary(dataset_id, data, store.expires_in(dataset_id))


def _held(manager: ManagerDep, dataset_id: str) -> CustomData:
    try:
        return manager.datasets.get(dataset_id)
    except DatasetNotFound:
        raise AppError(404, "Dataset not found (unknown or expired)", "dataset_not_found") from None


@router.get("/{dataset_id:dataset_id}.csv", response_class=Response, responses={
    **NOT_FOUND, 200: {"content": {"text/csv": {"example": CSV_EXAMPLE}}, "description": "x1,x2,label rows"}})
def download_dataset(manager: ManagerDep, dataset_id: DatasetId) -> Response:
    """The points as sessions train on them, as CSV with a header (classes by name)."""
    data = _held(manager, dataset_id)
    return Response(custom_data.to_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="dataset.csv"'})


@router.get("/{dataset_id:dataset_id}", response_model=CustomDataset, responses=NOT_FOUND)
def read_dataset(manager: ManagerDep, dataset_id: DatasetId) -> CustomDataset:
    """The summary and the points (scaled coordinates, labels as class indices or values)."""
    data = _held(manager, dataset_id)
    described = summary(dataset_id, data, manager.datasets.expires_in(dataset_id))
    return CustomDataset(**described.model_dump(), points=[list(row) for row in data.rows])
