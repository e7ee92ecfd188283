"""`warden token issue`: a token for the subject and roles asked for, valid for --ttl-hours, for
the API or (--audience console) the console; a lifetime that is not above zero (a token born
expired) or over WARDEN_TOKEN_MAX_TTL_S is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.cli import main
from warden.platform.auth import CONSOLE, InvalidToken, secret_for, verify_token


def test_a_token_carries_its_subject_and_roles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WARDEN_AUTH_SECRET", raising=False)
    argv = ["token", "issue", "--subject", "olivia", "--role", "officer", "--ttl-hours", "2"]
    assert main(argv) == 0
    identity = verify_token(secret_for(tmp_path, ""), capsys.readouterr().out.strip())
    assert identity.subject == "olivia" and identity.roles == frozenset({"officer"})


@pytest.mark.parametrize(
    ("ttl", "message"),
    [("0", "'0' is not above zero"), ("-5", "'-5' is not above zero"), ("x", "'x' is not")],
)
def test_a_lifetime_not_above_zero_is_refused(
    ttl: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["token", "issue", "--subject", "a", "--role", "officer", "--ttl-hours", ttl])
    assert stopped.value.code == 2
    assert f"argument --ttl-hours: {message}" in capsys.readouterr().err


def test_a_lifetime_over_the_maximum_is_refused_and_no_token_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_TOKEN_MAX_TTL_S", "7200")
    assert main(["token", "issue", "--subject", "a", "--role", "admin", "--ttl-hours", "3"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error: --ttl-hours 3 is over the 7200 s maximum (WARDEN_TOKEN_MAX_TTL_S)" in err


def test_a_console_token_logs_in_to_the_console_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WARDEN_AUTH_SECRET", raising=False)
    argv = ["token", "issue", "--subject", "olivia", "--role", "officer", "--audience", "console"]
    assert main(argv) == 0
    token = capsys.readouterr().out.strip()
    assert verify_token(secret_for(tmp_path, ""), token, audience=CONSOLE).subject == "olivia"
    with pytest.raises(InvalidToken, match="wrong audience"):
        verify_token(secret_for(tmp_path, ""), token)
