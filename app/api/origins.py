"""Which browser pages may open the live stream: the app's own origin, scheme included, or a listed one."""

from urllib.parse import urlsplit

from starlette.websockets import WebSocket

# The page's scheme for each WebSocket scheme: a stream opened from http://host must not accept https://host.
PAGE_SCHEMES = {"ws": "http", "wss": "https"}


def origin_allowed(origin: str | None, host: str | None, scheme: str, allowed: list[str]) -> bool:
    """Same origin as the page (scheme and host:port) or listed; clients without Origin are not browsers.

    ``scheme`` is the stream's own (``ws``/``wss``; behind a TLS proxy, what ``X-Forwarded-Proto`` says).
    """
    if origin is None:
        return True
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    return (host is not None and parts.scheme.lower() == PAGE_SCHEMES.get(scheme, scheme)
            and parts.netloc.lower() == host.lower())


def stream_origin_allowed(websocket: WebSocket) -> bool:
    """``origin_allowed`` for a stream's handshake, with the settings of the app that serves it."""
    return origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), websocket.url.scheme,
                          websocket.app.state.settings.ws_allowed_origins)
