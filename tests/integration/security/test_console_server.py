"""The console behind waitress, over real sockets on 127.0.0.1: many half-open connections
hold no worker thread and are dropped after the request timeout while the console keeps
answering; a login, a page and a logout over HTTP."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from warden.compliance.review.cases import Review
from warden.compliance.storage import schema
from warden.console.app import Console
from warden.console.server import ConsoleServer
from warden.platform.auth import CONSOLE, issue_token
from warden.platform.db import make_engine

SECRET = "console-server-test-secret-of-32-bytes-at-least"
HALF_OPEN = 120  # connections that send half a request and wait
TIMEOUT_S = 2.0


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    engine = make_engine(f"sqlite:///{tmp_path / 'compliance.db'}", schema.metadata)
    server = ConsoleServer(
        Console(Review(engine), SECRET),
        "127.0.0.1",
        0,
        threads=2,
        connection_limit=HALF_OPEN + 20,
        timeout_s=TIMEOUT_S,
    )
    stop = threading.Event()
    thread = threading.Thread(target=server.run, args=(stop,), daemon=True)
    thread.start()
    yield server
    stop.set()
    thread.join(timeout=10)
    engine.dispose()


def get(server: ConsoleServer, path: str, cookie: str = "") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        reply = connection.getresponse()
        return reply.status, reply.read().decode()
    finally:
        connection.close()


def post(server: ConsoleServer, path: str, form: dict[str, str], cookie: str = "") -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("POST", path, body=urlencode(form), headers=headers)
        reply = connection.getresponse()
        reply.read()
        return reply
    finally:
        connection.close()


def test_half_open_connections_are_dropped_after_the_timeout_and_the_console_answers_meanwhile(
    console: ConsoleServer,
) -> None:
    stalled = []
    try:
        for _ in range(HALF_OPEN):
            client = socket.create_connection(("127.0.0.1", console.port), timeout=5)
            client.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            stalled.append(client)
        opened = time.monotonic()
        status, page = get(console, "/login")
        assert status == 200 and 'id="token"' in page
        assert time.monotonic() - opened < TIMEOUT_S  # answered while all of them stall
        deadline = opened + TIMEOUT_S + 8  # the timeout, the cleanup interval, and slack
        for client in stalled:
            client.settimeout(max(0.1, deadline - time.monotonic()))
            assert client.recv(1024) == b""  # the server closed it
        assert time.monotonic() < deadline
    finally:
        for client in stalled:
            client.close()
    assert get(console, "/login")[0] == 200


def test_a_login_a_page_and_a_logout_over_http(console: ConsoleServer) -> None:
    token = issue_token(SECRET, "olivia", ["officer"], audience=CONSOLE)
    reply = post(console, "/login", {"token": token})
    assert reply.status == 303
    cookie = reply.getheader("Set-Cookie").split(";")[0]
    assert "Secure" not in reply.getheader("Set-Cookie")  # plain HTTP on loopback
    status, page = get(console, "/cases", cookie)
    assert status == 200
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    assert post(console, "/logout", {"csrf": csrf}, cookie).status == 303
    status, page = get(console, "/cases", cookie)
    assert status == 401 and "session ended or unknown" in page


def test_a_request_body_over_the_limit_is_refused_before_the_console_reads_it(
    console: ConsoleServer,
) -> None:
    reply = post(console, "/login", {"token": "x" * 300_000})
    assert reply.status == 413
    assert get(console, "/login")[0] == 200
