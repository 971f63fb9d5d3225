"""The live stream, as a WebSocket: play / pause / step / live changes in, frames (JSON header + heatmap bytes) out.

This module only adapts the socket: it accepts (or refuses) the connection, reads messages and turns them into
commands (``app.schemas.stream`` documents them), hands them to the session's ``Playback``
(``app.sessions.player``: the play loop, its pace and fairness) and sends what that hands back. Each frame is
two messages: a JSON header (``app.engine.frames`` documents it) and one binary message with the heatmaps it
describes. A bad command gets ``{"type": "error", "detail": ...}`` and the stream carries on.
"""

import asyncio
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.api.origins import stream_origin_allowed
from app.schemas.stream import BadCommand, parse_command
from app.sessions.commands import Command, Refused
from app.sessions.manager import SessionLost, SessionManager, SessionNotFound
from app.sessions.player import Player

router = APIRouter(tags=["sessions"])

CLOSE_NOT_FOUND = 4404
CLOSE_POLICY = 1008  # Origin not allowed
CLOSE_TOO_BIG = 1009
CLOSE_LOST = 1011  # the process hosting the session (a worker, a Ray host) died: its state is gone
LOST_REASON = "Session lost: its worker process stopped; create a new session"


def player_of(app: Any) -> Player:
    """The app's one ``Player``, built from its own settings on first use."""
    player = getattr(app.state, "player", None)
    if player is None:
        settings = app.state.settings
        player = app.state.player = Player(
            app.state.sessions, resolution=settings.default_resolution,
            neuron_resolution=settings.neuron_resolution, max_epochs_per_call=settings.max_epochs_per_call)
    return player


def command_of(message: dict[str, Any]) -> Command:
    """A received WebSocket message as a command; anything else as ``Refused`` saying what was expected."""
    text = message.get("text")
    if text is None:
        return Refused("Send commands as JSON text, not binary messages")
    try:
        return parse_command(text)
    except BadCommand as e:
        return Refused(str(e))


async def read(websocket: WebSocket, inbox: "asyncio.Queue[Command | None]", max_bytes: int) -> None:
    """Move the client's messages into ``inbox`` as commands; ``None`` marks the end. A reader of its own, so
    a long training call never keeps a command waiting on the socket."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            payload = message.get("text") if message.get("text") is not None else message.get("bytes", b"")
            if len(payload) > max_bytes:
                await websocket.close(code=CLOSE_TOO_BIG, reason=f"Messages may be at most {max_bytes} bytes")
                break
            await inbox.put(command_of(message))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        await inbox.put(None)


async def play(websocket: WebSocket, session_id: str) -> None:
    """Run the session's playback over this socket until the client leaves."""
    async def send(text: str, data: bytes | None) -> None:
        await websocket.send_text(text)
        if data is not None:
            await websocket.send_bytes(data)

    inbox: asyncio.Queue[Command | None] = asyncio.Queue()
    reader = asyncio.create_task(read(websocket, inbox, websocket.app.state.settings.ws_max_message_bytes))
    try:
        await player_of(websocket.app).playback(session_id, send).run(inbox)
    finally:
        reader.cancel()


@router.websocket("/sessions/{session_id}/stream")
async def stream(websocket: WebSocket, session_id: str) -> None:
    """Live training: commands in, frames out (see the module docstring for the protocol)."""
    manager: SessionManager = websocket.app.state.sessions
    if not stream_origin_allowed(websocket):
        await websocket.close(code=CLOSE_POLICY, reason="Origin not allowed")  # before accept: a 403 handshake
        return
    await websocket.accept()
    try:
        entry = await manager.find(session_id)
    except SessionNotFound:
        await websocket.close(code=CLOSE_NOT_FOUND, reason="Session not found")
        return
    except SessionLost:
        await websocket.close(code=CLOSE_LOST, reason=LOST_REASON)
        return
    entry.connections += 1  # a connected tab keeps its session from being reaped
    try:
        await play(websocket, session_id)
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
