"""Console sessions live in the compliance database: logging out on one replica ends the
session on every replica; a malformed, unknown, ended or expired session cookie and a bad
login token get 401 with the reason, never a 500 or a traceback; the cookie is Secure when
the console is served over TLS or off loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.review.test_console_requests import call as request
from warden.compliance.review.cases import Review
from warden.compliance.storage import schema
from warden.console.app import COOKIE, Console
from warden.console.sessions import Sessions
from warden.console.wiring import is_loopback
from warden.platform.auth import CONSOLE, InvalidToken, issue_token
from warden.platform.db import make_engine

SECRET = "console-session-test-secret-32-bytes-or-more"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def log_in(
    console: Console, subject: str = "olivia", scheme: str = "http", token: str = ""
) -> tuple[str, str]:
    """(session id, the Set-Cookie header) of a login as an officer (with `token`, or a new one)."""
    token = token or issue_token(SECRET, subject, ["officer"], audience=CONSOLE)
    status, _, headers = request(console, "POST", "/login", form={"token": token}, scheme=scheme)
    assert status.startswith("303"), status
    cookie = headers["Set-Cookie"]
    return cookie.split(";")[0].split("=", 1)[1], cookie


def test_logging_out_ends_the_session_on_every_replica(engine: Engine) -> None:
    first, second = Console(Review(engine), SECRET), Console(Review(engine), SECRET)
    session, _ = log_in(first)
    assert request(second, "GET", "/cases", session)[0].startswith("200")
    form = {"csrf": first.csrf_for(session)}
    status, _, headers = request(first, "POST", "/logout", session, form)
    assert status.startswith("303") and headers["Location"] == "/login"
    assert "Max-Age=0" in headers["Set-Cookie"]
    for replica in (first, second):
        status, page, headers = request(replica, "GET", "/cases", session)
        assert status.startswith("401")
        assert "Session refused: session ended or unknown." in page
        assert "Max-Age=0" in headers["Set-Cookie"]


def test_logging_out_ends_every_session_of_the_token_and_the_token_cannot_log_in_again(
    engine: Engine,
) -> None:
    console = Console(Review(engine), SECRET)
    token = issue_token(SECRET, "olivia", ["officer"], audience=CONSOLE)
    laptop, _ = log_in(console, token=token)
    phone, _ = log_in(console, token=token)
    other, _ = log_in(console, "oscar")  # another token: not ended
    request(console, "POST", "/logout", laptop, {"csrf": console.csrf_for(laptop)})
    assert request(console, "GET", "/cases", phone)[0].startswith("401")
    assert request(console, "GET", "/cases", other)[0].startswith("200")
    status, page, headers = request(console, "POST", "/login", form={"token": token})
    assert status.startswith("401") and "Login refused: this token was logged out" in page
    assert "Set-Cookie" not in headers


def test_the_database_keeps_only_hashes_of_the_session_id_and_the_token(engine: Engine) -> None:
    token = issue_token(SECRET, "olivia", ["officer"], audience=CONSOLE)
    session, _ = log_in(Console(Review(engine), SECRET), token=token)
    with engine.connect() as conn:
        (row,) = conn.execute(select(schema.console_sessions)).all()
    assert row.subject == "olivia" and row.roles == "officer" and not row.ended
    assert len(row.id_hash) == len(row.token_hash) == 64
    assert session not in row.id_hash and token not in row.token_hash


def test_an_expired_session_is_refused(engine: Engine) -> None:
    console = Console(Review(engine), SECRET)
    session, _ = log_in(console)
    sessions = Sessions(engine)
    expires = sessions.find(session).expires_at
    with pytest.raises(InvalidToken, match="^session expired$"):
        sessions.find(session, now=expires)


@pytest.mark.parametrize(
    ("cookie", "reason"),
    [
        ("é" * 43, "malformed session cookie"),
        ("truncated-id", "malformed session cookie"),
        ("a.b.c", "malformed session cookie"),
        ("A" * 43, "session ended or unknown"),
    ],
    ids=["non-ascii", "truncated", "a-token-not-a-session", "unknown"],
)
def test_a_bad_session_cookie_gets_401_with_the_reason(
    engine: Engine, cookie: str, reason: str
) -> None:
    console = Console(Review(engine), SECRET)
    for method in ("GET", "POST"):
        status, page, headers = request(
            console, method, "/cases", cookie.encode().decode("latin-1")
        )
        assert status.startswith("401"), (method, status)
        assert f"Session refused: {reason}." in page
        assert "Traceback" not in page and "Internal error" not in page
        assert headers["Set-Cookie"].startswith(f"{COOKIE}=; ")


def test_a_non_ascii_csrf_token_is_refused_with_403_not_a_crash(engine: Engine) -> None:
    console = Console(Review(engine), SECRET)
    session, _ = log_in(console)
    status, page, _ = request(console, "POST", "/logout", session, {"csrf": "é" * 64})
    assert status.startswith("403") and "Form expired." in page
    assert request(console, "GET", "/cases", session)[0].startswith("200")  # still logged in


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda: issue_token(SECRET, "o", ["officer"], audience=CONSOLE)[:-1] + "é", "malformed"),
        (lambda: issue_token(SECRET, "o", ["officer"], audience=CONSOLE)[:-6], "bad signature"),
        (lambda: issue_token("x" * 40, "o", ["officer"], audience=CONSOLE), "bad signature"),
        (
            lambda: issue_token(SECRET, "o", ["officer"], ttl_s=-1, audience=CONSOLE),
            "token expired",
        ),
        (
            lambda: issue_token(SECRET, "o", ["admin"], ttl_s=31 * 365 * 86400, audience=CONSOLE),
            "lifetime 977616000 s exceeds the 43200 s maximum",
        ),
        (lambda: issue_token(SECRET, "o", ["officer"]), "wrong audience: &#39;warden-api"),
    ],
    ids=["non-ascii", "truncated", "wrong-signature", "expired", "over-long", "api-audience"],
)
def test_a_bad_login_token_gets_401_with_the_reason_and_opens_no_session(
    engine: Engine, token: Any, reason: str
) -> None:
    console = Console(Review(engine), SECRET)
    status, page, headers = request(console, "POST", "/login", form={"token": token()})
    assert status.startswith("401") and f"Login refused: {reason}" in page
    assert "Set-Cookie" not in headers and "Traceback" not in page
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.console_sessions)).scalar() == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cookie_is_secure_over_https_or_when_configured_and_not_on_plain_loopback(
    engine: Engine,
) -> None:
    plain = Console(Review(engine), SECRET)
    assert "Secure" not in log_in(plain)[1]
    assert log_in(plain, scheme="https")[1].endswith("; Secure")
    assert log_in(Console(Review(engine), SECRET, secure_cookie=True))[1].endswith("; Secure")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True)]
    + [("0.0.0.0", False), ("10.1.2.3", False), ("console.example.org", False)],
)
def test_a_console_off_loopback_sets_secure_cookies(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
