"""Error responses: every failure is JSON ``{"detail": ...}`` with a 4xx code, never a traceback."""

import logging
import math
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.middleware import SECURITY_HEADERS

log = logging.getLogger("tensor_playground")

MAX_ECHO = 200  # characters of a rejected input repeated back, so a huge body is never echoed whole


def _short(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        text = value if not isinstance(value, str) or len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"
        return text
    text = repr(value)
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


def _clean(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in errors[:20]:
        item = {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:500], "type": e.get("type", "")}
        if "input" in e:
            item["input"] = _short(e["input"])
        out.append(item)
    return out


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": _clean(list(exc.errors()))})


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    request_id = uuid.uuid4().hex
    log.exception("unhandled error, request id %s", request_id)
    # This answer comes from Starlette's outermost error middleware, past SecurityHeaders: add them here.
    return JSONResponse(status_code=500, content={"detail": "Internal server error", "request_id": request_id},
                        headers={k.decode(): v.decode() for k, v in SECURITY_HEADERS})


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route whose path matched; list every method the path serves.
        methods = _documented_methods(request.app, request.url.path)
        if methods:
            headers["Allow"] = ", ".join(methods)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def _documented_methods(app: FastAPI, path: str) -> list[str]:
    found: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            found |= {m.upper() for m in operations if m in ("get", "put", "post", "delete", "patch")}
    return sorted(found)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unhandled)
