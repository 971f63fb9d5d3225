"""Error responses: every failure is JSON ``{"detail": ...}`` with a 4xx code, never a traceback.

A field error (422) keeps pydantic's ``loc``, ``msg``, ``type`` and plain ``ctx``; an error the app raises
(``AppError``) adds a stable ``code`` and its ``params`` beside the English ``detail`` (app/error_codes.py),
so a page can say either in its own language.

A refusal repeats what it refused only in part: whatever came in (a 900 KB key, thousands of bad numbers),
the body of a 4xx stays under ``MAX_ERROR_BYTES``, so a small request can never make a large answer.
"""

import json
import logging
import math
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.error_codes import CODES

log = logging.getLogger("tensor_playground")

MAX_ERROR_BYTES = 4096  # the whole JSON body of any 4xx this module writes
MAX_ECHO = 200  # characters of a rejected input repeated back
MAX_LOC_PART = 64  # characters of one path element (an unknown key is named, not copied)
MAX_MESSAGE = 500  # characters of one message
CLOSE_INTERNAL_ERROR = 1011


class AppError(StarletteHTTPException):
    """An error of the app's own: the English ``detail`` for API users, and a ``code`` (one of
    ``app.error_codes.CODES``) with its ``params`` for a page that says it in its language."""

    def __init__(self, status_code: int, detail: str, code: str, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"Unknown error code {code!r}; expected one of: {', '.join(CODES)}")
        super().__init__(status_code, detail=detail, headers=headers)
        self.code = code
        self.params = params or {}


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _short(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return shorten(value, MAX_ECHO)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        # str() of a huge integer is slow, and refused past 4300 digits: say what it was instead.
        return f"an integer of {value.bit_length()} bits"
    if isinstance(value, int | float | bool) or value is None:
        return value
    try:
        return shorten(repr(value), MAX_ECHO)
    except (RecursionError, ValueError):  # deeply nested, or holding a huge integer
        return f"a {type(value).__name__}"


def _item(error: dict[str, Any]) -> dict[str, Any]:
    loc = [part if isinstance(part, int) else shorten(str(part), MAX_LOC_PART) for part in error.get("loc", ())]
    item = {"loc": loc, "msg": shorten(str(error.get("msg", "")), MAX_MESSAGE), "type": str(error.get("type", ""))}
    if "input" in error:
        item["input"] = _short(error["input"])
    # The error's parameters (a bound, both ends of a range) let a page word it in its own language; only
    # plain values go out (a value_error's ctx holds the exception itself).
    ctx = error.get("ctx")
    if isinstance(ctx, dict):
        plain = {str(k): _short(v) for k, v in ctx.items() if isinstance(v, str | int | float | bool) or v is None}
        if plain:
            item["ctx"] = plain
    return item


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def bounded_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """As many shortened errors as fit in ``MAX_ERROR_BYTES``, then one entry counting the rest."""
    room = MAX_ERROR_BYTES - _size({"detail": []}) - 200  # 200: the closing "and N more" entry
    out: list[dict[str, Any]] = []
    for i, error in enumerate(errors):
        item = _item(error)
        cost = _size(item) + 1
        if cost > room:
            out.append({"loc": [], "msg": f"and {len(errors) - i} more errors", "type": "too_many_errors"})
            break
        out.append(item)
        room -= cost
    return out


def bounded_detail(detail: Any) -> Any:
    """An ``HTTPException`` detail, cut to fit: route messages quote what they received."""
    if isinstance(detail, str):
        return shorten(detail, MAX_ERROR_BYTES // 4)  # a character may take four bytes in UTF-8
    if _size(detail) <= MAX_ERROR_BYTES - 20:
        return detail
    return shorten(json.dumps(detail, ensure_ascii=False), MAX_ERROR_BYTES // 4)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": bounded_errors(list(exc.errors()))})


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route whose path matched; list every method the path serves.
        methods = _documented_methods(request.app, request.url.path)
        if methods:
            headers["Allow"] = ", ".join(methods)
    body: dict[str, Any] = {"detail": bounded_detail(exc.detail)}
    if isinstance(exc, AppError):
        body["code"] = exc.code
        body["params"] = {str(k): _short(v) for k, v in list(exc.params.items())[:10]}
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


def _documented_methods(app: FastAPI, path: str) -> list[str]:
    found: set[str] = set()
    paths = app.openapi().get("paths", {})
    if path in paths:  # a fixed path (/api/datasets/preview) is served by its own route, not by /{id} beside it
        return sorted(m.upper() for m in paths[path] if m in ("get", "put", "post", "delete", "patch"))
    for template, operations in paths.items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            found |= {m.upper() for m in operations if m in ("get", "put", "post", "delete", "patch")}
    return sorted(found)


class UnhandledErrors:
    """Logs an unhandled error once, with a request id, and answers it; the error goes no further.

    Starlette's own last-resort handler re-raises after answering, so that the server logs it too: every
    traceback appeared twice. Here it stops: a request gets a generic 500 carrying the id, a stream a close
    with 1011 (or a refused handshake); nothing of the error reaches the client.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        started = closed = False

        async def tracking_send(message: Message) -> None:
            nonlocal started, closed
            kind = message["type"]
            if kind in ("http.response.start", "websocket.accept", "websocket.http.response.start"):
                started = True
            if kind == "websocket.close":
                closed = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request_id = uuid.uuid4().hex
            log.exception("unhandled error, request id %s", request_id)
            if scope["type"] == "http":
                if not started:
                    response = JSONResponse(status_code=500,
                                            content={"detail": "Internal server error", "request_id": request_id})
                    await response(scope, receive, send)
                # Once an answer has begun it cannot be replaced: the server closes the connection.
            elif not closed:
                await send({"type": "websocket.close", "code": CLOSE_INTERNAL_ERROR,
                            "reason": f"Internal server error, request id {request_id}"})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
