"""The app server (``python -m app``): uvicorn with h11, bounded against what a client on the open internet
can send before the app ever sees a request.

uvicorn's default HTTP parser (httptools) has no limit on header size, and neither parser times out a
client that sends its headers slowly: uvicorn's keep-alive timer stops at the first byte. So this module
picks h11 and adds, per connection:

- a limit on the request line and headers (``max_header_bytes``): beyond it, 431;
- a deadline for them (``header_timeout_seconds``), counted from the connection or the previous answer
  and not restarted by each byte (slowloris): beyond it, 408;
- a cap on open connections (``max_connections``): a new one closes the connection that has waited longest
  for its next request, so a flood of idle sockets cannot lock others out; when every one is busy, 503.

WebSocket messages are limited by the server itself to the app's ``ws_max_message_bytes``, compressed or not.
"""

import json
import logging
import resource
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.api.middleware import send_json
from app.config import Settings

LINGER_SECONDS = 1.0  # after a refusal, read and drop what the client still sends, so it reads the answer
FILE_DESCRIPTORS_BESIDES_CONNECTIONS = 256
BUSY = "Server busy: every connection is in use; try again shortly"
RETRY_SOON = (b"retry-after", b"1")  # busy connections are requests in progress: they end within seconds


@dataclass(frozen=True)
class ConnectionLimits:
    max_header_bytes: int
    header_timeout_seconds: float
    max_connections: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "ConnectionLimits":
        return cls(settings.max_header_bytes, settings.header_timeout_seconds, settings.max_connections)


def head_size(request: h11.Request) -> int:
    """Bytes of a request line and headers as sent (up to optional whitespace)."""
    line = len(request.method) + len(request.target) + len(b" HTTP/1.1\r\n") + 1
    return line + sum(len(name) + len(value) + 4 for name, value in request.headers.raw_items()) + 2


class HeadLimitedConnection(h11.Connection):
    """h11 limits only an incomplete head; this refuses a complete one over the limit too, and remembers
    the status an error asks for (h11 suggests 431 for a head too long; uvicorn always answers 400)."""

    def __init__(self, max_head: int, on_request: Any) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=max_head)
        self.max_head = max_head
        self.on_request = on_request
        self.refused_status = 400

    def next_event(self) -> Any:
        try:
            event = super().next_event()
        except h11.RemoteProtocolError as e:
            self.refused_status = e.error_status_hint
            raise
        if isinstance(event, h11.Request):
            if head_size(event) > self.max_head:
                self.refused_status = 431
                raise h11.RemoteProtocolError("Request headers too large", error_status_hint=431)
            self.on_request()
        return event


# Per server: its connections waiting for a request head, oldest first (the first to close for room).
_waiting: "weakref.WeakKeyDictionary[Any, OrderedDict[BoundedH11Protocol, None]]" = weakref.WeakKeyDictionary()


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header size limit, a header deadline and a connection cap."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.conn = HeadLimitedConnection(limits.max_header_bytes, self._head_received)
        self.waiting = _waiting.setdefault(self.server_state, OrderedDict())
        self._deadline: Any = None
        self._discarding = False
        self._in_request = False
        self._over_capacity = False

    # Waiting for a request head: from the connection, and again after each answer.
    def _start_waiting(self) -> None:
        self._stop_waiting()
        self.waiting[self] = None
        self._deadline = self.loop.call_later(self.limits.header_timeout_seconds, self._headers_too_slow)

    def _stop_waiting(self) -> None:
        self.waiting.pop(self, None)
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _head_received(self) -> None:
        """A request head is in (before uvicorn picks the app for it): over capacity, the busy answer serves it."""
        self._stop_waiting()
        self._in_request = True
        self._over_capacity = not self._make_room()
        self.app = server_busy if self._over_capacity else self.config.loaded_app

    def _make_room(self) -> bool:
        """Close connections waiting for a request, oldest first, until at most ``max_connections`` are open
        (this one included); False if the busy ones alone fill it."""
        while len(self.connections) > self.limits.max_connections:
            idle = next((c for c in self.waiting if c is not self), None)
            if idle is None:
                return False
            idle.close_idle()
        return True

    def close_idle(self) -> None:
        self._stop_waiting()
        self.connections.discard(self)  # at once: the transport reports its loss only on the next turn
        if not self.transport.is_closing():
            self.transport.close()

    def _headers_too_slow(self) -> None:
        self._deadline = None
        self.refuse(408, f"Request headers not received within {self.limits.header_timeout_seconds:g} s")

    def refuse(self, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        """Answer ``{"detail": ...}`` and close, past h11 (whose state may be mid-request)."""
        self._stop_waiting()
        if self.transport.is_closing():
            return
        body = json.dumps({"detail": detail}).encode()
        reason = HTTPStatus(status).phrase
        head = [f"HTTP/1.1 {status} {reason}".encode(), b"content-type: application/json",
                b"content-length: " + str(len(body)).encode(), b"connection: close",
                *(name + b": " + value for name, value in headers)]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        # Close after a moment rather than now: closing with unread input resets the connection, and the
        # client would lose the answer.
        self._discarding = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    # uvicorn's protocol interface
    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._start_waiting()
        self._make_room()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._discarding:
            return
        super().data_received(data)

    def on_response_complete(self) -> None:
        self._in_request = False
        super().on_response_complete()  # may start a pipelined request at once
        if not self._in_request and not self.transport.is_closing():
            self._start_waiting()

    def send_400_response(self, msg: str) -> None:
        if self.conn.refused_status == 431:
            return self.refuse(431, f"Request headers too large: at most {self.limits.max_header_bytes} bytes")
        super().send_400_response(msg)

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        if self._over_capacity:
            return self.refuse(503, BUSY, (RETRY_SOON,))
        super().handle_websocket_upgrade(event)


async def server_busy(scope: Any, receive: Any, send: Any) -> None:
    """The ASGI answer to a request that found every connection busy."""
    await send_json(send, 503, BUSY, (RETRY_SOON,))


def reserve_file_descriptors(max_connections: int) -> None:
    """Raise this process's open-file limit to fit ``max_connections`` sockets and the rest (TensorFlow,
    worker pipes): reaching it first, the server could accept nobody, health checks included."""
    needed = max_connections + FILE_DESCRIPTORS_BESIDES_CONNECTIONS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < needed:
        logging.getLogger("tensor_playground").warning(
            "TP_MAX_CONNECTIONS=%d needs about %d open files; this process may open only %d", max_connections,
            needed, target)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of ``uvicorn.run`` for ``settings``."""
    limits = ConnectionLimits.from_settings(settings)

    def protocol(*args: Any, **kwargs: Any) -> BoundedH11Protocol:
        return BoundedH11Protocol(*args, limits=limits, **kwargs)

    return {
        "host": settings.host, "port": settings.port,
        "http": protocol, "h11_max_incomplete_event_size": settings.max_header_bytes,
        # On SIGTERM its shutdown closes every open stream with 1012 ("service restart") before the app's own
        # shutdown, so a page tells a restart from a dropped connection (tests/fault/test_restart_close.py).
        "ws": "websockets-sansio",
        # Refused while arriving, by frame header and while inflating, not after a 16 MB message is assembled.
        "ws_max_size": settings.ws_max_message_bytes,
    }
