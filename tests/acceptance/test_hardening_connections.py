"""Slow or silent clients are cut off, excess connections are refused fast, and others are still served."""
import socket
import time

import pytest
import requests

from sconto_server import Server


@pytest.fixture(scope="module")
def guarded():
    server = Server(args=["--header-timeout", "1", "--body-timeout", "1", "--idle-timeout", "2",
                          "--max-connections", "30"])
    yield server
    assert server.stop() == 0, server.logs()


def connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def seconds_until_closed(sock, limit=6.0):
    """Reads until the server closes the connection; the time it took, or None if it stayed open."""
    start = time.monotonic()
    sock.settimeout(0.1)
    while time.monotonic() - start < limit:
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - start
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - start
    return None


def trickle(sock, data, interval, limit=6.0):
    """Sends one byte per interval; the time until the server stopped accepting them, or None."""
    start = time.monotonic()
    for byte in data:
        if time.monotonic() - start > limit:
            return None
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - start
        if seconds_until_closed(sock, limit=interval) is not None:
            return time.monotonic() - start
    return None


def test_a_silent_connection_is_closed_after_the_header_timeout(guarded):
    with connect(guarded) as sock:
        elapsed = seconds_until_closed(sock)
    assert elapsed is not None and 0.8 < elapsed < 3


def test_a_client_trickling_headers_is_cut_off_while_others_are_served(guarded):
    with connect(guarded) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: sconto\r\n")
        start = time.monotonic()
        answered = requests.get(guarded.base_url + "/healthz", timeout=2)
        assert answered.status_code == 200 and time.monotonic() - start < 1
        elapsed = trickle(slow, b"X-Slow: " + b"a" * 200, interval=0.1)
    assert elapsed is not None and elapsed < 3


def test_a_client_trickling_its_body_is_cut_off(guarded):
    with connect(guarded) as slow:
        slow.sendall(b"POST /v1/sessions HTTP/1.1\r\nHost: sconto\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 400\r\n\r\n")
        elapsed = trickle(slow, b'{"email": "' + b"a" * 380, interval=0.1)
    assert elapsed is not None and elapsed < 3


def test_a_keep_alive_connection_is_closed_after_the_idle_timeout(guarded):
    with connect(guarded) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: sconto\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        elapsed = seconds_until_closed(sock)
    # Idle between requests is 2 s, longer than the 1 s header timeout.
    assert elapsed is not None and 1.5 < elapsed < 4


def test_connections_over_the_cap_are_refused_at_once_and_the_slots_come_back(guarded):
    silent = [connect(guarded) for _ in range(30)]
    try:
        time.sleep(0.2)
        with connect(guarded) as excess:
            start = time.monotonic()
            excess.settimeout(2)
            answer = excess.recv(65536)
            assert answer.startswith(b"HTTP/1.1 503"), answer
            assert b"Retry-After" in answer
            assert time.monotonic() - start < 0.5
        # The silent connections hold their slots for the header timeout at most.
        time.sleep(1.6)
        assert requests.get(guarded.base_url + "/healthz", timeout=2).status_code == 200
    finally:
        for sock in silent:
            sock.close()
