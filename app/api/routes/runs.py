"""Saved runs: save a session, list, read, delete, continue training as a new session, export.

The store's calls block on the database, so they run in a worker thread (``run_in_threadpool``) and the
event loop keeps serving streams meanwhile. Sessions are reached only through the SessionManager.
"""

import hashlib
import secrets
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response, status
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from app.api.deps import ClientDep, ManagerDep
from app.api.routes.sessions import EXPORT_HEADERS, ExportEpochs, state_of
from app.engine import export
from app.schemas.runs import (
    OWNER_HEADER, OWNER_TOKEN, RunBoundary, RunDetail, RunList, RunPoints, RunSummary, SavedConfig, SaveRunRequest,
)
from app.schemas.common import ScheduleChoice
from app.schemas.sessions import History, Layer, Metrics, SessionConfig, SessionState, Weights
from app.sessions.limits import LimitExceeded
from app.sessions.manager import SessionLost, SessionManager, SessionNotFound, TooManyRequests, TooManySessions
from app.store import records
from app.store.runs import NewRun, Run, RunNotFound, RunStore, RunTooLarge, TooManyRuns

router = APIRouter(prefix="/runs", tags=["runs"], responses={
    503: {"description": "The database of saved runs cannot be reached", "headers": {
        "Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}}})

MAX_PAGE = 100
MAX_OFFSET = 2**63 - 1  # SQL's BIGINT, the largest OFFSET SQLite and PostgreSQL take; beyond it the driver fails
RunId = Annotated[str, Path(min_length=1, max_length=64, description="The id returned on saving")]
OwnerToken = Annotated[str, Header(alias=OWNER_HEADER, description="This browser's owner token", **OWNER_TOKEN)]

NOT_FOUND = "Run not found"
MISSING = {404: {"description": "Run not found"}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}
NEW_SESSION = {
    **MISSING,
    422: {"description": "The saved configuration exceeds this server's current limits"},
    429: {"description": "This client created sessions faster than the server allows", "headers": RETRY_AFTER},
    503: {"description": "The server holds its maximum number of sessions", "headers": RETRY_AFTER}}


def _store(request: Request) -> RunStore:
    return request.app.state.runs


async def _db(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a store call in a worker thread; a database that cannot be reached answers 503, not 500."""
    try:
        return await run_in_threadpool(call, *args, **kwargs)
    except OperationalError:
        raise HTTPException(503, detail="The database of saved runs cannot be reached; try again shortly",
                            headers={"Retry-After": "5"}) from None


def owner_hash(token: str) -> str:
    """What the database keeps of an owner token: its SHA-256, so a leaked database deletes nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def _summary(run: Run) -> dict[str, Any]:
    return {"id": run.id, "link": f"/runs/{run.id}", "name": run.name, "note": run.note,
            "created_at": run.created_at, "dataset": run.dataset, "problem": run.problem,
            "hidden_layers": run.network, "epoch": run.epoch, "train_loss": run.train_loss,
            "test_loss": run.test_loss, "status": run.status}


async def _get(request: Request, run_id: str, *, with_state: bool = False) -> Run:
    try:
        return await _db(_store(request).get, run_id, with_state=with_state)
    except RunNotFound:
        raise HTTPException(404, detail=NOT_FOUND) from None


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RunSummary, responses={
    404: {"description": "Session not found (or lost with its worker)"},
    413: {"description": "The run is larger than a saved run may be"},
    429: {"description": "The server, or this owner, holds its maximum number of saved runs"}})
async def save_run(request: Request, manager: ManagerDep, body: SaveRunRequest, owner: OwnerToken) -> RunSummary:
    """Save a session as it is now: configuration, points, loss history, metrics, weights and optimizer state."""
    settings = request.app.state.settings
    try:
        saved = await manager.call(body.session_id, "saved_run", resolution=settings.default_resolution)
    except (SessionNotFound, SessionLost):
        raise HTTPException(404, detail="Session not found") from None
    spec = saved["spec"]
    train, test = saved["metrics"]
    new = NewRun(owner_hash=owner_hash(owner), name=body.name, note=body.note, dataset=spec.dataset,
                 problem=saved["problem"], network=list(spec.hidden_layers), epoch=saved["epoch"],
                 train_loss=train.get("loss"), test_loss=test.get("loss"), status=saved["status"],
                 config=SessionConfig.from_spec(spec).model_dump(mode="json"),
                 metrics={"train": train, "test": test, "message": saved["message"]},
                 state=records.encode(saved))
    try:
        run = await _db(_store(request).save, new, secrets.token_urlsafe(16))  # 128 random bits
    except RunTooLarge as e:
        raise HTTPException(413, detail=str(e)) from None
    except TooManyRuns as e:
        raise HTTPException(429, detail=str(e)) from None
    return RunSummary(**_summary(run))


@router.get("", response_model=RunList)
async def list_runs(request: Request, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> RunList:
    """Saved runs, newest first, one page at a time."""
    total, runs = await _db(_store(request).list, offset=offset, limit=limit)
    return RunList(total=total, offset=offset, limit=limit, runs=[RunSummary(**_summary(r)) for r in runs])


@router.get("/{run_id}", response_model=RunDetail, responses=MISSING)
async def read_run(request: Request, run_id: RunId) -> RunDetail:
    """One run: its configuration, metrics, whole loss history and data points."""
    run = await _get(request, run_id, with_state=True)
    saved = records.decode(run.state)
    h, p = saved["history"], saved["points"]
    return RunDetail(**_summary(run), config=_saved_config(run),
                     metrics=Metrics(**run.metrics["test"]), train_metrics=Metrics(**run.metrics["train"]),
                     history=History(epochs=[e for e, _, _ in h], train_loss=[t for _, t, _ in h],
                                     test_loss=[v for _, _, v in h]),
                     points=RunPoints(train=_rows(p["train_points"], p["train_labels"]),
                                      test=_rows(p["test_points"], p["test_labels"])))


@router.get("/{run_id}/boundary", response_model=RunBoundary, responses=MISSING)
async def read_run_boundary(request: Request, run_id: RunId) -> RunBoundary:
    """The network's output over [-6, 6]² at the saved epoch, as a session's boundary gives it."""
    grid = records.decode((await _get(request, run_id, with_state=True)).state)["boundary"]
    return RunBoundary(resolution=grid.shape[0], output=np.round(grid.astype(np.float64), 3).tolist())


@router.get("/{run_id}/weights", response_model=Weights, responses=MISSING)
async def read_run_weights(request: Request, run_id: RunId) -> Weights:
    """Every weight (``[from][to]``) and bias at the saved epoch, as a session's weights are given."""
    params = records.decode((await _get(request, run_id, with_state=True)).state)["params"]
    return Weights(layers=[Layer(weights=w.astype(float).tolist(), biases=b.astype(float).tolist())
                           for w, b in zip(params[0::2], params[1::2])])


@router.delete("/{run_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses={
    404: {"description": "Run not found, or saved by another owner: the same answer, so ids cannot be probed"}})
async def delete_run(request: Request, run_id: RunId, owner: OwnerToken) -> Response:
    """Delete a run saved with this owner token."""
    try:
        await _db(_store(request).delete, run_id, owner_hash(owner))
    except RunNotFound:
        raise HTTPException(404, detail=NOT_FOUND) from None
    return Response(status_code=204)


@router.post("/{run_id}/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionState,
             responses=NEW_SESSION)
async def continue_run(request: Request, manager: ManagerDep, client: ClientDep, run_id: RunId) -> SessionState:
    """A new session at the saved epoch: training on gives the numbers it would have had without stopping."""
    session_id = await _session_from(request, manager, client, run_id)
    try:
        return state_of(session_id, await manager.call(session_id, "describe"))
    except (SessionNotFound, SessionLost):
        raise HTTPException(404, detail="Session not found") from None


@router.get("/{run_id}/export/script.py", response_class=Response, responses={
    **NEW_SESSION, 200: {"content": {"text/x-python": {}}, "description": "A runnable Keras script",
                         "headers": EXPORT_HEADERS}})
async def export_run_script(request: Request, manager: ManagerDep, client: ClientDep, run_id: RunId,
                            epochs: ExportEpochs = None) -> Response:
    """The run's setup as a self-contained Keras script (as a session's export gives it, ``epochs`` too)."""
    script = await _export(request, manager, client, run_id, "export_script", epochs=epochs)
    return Response(script["text"], media_type="text/x-python", headers={
        "Content-Disposition": 'attachment; filename="tensor_playground.py"',
        "X-Export-Epochs": str(script["epochs"]), "X-Export-Max-Epochs": str(export.MAX_EPOCHS)})


@router.get("/{run_id}/export/model.keras", response_class=Response, responses={
    **NEW_SESSION, 200: {"content": {"application/octet-stream": {}}, "description": "The trained model"}})
async def export_run_model(request: Request, manager: ManagerDep, client: ClientDep, run_id: RunId) -> Response:
    """The run's trained network, at the saved epoch, as a Keras ``.keras`` file."""
    data = await _export(request, manager, client, run_id, "export_keras")
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": 'attachment; filename="tensor_playground.keras"'})


async def _export(request: Request, manager: SessionManager, client: str, run_id: str, op: str,
                  **kwargs: Any) -> Any:
    """Export through a session made for the purpose and dropped after, so the export code is the sessions'."""
    session_id = await _session_from(request, manager, client, run_id)
    try:
        return await manager.call(session_id, op, **kwargs)
    finally:
        manager.delete(session_id)


async def _session_from(request: Request, manager: SessionManager, client: str, run_id: str) -> str:
    """A new session holding the run's saved state; its id."""
    run = await _get(request, run_id, with_state=True)
    try:
        spec = SessionConfig.model_validate(run.config).to_spec()
    except ValidationError as e:
        raise HTTPException(422, detail=f"This run cannot be continued on this server: "
                                        f"{'; '.join(err['msg'] for err in e.errors())}") from None
    saved = records.decode(run.state)
    state = {"spec": spec, "params": saved["params"], "slots": saved["slots"], "step": saved["step"],
             "epoch": run.epoch, "history": saved["history"],
             "metrics": (run.metrics["train"], run.metrics["test"]), "status": run.status,
             "message": run.metrics.get("message"), "train_seconds": saved["train_seconds"]}
    try:
        session_id, _ = await manager.create(spec, client=client)
    except TooManySessions as e:
        raise _retry_later(503, e) from None
    except TooManyRequests as e:
        raise _retry_later(429, e) from None
    except SessionLost:
        raise HTTPException(503, detail="The server could not build the session; try again",
                            headers={"Retry-After": "1"}) from None
    try:
        await manager.call(session_id, "load_state", state=state)
    except BaseException:
        manager.delete(session_id)
        raise
    return session_id


def _saved_config(run: Run) -> SavedConfig:
    """The configuration as saved, not checked again: this server's limits may have changed since."""
    fields = run.config
    schedule = ScheduleChoice.model_construct(**fields["lr_schedule"])
    return SavedConfig.model_construct(**{**fields, "lr_schedule": schedule})


def _retry_later(status_code: int, e: LimitExceeded) -> HTTPException:
    return HTTPException(status_code, detail=str(e), headers={"Retry-After": str(e.retry_after)})


def _rows(points: np.ndarray, labels: np.ndarray) -> list[list[float]]:
    return np.round(np.column_stack([points, labels]).astype(np.float64), 5).tolist()
