"""What the app server (``python -m app``) refuses by itself, before the app sees a request: oversize and
slow headers, more connections than it holds, more streams per client, oversize WebSocket messages.

One server for the module, with the limits made small so each case takes seconds; raw sockets on loopback,
every loop bounded.
"""

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.client import ClientProtocol
from websockets.exceptions import InvalidStatus
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

from tests import devserver

# Generous: the first test also waits for the server to start, on a machine others share; every loop in a
# test has its own deadline of a few seconds.
pytestmark = pytest.mark.timeout(240)

HEADER_TIMEOUT = 2
BODY_TIMEOUT = 3
MAX_CONNECTIONS = 40
STREAMS_PER_CLIENT = 2
MAX_HEADER_BYTES = 16_384
WS_MAX_MESSAGE_BYTES = 65_536
SETTINGS = {"TP_BACKEND": "inprocess", "TP_PREWARM": "false", "TP_JIT_COMPILE": "false",
            "TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": "1000", "TP_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
            "TP_MAX_CONNECTIONS": str(MAX_CONNECTIONS), "TP_MAX_STREAMS_PER_CLIENT": str(STREAMS_PER_CLIENT),
            "TP_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES), "TP_WS_MAX_MESSAGE_BYTES": str(WS_MAX_MESSAGE_BYTES),
            "TP_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT)}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with devserver.serve(SETTINGS) as url:
        yield url


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def read_all(sock: socket.socket, seconds: float = 5) -> bytes:
    """Everything the server sends until it closes (or ``seconds`` pass)."""
    sock.settimeout(seconds)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def request(url: str, head: bytes) -> bytes:
    with socket.create_connection(address(url), timeout=5) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + head + b"\r\n")
        return read_all(sock)


def health(url: str) -> httpx.Response:
    return httpx.get(url + "/api/health", timeout=10)


@pytest.mark.parametrize("head", [b"X-Big: " + b"a" * 1_000_000 + b"\r\n",
                                  b"".join(b"X-H%d: " % i + b"v" * 90 + b"\r\n" for i in range(1000)),
                                  b"Cookie: c=" + b"k" * 100_000 + b"\r\n"],
                         ids=["one 1 MB header", "1000 headers of 100 B", "100 KB cookie"])
def test_oversize_request_headers_are_refused_with_431(server, head):
    response = request(server, head)
    assert status_of(response) == 431, response[:200]
    body = json.loads(response.split(b"\r\n\r\n", 1)[1])
    assert body == {"detail": f"Request headers too large: at most {MAX_HEADER_BYTES} bytes"}
    assert status_of(request(server, b"Cookie: c=" + b"k" * (MAX_HEADER_BYTES // 2) + b"\r\n")) == 200


def test_headers_sent_a_byte_a_second_are_cut_off_after_the_header_timeout(server):
    sockets = [socket.create_connection(address(server), timeout=5) for _ in range(20)]
    started = time.monotonic()
    answers: dict[socket.socket, bytes] = {}
    try:
        for sock in sockets:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while len(answers) < len(sockets) and time.monotonic() < started + HEADER_TIMEOUT + 8:
            pending = [s for s in sockets if s not in answers]
            for sock in pending:
                try:
                    sock.send(b"x")  # one byte of a header that never ends
                except OSError:
                    answers[sock] = b""
            readable, _, _ = select.select([s for s in pending if s not in answers], [], [], 1.0)
            for sock in readable:
                answers[sock] = read_all(sock)
        elapsed = time.monotonic() - started
        assert len(answers) == len(sockets), f"{len(sockets) - len(answers)} slow clients still connected"
        assert {status_of(a) for a in answers.values()} == {408}
        assert HEADER_TIMEOUT * 0.9 <= elapsed < HEADER_TIMEOUT + 8
        assert health(server).status_code == 200
    finally:
        for sock in sockets:
            sock.close()


def test_a_slow_second_request_on_a_kept_alive_connection_is_cut_off_too(server):
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while b"\r\n\r\n" not in first:
            first += sock.recv(65536)
        head, body = first.split(b"\r\n\r\n", 1)
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += sock.recv(65536)
        assert status_of(first) == 200
        started = time.monotonic()
        sock.sendall(b"GET /api/health HTTP/1.1\r\n")
        answer = b""
        while not answer and time.monotonic() < started + HEADER_TIMEOUT + 8:
            sock.send(b"x")
            if select.select([sock], [], [], 1.0)[0]:
                answer = read_all(sock)
        assert status_of(answer) == 408


def test_a_body_that_never_finishes_is_answered_408_after_the_body_timeout(server):
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(b"POST /api/datasets/preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"dataset\": ")
        started = time.monotonic()
        answer = read_all(sock, BODY_TIMEOUT + 8)
        elapsed = time.monotonic() - started
    assert status_of(answer) == 408 and b"Request body not received within 3 s" in answer
    assert BODY_TIMEOUT * 0.9 <= elapsed < BODY_TIMEOUT + 8  # and the server closed the connection


def test_a_flood_of_idle_connections_does_not_lock_out_health(server):
    flood = [socket.create_connection(address(server), timeout=5) for _ in range(3 * MAX_CONNECTIONS)]
    try:
        assert health(server).status_code == 200
        # The server closes the oldest idle ones at once to make room (no answer), before any would time out.
        closed = 0
        deadline = time.monotonic() + HEADER_TIMEOUT / 2
        while time.monotonic() < deadline and closed < 2 * MAX_CONNECTIONS:
            readable, _, _ = select.select(flood, [], [], 0.1)
            for sock in readable:
                if read_all(sock, 0.1) == b"":
                    closed += 1
                    flood.remove(sock)
                    sock.close()
        assert closed >= 2 * MAX_CONNECTIONS
    finally:
        for sock in flood:
            sock.close()


def test_beyond_the_connection_cap_every_connection_busy_answers_503(server):
    busy = []
    try:
        for _ in range(MAX_CONNECTIONS + 5):  # each sent its headers and holds back its body: busy, not idle
            sock = socket.create_connection(address(server), timeout=5)
            sock.sendall(b"POST /api/datasets/preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")
            busy.append(sock)
        time.sleep(0.5)
        refused = health(server)
        assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
        assert "every connection is in use" in refused.json()["detail"]
    finally:
        for sock in busy:
            sock.close()
    deadline = time.monotonic() + 5
    while health(server).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert health(server).status_code == 200


def create_session(url: str) -> str:
    r = httpx.post(url + "/api/sessions", json={"hidden_layers": [2], "num_samples": 40}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_streams_beyond_the_per_client_cap_are_refused_with_503(server, run_async):
    stream = server.replace("http", "ws", 1) + f"/api/sessions/{create_session(server)}/stream"

    def as_client(ip: str) -> dict:
        return {"additional_headers": {"X-Forwarded-For": ip}}  # the server trusts a proxy on loopback

    async def scenario() -> None:
        first = [await connect(stream, **as_client("198.51.100.7")) for _ in range(STREAMS_PER_CLIENT)]
        for ws in first:
            assert json.loads(await ws.recv())["type"] == "frame"
        with pytest.raises(InvalidStatus) as refused:
            await connect(stream, **as_client("198.51.100.7"))
        assert refused.value.response.status_code == 503
        assert f"at most {STREAMS_PER_CLIENT}" in json.loads(refused.value.response.body)["detail"]
        async with connect(stream, **as_client("198.51.100.8")) as other:
            assert json.loads(await other.recv())["type"] == "frame"
        await first[0].close()
        await asyncio.sleep(0.2)
        async with connect(stream, **as_client("198.51.100.7")) as again:
            assert json.loads(await again.recv())["type"] == "frame"
        for ws in first[1:]:
            await ws.close()

    run_async(scenario())


def open_stream(url: str, path: str, **options) -> tuple[socket.socket, ClientProtocol]:
    """A WebSocket handshake on a raw socket, so a test can send frames the client library would not."""
    sock = socket.create_connection(address(url), timeout=5)
    protocol = ClientProtocol(parse_uri(url.replace("http", "ws", 1) + path), max_size=None, **options)
    protocol.send_request(protocol.connect())
    sock.sendall(b"".join(protocol.data_to_send()))
    while protocol.handshake_exc is None and protocol.state.name == "CONNECTING":
        protocol.receive_data(sock.recv(65536))
    assert protocol.state.name == "OPEN", protocol.handshake_exc
    return sock, protocol


def close_code(sock: socket.socket, protocol: ClientProtocol, seconds: float = 5) -> int | None:
    """The code of the server's close frame, if one comes within ``seconds``."""
    deadline = time.monotonic() + seconds
    sock.settimeout(0.5)
    while time.monotonic() < deadline and protocol.close_rcvd is None:
        try:
            data = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not data:
            break
        protocol.receive_data(data)
        protocol.events_received()
    return protocol.close_rcvd.code if protocol.close_rcvd else None


def test_an_oversize_message_is_refused_by_its_frame_header_before_it_arrives(server):
    sock, protocol = open_stream(server, f"/api/sessions/{create_session(server)}/stream")
    with sock:
        frame = Frame(Opcode.TEXT, b" " * 1_000_000).serialize(mask=True)
        sock.sendall(frame[:WS_MAX_MESSAGE_BYTES // 4])  # a quarter of the limit; the header says 1 MB
        assert close_code(sock, protocol) == 1009


def test_a_compressed_message_is_refused_while_it_inflates(server):
    sock, protocol = open_stream(server, f"/api/sessions/{create_session(server)}/stream",
                                 extensions=[ClientPerMessageDeflateFactory()])
    with sock:
        assert protocol.extensions, "the server negotiates per-message deflate"
        protocol.send_text(b" " * (20 * WS_MAX_MESSAGE_BYTES))  # a few KB on the wire
        sock.sendall(b"".join(protocol.data_to_send()))
        assert close_code(sock, protocol) == 1009
        assert not protocol.close_rcvd.reason.startswith("Messages may be at most")  # the server, not the app
