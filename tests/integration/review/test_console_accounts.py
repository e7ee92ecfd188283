"""The console's local accounts and its failed-login rate limit on real databases: Argon2id
hashes, never the password; a wrong password, a disabled account and too many failures each
refused with a precise message and no session opened; `warden users` reading passwords from
stdin, never from its arguments."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from tests.integration.review.test_console_requests import call
from warden import cli
from warden.compliance.review.cases import Review
from warden.compliance.storage import schema
from warden.console.accounts import AccountError, Accounts, LoginRefused
from warden.console.app import COOKIE, Console
from warden.console.sessions import Sessions
from warden.console.throttle import LoginThrottle
from warden.platform.db import make_engine

SECRET = "console-accounts-test-secret-of-32-bytes-at-least"
PASSWORD = "correct horse battery"
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def accounts(engine: Engine) -> Accounts:
    return Accounts(engine, clock=lambda: AT)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def sessions_open(engine: Engine) -> int:
    with engine.connect() as conn:
        count = select(func.count()).select_from(schema.console_sessions)
        return int(conn.execute(count.where(~schema.console_sessions.c.ended)).scalar() or 0)


def failures(engine: Engine) -> int:
    with engine.connect() as conn:
        count = select(func.count()).select_from(schema.console_login_failures)
        return int(conn.execute(count).scalar() or 0)


def log_in(console: Console, username: str, password: str, address: str = "10.0.0.7") -> tuple:
    return call(
        console,
        "POST",
        "/login/password",
        form={"username": username, "password": password},
        remote_addr=address,
    )


# --- the account store ---------------------------------------------------------------------


def test_an_account_keeps_an_argon2id_hash_and_verifies_its_password(
    accounts: Accounts, engine: Engine
) -> None:
    added = accounts.add("Olivia", PASSWORD, ["officer"], employee_id="E-1001")
    assert (added.username, added.employee_id, added.roles) == ("olivia", "e-1001", {"officer"})
    with engine.connect() as conn:
        (row,) = conn.execute(select(schema.console_accounts)).all()
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    assert accounts.verify(" OLIVIA ", PASSWORD).employee_id == "e-1001"
    assert [a.username for a in accounts.list()] == ["olivia"]


@pytest.mark.parametrize(
    ("name", "password", "roles", "message"),
    [
        ("olivia", "short", ["officer"], "the password must have at least 12 characters"),
        ("olivia", PASSWORD, [], "give at least one role"),
        ("olivia", PASSWORD, ["auditor"], "unknown role(s) auditor: choose from officer"),
        ("two words", PASSWORD, ["officer"], "'two words' is not a username"),
        ("", PASSWORD, ["officer"], "'' is not a username"),
    ],
    ids=["short-password", "no-role", "unknown-role", "space-in-name", "empty-name"],
)
def test_a_bad_account_is_refused_with_the_reason_and_nothing_is_stored(
    accounts: Accounts, name: str, password: str, roles: list[str], message: str
) -> None:
    with pytest.raises(AccountError) as refused:
        accounts.add(name, password, roles)
    assert message in str(refused.value)
    assert accounts.list() == []


def test_a_taken_name_is_refused_whatever_its_case(accounts: Accounts) -> None:
    accounts.add("olivia", PASSWORD, ["officer"])
    with pytest.raises(AccountError, match="^an account olivia exists already$"):
        accounts.add("OLIVIA", "another password here", ["admin"])
    assert accounts.verify("olivia", PASSWORD).roles == {"officer"}


def test_a_wrong_password_and_an_unknown_name_get_the_same_refusal(accounts: Accounts) -> None:
    accounts.add("olivia", PASSWORD, ["officer"])
    for name, password in (("olivia", "wrong password!"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(LoginRefused, match="^wrong username or password$"):
            accounts.verify(name, password)


def test_a_changed_password_replaces_the_old_one(accounts: Accounts) -> None:
    accounts.add("olivia", PASSWORD, ["officer"])
    accounts.set_password("olivia", "a brand new passphrase")
    with pytest.raises(LoginRefused, match="wrong username or password"):
        accounts.verify("olivia", PASSWORD)
    assert accounts.verify("olivia", "a brand new passphrase").username == "olivia"
    with pytest.raises(AccountError, match="^no account oscar$"):
        accounts.set_password("oscar", "a brand new passphrase")


def test_a_hash_made_with_weaker_parameters_is_replaced_at_the_next_login(
    engine: Engine,
) -> None:
    weak = Accounts(engine, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    weak.add("olivia", PASSWORD, ["officer"])
    current = Accounts(engine)
    current.verify("olivia", PASSWORD)
    with engine.connect() as conn:
        stored = conn.execute(select(schema.console_accounts.c.password_hash)).scalar_one()
    assert not current.hasher.check_needs_rehash(stored)
    assert current.verify("olivia", PASSWORD).username == "olivia"


def test_a_disabled_account_is_refused_by_name_and_its_sessions_end(
    accounts: Accounts, engine: Engine
) -> None:
    console = Console(Review(engine), SECRET, accounts=accounts)
    accounts.add("olivia", PASSWORD, ["officer"])
    status, _, headers = log_in(console, "olivia", PASSWORD)
    assert status.startswith("303")
    session = headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert call(console, "GET", "/cases", session)[0].startswith("200")

    accounts.set_disabled("olivia", True)

    status, page, _ = call(console, "GET", "/cases", session)
    assert status.startswith("401") and "Session refused: session ended or unknown." in page
    status, page, headers = log_in(console, "olivia", PASSWORD)
    assert status.startswith("401")
    assert (
        "Login refused: account olivia is disabled; an administrator enables it with "
        "`warden users enable olivia`." in page
    )
    assert "Set-Cookie" not in headers and sessions_open(engine) == 0
    with pytest.raises(LoginRefused, match="disabled"):
        accounts.verify("olivia", PASSWORD)
    accounts.set_disabled("olivia", False)
    assert log_in(console, "olivia", PASSWORD)[0].startswith("303")


# --- logging in to the console with a password ---------------------------------------------


def test_a_password_login_opens_a_session_as_the_accounts_employee_with_its_roles(
    accounts: Accounts, engine: Engine
) -> None:
    accounts.add("olivia", PASSWORD, ["officer"], employee_id="E-1001")
    console = Console(Review(engine), SECRET, accounts=accounts, session_ttl_s=3600)
    status, _, headers = log_in(console, "Olivia", PASSWORD)
    assert status.startswith("303") and headers["Location"] == "/cases"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Max-Age=3600" in cookie or "Max-Age=3599" in cookie
    session = cookie.split(";")[0].split("=", 1)[1]
    identity = Sessions(engine).find(session)
    assert (identity.subject, identity.roles) == ("e-1001", {"officer"})
    status, page, _ = call(console, "GET", "/cases", session)
    assert status.startswith("200") and '<span class="who">e-1001</span>' in page
    # Logging out ends this session; the account logs in again.
    call(console, "POST", "/logout", session, {"csrf": console.csrf_for(session)})
    assert call(console, "GET", "/cases", session)[0].startswith("401")
    assert log_in(console, "olivia", PASSWORD)[0].startswith("303")


def test_a_wrong_password_is_refused_and_opens_no_session(
    accounts: Accounts, engine: Engine
) -> None:
    accounts.add("olivia", PASSWORD, ["officer"])
    console = Console(Review(engine), SECRET, accounts=accounts)
    for name in ("olivia", "nobody"):
        status, page, headers = log_in(console, name, "not the password")
        assert status.startswith("401")
        assert "Login refused: wrong username or password." in page
        assert "Set-Cookie" not in headers
    assert sessions_open(engine) == 0
    assert 'id="username"' in page and "not the password" not in page


def test_repeated_failures_lock_the_account_for_the_rest_of_the_window_stating_the_wait(
    accounts: Accounts, engine: Engine
) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, per_account=3, per_address=100, window_s=900, clock=clock)
    accounts.add("olivia", PASSWORD, ["officer"])
    console = Console(Review(engine), SECRET, accounts=accounts, throttle=throttle)
    for attempt in range(3):
        clock.now += 10
        assert "wrong username or password" in log_in(console, "olivia", f"guess {attempt}")[1]
    clock.now += 2  # the first failure was 22 s ago: it leaves the window in 878 s
    status, page, headers = log_in(console, "olivia", PASSWORD)  # even the right password
    assert status.startswith("429")
    assert (
        "Login refused: too many failed logins for account olivia: try again in 14 min 38 s."
        in page
    )
    assert "Set-Cookie" not in headers and sessions_open(engine) == 0
    assert failures(engine) == 6  # the refused attempt is not counted
    # Another account from the same address is not locked.
    accounts.add("oscar", PASSWORD, ["officer"])
    assert log_in(console, "oscar", PASSWORD)[0].startswith("303")
    clock.now += 878
    assert log_in(console, "olivia", PASSWORD)[0].startswith("303")
    # A good password clears the account's failures.
    assert "wrong username" in log_in(console, "olivia", "guess again")[1]
    assert log_in(console, "olivia", PASSWORD)[0].startswith("303")


def test_repeated_failures_from_one_address_lock_that_address_for_every_account(
    accounts: Accounts, engine: Engine
) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, per_account=100, per_address=4, window_s=600, clock=clock)
    accounts.add("olivia", PASSWORD, ["officer"])
    console = Console(Review(engine), SECRET, accounts=accounts, throttle=throttle)
    for name in ("a1", "a2", "a3", "a4"):  # a password sprayed over many names
        log_in(console, name, "Winter2026!", address="203.0.113.9")
    clock.now += 1
    status, page, _ = log_in(console, "olivia", PASSWORD, address="203.0.113.9")
    assert status.startswith("429")
    assert (
        "Login refused: too many failed logins for address 203.0.113.9: try again in 9 min 59 s."
        in page
    )
    assert sessions_open(engine) == 0
    assert log_in(console, "olivia", PASSWORD, address="198.51.100.4")[0].startswith("303")


def test_failures_older_than_the_window_are_deleted_as_new_ones_come(engine: Engine) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, per_account=3, per_address=3, window_s=60, clock=clock)
    throttle.failed("olivia", "10.0.0.1")
    clock.now += 61
    throttle.failed("oscar", "10.0.0.2")
    assert failures(engine) == 2  # olivia's two rows went
    throttle.check("olivia", "10.0.0.1")  # nothing refused


# --- warden users ----------------------------------------------------------------------------


@pytest.fixture
def compliance_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[str]:
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_COMPLIANCE_DB_URL", database_url)
    yield database_url


def users(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["users", *argv])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_warden_users_adds_lists_changes_disables_and_enables_accounts(
    compliance_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ("add", "Olivia", "--role", "officer", "--employee-id", "E-1001", "--password-stdin")
    assert users(monkeypatch, *add, stdin=PASSWORD + "\n") == 0
    assert "account olivia added: employee e-1001, officer" in capsys.readouterr().out
    assert users(monkeypatch, "list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split()[:4] == ["olivia", "e-1001", "officer", "enabled"]
    engine = make_engine(compliance_env)
    try:
        assert Accounts(engine).verify("olivia", PASSWORD).employee_id == "e-1001"
        new = "a new password, typed"
        assert users(monkeypatch, "passwd", "olivia", "--password-stdin", stdin=new + "\n") == 0
        assert Accounts(engine).verify("olivia", new).username == "olivia"
        assert users(monkeypatch, "disable", "olivia") == 0
        assert "account olivia disabled; its sessions ended" in capsys.readouterr().out
        with pytest.raises(LoginRefused, match="disabled"):
            Accounts(engine).verify("olivia", new)
        assert users(monkeypatch, "enable", "OLIVIA") == 0
        assert Accounts(engine).verify("olivia", new).username == "olivia"
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_warden_users_refuses_bad_input_with_the_reason_and_changes_nothing(
    compliance_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ("add", "olivia", "--role", "officer", "--password-stdin")
    assert users(monkeypatch, *add, stdin="short\n") == 2
    assert "error: the password must have at least 12 characters" in capsys.readouterr().err
    # Without --password-stdin and without a terminal there is no one to prompt.
    assert users(monkeypatch, "add", "olivia", "--role", "officer", stdin=PASSWORD) == 2
    assert "no terminal to prompt for the password" in capsys.readouterr().err
    assert users(monkeypatch, "disable", "oscar") == 2
    assert "error: no account oscar" in capsys.readouterr().err
    assert users(monkeypatch, "passwd", "oscar", "--password-stdin", stdin=PASSWORD) == 2
    assert "error: no account oscar" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a password is no argument of any verb
        users(monkeypatch, *add, "--password", PASSWORD)
    assert "unrecognized arguments: --password" in capsys.readouterr().err
    assert users(monkeypatch, "list") == 0
    assert "(no accounts" in capsys.readouterr().out
