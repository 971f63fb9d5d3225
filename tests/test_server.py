"""The app server's own limits, unit by unit (``tests/fault/test_server_limits.py`` drives a served app)."""

import resource

import h11
import pytest

from app.server import FILE_DESCRIPTORS_BESIDES_CONNECTIONS, head_size, reserve_file_descriptors


@pytest.mark.parametrize("raw", [b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                                 b"POST /api/sessions?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nCookie: c=" + b"k" * 500
                                 + b"\r\nContent-Length: 0\r\n\r\n"])
def test_head_size_is_the_bytes_of_the_request_line_and_headers(raw):
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(raw)
    assert head_size(conn.next_event()) == len(raw)


def test_the_open_file_limit_is_raised_to_fit_the_connection_cap():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (300, hard))
        reserve_file_descriptors(1000)
        expected = 1000 + FILE_DESCRIPTORS_BESIDES_CONNECTIONS
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == (expected if hard == resource.RLIM_INFINITY
                                                                 else min(expected, hard))
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
