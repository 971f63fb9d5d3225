"""ASGI middleware: security headers, request bodies (size and time), allowed hosts, streams per client."""

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in SECURITY_HEADERS if k not in names]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """Answers 413 when a request body exceeds ``max_bytes``, whether or not it declares its length."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await self._reject(send)
        seen = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Stop reading: the handler sees the body end here and fails to parse it; its
                    # answer is replaced by the 413 below.
                    exceeded = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def replacing_send(message: Message) -> None:
            if not exceeded:
                return await send(message)
            if message["type"] == "http.response.start":
                await self._reject(send)

        await self.app(scope, counting_receive, replacing_send)

    async def _reject(self, send: Send) -> None:
        await send_json(send, 413, f"Request body too large: at most {self.max_bytes} bytes")


async def send_json(send: Send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = (),
                    *, prefix: str = "http") -> None:
    """Send the whole answer ``{"detail": detail}`` (``prefix`` "websocket.http" refuses a handshake with it)."""
    body = json.dumps({"detail": detail}).encode()
    await send({"type": f"{prefix}.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": f"{prefix}.response.body", "body": body})


async def deny(scope: Scope, send: Send, status: int, detail: str) -> None:
    """Answer ``{"detail": ...}`` with ``status`` before the app runs: a response, or a refused WebSocket
    handshake (with the same body where the server supports it, else a bare 403)."""
    if scope["type"] == "http":
        await send_json(send, status, detail)
    elif "websocket.http.response" in scope.get("extensions", {}):
        await send_json(send, status, detail, prefix="websocket.http")
    else:
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})


def host_name(host_header: str) -> str:
    """``example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``[::1]``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(name: str, allowed: list[str]) -> bool:
    """Exact names, ``*.example.org`` for its subdomains, or ``*`` for any."""
    return any(pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
               for pattern in allowed)


class AllowedHosts:
    """Refuses a request (or stream) whose ``Host`` is not one of ours, with 400.

    A page on any site can make its own name resolve to 127.0.0.1 (DNS rebinding) and then talk to a server
    on the learner's machine as if it were the same origin; its requests still name the attacker's host.
    """

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = [a.lower() for a in allowed]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        header = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if not host_allowed(host_name(header), self.allowed):
            shown = header if len(header) <= 100 else header[:100] + "…"
            return await deny(scope, send, 400, f"Unknown host {shown!r}. Expected one of: "
                                                f"{', '.join(self.allowed)} (the server's TP_ALLOWED_HOSTS)")
        await self.app(scope, receive, send)


class StreamsPerClient:
    """At most ``limit`` WebSockets open at once from one client address; beyond, the handshake answers 503.

    The address is the one the server sees (behind a trusted proxy, the forwarded one), as for the other
    per-client limits.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.open: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        client = scope["client"][0] if scope.get("client") else ""
        if self.open.get(client, 0) >= self.limit:
            return await deny(scope, send, 503, f"Too many live streams from this client: at most {self.limit} "
                                                f"at once; close one first")
        self.open[client] = self.open.get(client, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open[client] -= 1
            if not self.open[client]:
                del self.open[client]


class BodyTimeout:
    """Answers 408 (and closes) when a request body has not fully arrived ``seconds`` after its headers.

    The server's own deadline covers only the headers; without this a client could hold a connection busy
    for ever by announcing a body and sending it a byte at a time, or not at all.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        deadline = asyncio.get_running_loop().time() + self.seconds
        complete = timed_out = False

        async def timed_receive() -> Message:
            nonlocal complete, timed_out
            if complete:  # the body is in; what follows is the wait for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - asyncio.get_running_loop().time()))
            except asyncio.TimeoutError:
                # The handler sees the body end here and fails to parse it; its answer becomes the 408 below.
                timed_out = complete = True
                return {"type": "http.request", "body": b"", "more_body": False}
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def replacing_send(message: Message) -> None:
            if not timed_out:
                return await send(message)
            if message["type"] == "http.response.start":
                await send_json(send, 408, f"Request body not received within {self.seconds:g} s",
                                ((b"connection", b"close"),))

        await self.app(scope, timed_receive, replacing_send)
