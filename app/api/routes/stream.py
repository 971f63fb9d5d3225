"""The live stream: play / pause / step / live changes in, frames (JSON header + heatmap bytes) out.

Commands (JSON text): ``play``, ``pause``, ``step`` (one epoch), ``set`` (``changes``: the fields of PATCH),
``reset`` (``reseed``), ``edit`` (``layer``, ``kind``, ``index``, ``value``: as PUT weights) and ``frame``
(send one now, with every feature's thumbnail). Each frame is two messages: a JSON header
(``app.engine.frames`` documents it) and one binary message with the heatmaps it describes.
A bad command gets ``{"type": "error", "detail": ...}`` and the stream carries on.

While playing, one call on the training pool runs K epochs and draws the frame; K adapts so a call takes
about ``TARGET_SECONDS``. Commands are read by their own task into a queue so a long call never blocks them.
"""

import asyncio
import json
import os
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from app.api.origins import stream_origin_allowed
from app.config import get_settings
from app.schemas.sessions import SessionPatch, WeightEdit
from app.sessions.manager import SessionLost, SessionManager, SessionNotFound

router = APIRouter(tags=["sessions"])

TARGET_SECONDS = 0.03  # one training call; with the frame work around it, ~25 frames a second
MIN_SLICE_SECONDS = 0.002  # below this a call is all overhead
BUDGET_WAIT_SECONDS = 0.5  # a throttled stream looks again this often (and reads commands meanwhile)
COMPILING_POLL_SECONDS = 0.5  # a paused stream whose last frame said "compiling" sends a fresh one this often
CLOSE_NOT_FOUND = 4404
CLOSE_POLICY = 1008  # Origin not allowed
CLOSE_TOO_BIG = 1009
CLOSE_LOST = 1011  # the worker process hosting the session died: its state is gone
LOST_REASON = "Session lost: its worker process stopped; create a new session"
COMMANDS = ("play", "pause", "step", "set", "reset", "edit", "frame")


class BadCommand(ValueError):
    pass


def slice_seconds(playing: int, workers: int) -> float:
    """How long one training call should take so every playing stream gets its turn.

    One stream alone gets ``TARGET_SECONDS``; with more streams than training threads the slices
    shrink in proportion, so a classroom of small sessions all keep moving instead of queueing
    behind each other's 30 ms calls. A session with a huge network gets the same slice, not more.
    """
    if playing <= workers:
        return TARGET_SECONDS
    return max(MIN_SLICE_SECONDS, TARGET_SECONDS * workers / playing)


def next_epochs(epochs: int, seconds: float, *, cap: int, target: float = TARGET_SECONDS) -> int:
    """The epochs for the next call so that it takes about ``target``: grow or shrink at most 2× a call."""
    if seconds <= 0:
        return min(cap, epochs * 2)
    ideal = epochs * target / seconds
    return max(1, min(cap, int(min(epochs * 2, max(epochs / 2, ideal)))))


def _validation_detail(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, err['loc'])) or 'body'}: {err['msg']}" for err in e.errors())


def parse_command(text: str) -> dict[str, Any]:
    """A client message as a checked command; raises ``BadCommand`` saying what was expected."""
    try:
        message = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadCommand(f"Messages must be JSON objects; could not parse: {e.msg}") from None
    if not isinstance(message, dict) or message.get("type") not in COMMANDS:
        got = message.get("type") if isinstance(message, dict) else type(message).__name__
        raise BadCommand(f"Unknown command {got!r}. Expected an object with type one of: {', '.join(COMMANDS)}")
    kind = message["type"]
    try:
        if kind == "set":
            changes = message.get("changes")
            if not isinstance(changes, dict) or not changes:
                raise BadCommand("'set' needs 'changes': an object of live fields such as {\"learning_rate\": 0.01}")
            return {"type": kind, "changes": SessionPatch.model_validate(changes).changes()}
        if kind == "edit":
            edit = WeightEdit.model_validate({k: v for k, v in message.items() if k != "type"})
            return {"type": kind, "layer": edit.layer, "kind": edit.kind, "index": tuple(edit.index),
                    "value": edit.value}
        if kind == "reset":
            reseed = message.get("reseed", False)
            if not isinstance(reseed, bool):
                raise BadCommand(f"'reseed' must be true or false; received {reseed!r}")
            return {"type": kind, "reseed": reseed}
    except ValidationError as e:
        raise BadCommand(f"Invalid '{kind}': {_validation_detail(e)}") from None
    return {"type": kind}


class Playing:
    """The streams of one app that are playing now: the scheduler's view of the load."""

    def __init__(self) -> None:
        self.streams: set[int] = set()
        self.workers = os.cpu_count() or 2

    def slice(self) -> float:
        return slice_seconds(len(self.streams), self.workers)

    def contended(self) -> bool:
        """More playing streams than training threads: someone is waiting for their turn."""
        return len(self.streams) > self.workers


def playing_streams(app: Any) -> Playing:
    if not hasattr(app.state, "playing_streams"):
        app.state.playing_streams = Playing()
    return app.state.playing_streams


class Stream:
    """One connection's loop: the only sender, so a header and its bytes are never split by another frame."""

    def __init__(self, websocket: WebSocket, manager: SessionManager, session_id: str) -> None:
        self.ws = websocket
        self.manager = manager
        self.session_id = session_id
        self.scheduler = playing_streams(websocket.app)
        settings = get_settings()
        self.max_message = settings.ws_max_message_bytes
        self.resolution = settings.default_resolution
        self.neuron_resolution = settings.neuron_resolution
        self.cap = settings.max_epochs_per_call
        self._playing = False
        self.epochs = 1  # per call while playing; adapted from measured time
        self.rate = 0.0  # epochs per second, smoothed
        self.compiling = False  # the last frame sent while paused said so
        self.queue: asyncio.Queue[str | bytes | None] = asyncio.Queue()

    @property
    def playing(self) -> bool:
        return self._playing

    @playing.setter
    def playing(self, value: bool) -> None:
        self._playing = value
        (self.scheduler.streams.add if value else self.scheduler.streams.discard)(id(self))

    async def read(self) -> None:
        """Move client messages (text, or bytes to be refused) into the queue; ``None`` marks the end."""
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                text = message.get("text")
                payload = text if text is not None else message.get("bytes", b"")
                if len(payload) > self.max_message:
                    await self.ws.close(code=CLOSE_TOO_BIG, reason=f"Messages may be at most {self.max_message} bytes")
                    break
                await self.queue.put(payload)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            await self.queue.put(None)

    async def run(self) -> None:
        reader = asyncio.create_task(self.read())
        try:
            await self.send_frame(all_features=True)
            while True:
                if self.playing:
                    while not self.queue.empty():
                        if not await self.handle(self.queue.get_nowait()):
                            return
                    if self.playing:
                        await self.play_once()
                    await asyncio.sleep(0)  # let the reader run between calls
                elif self.compiling:  # paused before the compile finished: show the settled numbers once ready
                    try:
                        message = await asyncio.wait_for(self.queue.get(), COMPILING_POLL_SECONDS)
                    except asyncio.TimeoutError:
                        await self.send_frame(all_features=False)
                        continue
                    if not await self.handle(message):
                        return
                else:
                    if not await self.handle(await self.queue.get()):
                        return
        finally:
            self.playing = False
            reader.cancel()

    async def handle(self, message: str | bytes | None) -> bool:
        """Apply one client message; False when the client has gone."""
        if message is None:
            return False
        try:
            if not isinstance(message, str):
                raise BadCommand("Send commands as JSON text, not binary messages")
            await self.apply(parse_command(message))
        except ValueError as e:  # BadCommand, or the engine's own checks (e.g. a batch size above the data)
            await self.ws.send_text(json.dumps({"type": "error", "detail": str(e)}))
        return True

    async def apply(self, command: dict[str, Any]) -> None:
        kind = command["type"]
        if kind == "play":  # keeps the epochs per call measured last time: full speed at once
            self.playing = True
            return
        if kind == "pause":
            self.playing = False
        elif kind == "step":
            self.playing = False
            await self.train_and_send(1)
            return
        elif kind == "set":
            await self.manager.call(self.session_id, "update", changes=command["changes"])
        elif kind == "reset":
            await self.manager.call(self.session_id, "reset", reseed=command["reseed"])
        elif kind == "edit":
            await self.manager.call(self.session_id, "set_parameter", layer=command["layer"], kind=command["kind"],
                                    index=command["index"], value=command["value"])
        if not self.playing or kind == "frame":
            await self.send_frame(all_features=kind == "frame")

    async def play_once(self) -> None:
        # The compute budget only bites when others wait: a learner alone on the server plays at full
        # speed; in a busy classroom a session past its budget sits out until it has time left again.
        if self.scheduler.contended() and self.manager.budget_left(self.session_id) <= 0:
            await asyncio.sleep(min(BUDGET_WAIT_SECONDS, self.manager.budget_retry_after(self.session_id)))
            return
        epochs = self.epochs
        started = time.perf_counter()
        trained = await self.train_and_send(epochs)
        if trained is not None:
            self.manager.charge(self.session_id, trained)
            self.epochs = next_epochs(epochs, trained, cap=self.cap, target=self.scheduler.slice())
            wall = time.perf_counter() - started
            self.rate = epochs / wall if self.rate == 0 else 0.7 * self.rate + 0.3 * epochs / wall

    async def train_and_send(self, epochs: int) -> float | None:
        """Train ``epochs`` epochs and send the frame; returns the training seconds, or None if it diverged."""
        seconds, header, data = await self._frame(epochs=epochs)
        if seconds is None:
            self.playing = False
        await self._send(header, data)
        return seconds

    async def send_frame(self, *, all_features: bool) -> None:
        _, header, data = await self._frame(all_features=all_features)
        await self._send(header, data)

    async def _frame(self, *, epochs: int = 0, all_features: bool = False) -> tuple[float | None, str, bytes]:
        """One call where the session lives: train (if ``epochs``), then draw; the header comes back as JSON."""
        return await self.manager.call(
            self.session_id, "frame", epochs=epochs, resolution=self.resolution,
            neuron_resolution=self.neuron_resolution, all_features=all_features, playing=self.playing,
            epochs_per_second=round(self.rate, 1) if self.playing else 0.0)

    async def _send(self, header: str, data: bytes) -> None:
        if not self.playing:
            self.compiling = json.loads(header).get("compiling", False)
        await self.ws.send_text(header)
        await self.ws.send_bytes(data)


@router.websocket("/sessions/{session_id}/stream")
async def stream(websocket: WebSocket, session_id: str) -> None:
    """Live training: commands in, frames out (see the module docstring for the protocol)."""
    manager: SessionManager = websocket.app.state.sessions
    if not stream_origin_allowed(websocket):
        await websocket.close(code=CLOSE_POLICY, reason="Origin not allowed")  # before accept: a 403 handshake
        return
    await websocket.accept()
    try:
        entry = manager.entry(session_id)
    except SessionNotFound:
        await websocket.close(code=CLOSE_NOT_FOUND, reason="Session not found")
        return
    except SessionLost:
        await websocket.close(code=CLOSE_LOST, reason=LOST_REASON)
        return
    entry.connections += 1  # a connected tab keeps its session from being reaped
    try:
        await Stream(websocket, manager, session_id).run()
    except SessionNotFound:  # deleted while streaming
        await websocket.close(code=CLOSE_NOT_FOUND, reason="Session not found")
    except SessionLost:  # its worker process died
        await websocket.close(code=CLOSE_LOST, reason=LOST_REASON)
    except (WebSocketDisconnect, OSError):
        pass  # the client went away mid-send
    finally:
        entry.connections -= 1
        if manager.exists(session_id):
            manager.entry(session_id)  # touch it: the TTL counts from when the tab closed
