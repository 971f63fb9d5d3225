"""Training sessions: create, train, change live, look inside, export, delete."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.errors import AppError
from app.api.deps import ClientDep, ManagerDep, SettingsDep
from app.engine import export
from app.engine.session import Diverged
from app.schemas.sessions import (
    Boundary, BoundaryQuery, History, Layer, ResetRequest, SessionConfig, SessionPatch, SessionState, TrainRequest,
    WeightEdit, Weights, session_schemas,
)
from app.sessions.limits import LimitExceeded
from app.sessions.manager import (
    BudgetExhausted, SessionLost, SessionManager, SessionNotFound, TooManyRequests, TooManySessions,
)

router = APIRouter(prefix="/sessions", tags=["sessions"])

SessionId = Annotated[str, Path(min_length=1, max_length=64, description="The id returned on creation")]

MISSING = {404: {"description": "Session not found"},
             410: {"description": "Session lost: the worker process that hosted it stopped"}}
INVALID = {422: {"description": "Invalid input: the body says which field and what is allowed"}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}
LOST_DETAIL = ("Session lost: the process that hosted it (a worker process, or a Ray host actor) stopped "
               "unexpectedly and its training state is gone. Create a new session.")


def _retry_later(status_code: int, e: LimitExceeded) -> AppError:
    return AppError(status_code, str(e), e.code, e.params, headers={"Retry-After": str(e.retry_after)})


def state_of(session_id: str, described: dict[str, Any]) -> SessionState:
    """The HTTP view of ``operations.describe``."""
    state = {k: v for k, v in described.items() if k in SessionState.model_fields}
    spec = described["spec"]
    return SessionState(id=session_id, problem=spec.problem.value, num_parameters=spec.num_parameters,
                        config=SessionConfig.from_spec(spec), **state)


def _gone(e: LookupError | SessionLost) -> AppError:
    if isinstance(e, SessionLost):
        return AppError(410, LOST_DETAIL, "session_lost")
    return AppError(404, "Session not found", "session_not_found")


async def _call(manager: SessionManager, session_id: str, op: str, **kwargs: Any) -> Any:
    """Run ``op`` on the session; unknown → 404, lost → 410, an engine ``ValueError`` → 422."""
    try:
        return await manager.call(session_id, op, **kwargs)
    except (SessionNotFound, SessionLost) as e:
        raise _gone(e) from None
    except ValueError as e:
        raise AppError(422, str(e), "invalid_value") from None


async def _check(manager: SessionManager, session_id: str) -> None:
    """404 or 410 now, before any work, for a session that is not there."""
    try:
        await manager.find(session_id)
    except (SessionNotFound, SessionLost) as e:
        raise _gone(e) from None


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SessionState, responses={
    **INVALID,
    429: {"description": "This client created sessions faster than the server allows", "headers": RETRY_AFTER},
    503: {"description": "The server holds its maximum number of sessions", "headers": RETRY_AFTER}})
async def create_session(manager: ManagerDep, client: ClientDep, settings: SettingsDep,
                         config: SessionConfig | None = None) -> SessionState:
    """Create a session from a playground configuration (every field optional)."""
    if config is None:  # no body: the defaults, held to this app's limits
        try:
            config = session_schemas(settings).SessionConfig.model_validate({})
        except ValidationError as e:
            raise RequestValidationError(e.errors()) from None
    try:
        session_id, described = await manager.create(config.to_spec(), client=client)
    except TooManySessions as e:
        raise _retry_later(503, e) from None
    except TooManyRequests as e:
        raise _retry_later(429, e) from None
    except ValueError as e:
        raise AppError(422, str(e), "invalid_value") from None
    except SessionLost:  # its worker died while building it
        raise AppError(503, "The server could not build the session; try again", "session_build_failed",
                       headers={"Retry-After": "1"}) from None
    return state_of(session_id, described)


@router.get("/{session_id}", response_model=SessionState, responses=MISSING)
async def read_session(manager: ManagerDep, session_id: SessionId) -> SessionState:
    """Configuration, status, epoch, losses and metrics."""
    return state_of(session_id, await _call(manager, session_id, "describe"))


@router.patch("/{session_id}", response_model=SessionState, responses={**MISSING, **INVALID})
async def update_session(manager: ManagerDep, session_id: SessionId, patch: SessionPatch) -> SessionState:
    """Change live knobs (learning rate, regularization, batch size, schedule) without a reset."""
    return state_of(session_id, await _call(manager, session_id, "update", changes=patch.changes()))


@router.post("/{session_id}/train", response_model=SessionState, responses={
    **MISSING, **INVALID, 409: {"description": "Training diverged; lower the learning rate or reset"},
    429: {"description": "The session used its training time for the rolling minute", "headers": RETRY_AFTER}})
async def train_session(manager: ManagerDep, session_id: SessionId, body: TrainRequest | None = None) -> SessionState:
    """Train for ``epochs`` epochs (no body: the default); a run that diverges reports ``status: diverged`` and
    keeps the last finite weights."""
    body = body or TrainRequest()
    try:
        return state_of(session_id, await manager.train(session_id, body.epochs))
    except BudgetExhausted as e:
        raise _retry_later(429, e) from None
    except Diverged as e:  # it had diverged before: nothing trained
        raise AppError(409, str(e), "diverged") from None
    except (SessionNotFound, SessionLost) as e:  # also when deleted while it trained
        raise _gone(e) from None


@router.post("/{session_id}/reset", response_model=SessionState, responses={**MISSING, **INVALID})
async def reset_session(manager: ManagerDep, session_id: SessionId, body: ResetRequest | None = None) -> SessionState:
    """Back to epoch 0 with the same initial weights, or new ones with ``{"reseed": true}``."""
    return state_of(session_id, await _call(manager, session_id, "reset", reseed=bool(body and body.reseed)))


@router.get("/{session_id}/boundary", response_model=Boundary, responses={**MISSING, **INVALID})
async def read_boundary(manager: ManagerDep, settings: SettingsDep, session_id: SessionId,
                        grids: Annotated[BoundaryQuery, Query()]) -> Response:
    """The output over [-6, 6]² and every hidden neuron's activation, from one batched call.

    Values are rounded to 4 decimals. The output grid counts ``resolution²`` cells per output unit, the
    neuron grid ``neuron_resolution²`` per feature and hidden neuron; together at most the server's
    ``max_boundary_cells``."""
    await _check(manager, session_id)
    res = grids.resolution or settings.default_resolution
    nres = grids.neuron_resolution or settings.neuron_resolution
    body = await _call(manager, session_id, "boundary", resolution=res, neuron_resolution=nres,
                       max_cells=settings.max_boundary_cells)
    return Response(body, media_type="application/json")  # JSON already, built where the session lives


@router.get("/{session_id}/history", response_model=History, responses=MISSING)
async def read_history(manager: ManagerDep, session_id: SessionId) -> History:
    """Train and test loss after every training call."""
    points = await _call(manager, session_id, "history")
    return History(epochs=[p[0] for p in points], train_loss=[p[1] for p in points],
                   test_loss=[p[2] for p in points])


@router.get("/{session_id}/weights", response_model=Weights, responses=MISSING)
async def read_weights(manager: ManagerDep, session_id: SessionId) -> Weights:
    """Every weight (``[from][to]``) and bias, layer by layer from the first hidden layer to the output."""
    params = await _call(manager, session_id, "weights")
    return Weights(layers=[Layer(weights=w.astype(float).tolist(), biases=b.astype(float).tolist())
                           for w, b in zip(params[0::2], params[1::2])])


@router.put("/{session_id}/weights", response_model=SessionState, responses={**MISSING, **INVALID})
async def edit_weight(manager: ManagerDep, session_id: SessionId, edit: WeightEdit) -> SessionState:
    """Set one weight or bias; training continues from the edited network."""
    return state_of(session_id, await _call(manager, session_id, "set_parameter", layer=edit.layer, kind=edit.kind,
                                            index=tuple(edit.index), value=edit.value))


ExportEpochs = Annotated[int | None, Query(
    ge=1, le=export.MAX_EPOCHS,
    description=f"Epochs the script trains. Default: as many as the session has trained, at most "
                f"{export.DEFAULT_EPOCHS_CAP:,} ({export.UNTRAINED_EPOCHS} for a session not trained yet)")]
EXPORT_HEADERS = {
    "X-Export-Epochs": {"description": "The epochs this script trains", "schema": {"type": "integer"}},
    "X-Export-Max-Epochs": {"description": "The largest epochs the export accepts", "schema": {"type": "integer"}},
}


@router.get("/{session_id}/export/script.py", response_class=Response, responses={
    **MISSING, **INVALID,
    200: {"content": {"text/x-python": {}}, "description": "A runnable Keras script", "headers": EXPORT_HEADERS}})
async def export_script(manager: ManagerDep, session_id: SessionId, epochs: ExportEpochs = None) -> Response:
    """A self-contained Python script that rebuilds the data, model and training with plain Keras."""
    script = await _call(manager, session_id, "export_script", epochs=epochs)
    return Response(script["text"], media_type="text/x-python", headers={
        "Content-Disposition": 'attachment; filename="tensor_playground.py"',
        "X-Export-Epochs": str(script["epochs"]), "X-Export-Max-Epochs": str(export.MAX_EPOCHS)})


@router.get("/{session_id}/export/model.keras", response_class=Response, responses={
    **MISSING, 200: {"content": {"application/octet-stream": {}}, "description": "The trained model"}})
async def export_model(manager: ManagerDep, session_id: SessionId) -> Response:
    """The trained network as a Keras ``.keras`` file (output: probabilities, or values for regression)."""
    data = await _call(manager, session_id, "export_keras")
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": 'attachment; filename="tensor_playground.keras"'})


@router.delete("/{session_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               responses={404: MISSING[404]})
async def delete_session(manager: ManagerDep, session_id: SessionId) -> Response:
    """Delete a session and free its memory (a lost session is forgotten)."""
    try:
        await manager.find(session_id)  # one another web server created (a shared backend) is ours to delete too
    except (SessionNotFound, SessionLost):
        pass  # delete answers for it: 404, or a lost one forgotten
    try:
        manager.delete(session_id)
    except SessionNotFound:
        raise AppError(404, "Session not found", "session_not_found") from None
    return Response(status_code=204)
