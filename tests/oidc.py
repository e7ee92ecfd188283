"""A real OpenID Connect provider for the login tests: the `oidc-provider-mock` package's
server, run as its own process on a free port of 127.0.0.1, with predefined users and their
claims; and the two steps a browser takes at it, for tests that drive the flow over HTTP."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "warden-console"
CLIENT_SECRET = "warden-console-test-client-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def oidc_provider(*users: dict[str, Any]) -> Iterator[str]:
    """The issuer URL of a provider process serving `users` (each a dict of claims with
    "sub"), until the block ends. The provider requires a nonce in every authorization."""
    port = _free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--require-nonce", "true"]
    for user in users:
        command.append(f"--user-claims={json.dumps(user)}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(issuer, process)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(issuer: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"the OIDC provider exited with {process.returncode}: {err}")
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the OIDC provider at {issuer} did not answer within 30 s")


def authorize(authorize_url: str, sub: str) -> str:
    """Submit the provider's authorization form for `sub` as a browser would; the URL it
    redirects back to (the console's callback with a code and the state)."""
    parts = urlsplit(authorize_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(
            "POST",
            f"{parts.path}?{parts.query}",
            body=urlencode({"sub": sub}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        reply = connection.getresponse()
        reply.read()
    finally:
        connection.close()
    assert reply.status in (302, 303), reply.status
    return str(reply.getheader("Location"))


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str) -> str:
    """`url` with some of its query parameters replaced."""
    parts = urlsplit(url)
    query = {**query_of(url), **changes}
    return parts._replace(query=urlencode(query)).geturl()
