"""`warden token issue`: a token for the subject and roles asked for, valid for --ttl-hours; a
lifetime that is not above zero (a token born expired) is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.cli import main
from warden.platform.auth import secret_for, verify_token


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
