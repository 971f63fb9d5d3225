"""An upload above TP_MAX_UPLOAD_BYTES is refused while it streams: the server answers 413 long before the
client has sent it all, and never holds the whole body. A raw socket on loopback sends it chunk by chunk."""

import select
import socket
import time
from collections.abc import Iterator

import pytest

from tests import devserver
from tests.fault.test_server_limits import address, read_all, status_of

pytestmark = pytest.mark.timeout(240)

CAP = 65_536
CHUNK = 16_384
SETTINGS = {"TP_BACKEND": "inprocess", "TP_PREWARM": "false", "TP_MAX_UPLOAD_BYTES": str(CAP)}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with devserver.serve(SETTINGS) as url:
        yield url


def test_a_chunked_upload_above_the_cap_is_refused_while_it_streams(server):
    row = b"1.5,-2.25,0\n"
    chunk = row * (CHUNK // len(row))
    sent = 0
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(b"POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        deadline = time.monotonic() + 20
        answered = False
        while sent < 100 * CAP and time.monotonic() < deadline:  # 6.5 MB if the server read it all
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
            if select.select([sock], [], [], 0.02)[0]:
                answered = True
                break
        assert answered, f"no answer after {sent} bytes"
        response = read_all(sock)
    assert status_of(response) == 413 and b"TP_MAX_UPLOAD_BYTES" in response
    assert sent <= 4 * CAP  # refused at the cap (and what the socket buffers held), not at the end


def test_a_body_within_the_cap_is_taken(server):
    import httpx

    body = b"x1,x2,label\n" + b"".join(b"%d,%d,%d\n" % (i % 7, i % 5, i % 2) for i in range(200))
    r = httpx.post(server + "/api/datasets", content=body, headers={"content-type": "text/csv"}, timeout=30)
    assert r.status_code == 201 and r.json()["rows"] == 200
