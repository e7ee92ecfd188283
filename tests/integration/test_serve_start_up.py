"""`warden serve` that cannot reach its database at start-up says which one, without its
password or a traceback, and exits 1 (an orchestrator restarts it); so does a compliance
service whose rules directory is missing or holds an invalid file, naming file, line and
reason; without bootstrap servers it says how to name them, and exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.cli import main


@pytest.mark.parametrize("service", ["sales", "aftersales", "compliance"])
def test_an_unreachable_database_is_named_at_start_up(
    service: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv(
        f"WARDEN_{service.upper()}_DB_URL", "postgresql+psycopg://warden:secret@127.0.0.1:1/w"
    )
    assert main(["serve", service]) == 1
    err = capsys.readouterr().err
    assert (
        f"error: the {service} database postgresql+psycopg://warden:***@127.0.0.1:1/w "
        "is not reachable: connection failed" in err
    )
    assert "secret" not in err and "Traceback" not in err


def test_serving_without_bootstrap_servers_says_how_to_name_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WARDEN_KAFKA_BOOTSTRAP", raising=False)
    assert main(["serve", "sales"]) == 2
    assert "error: WARDEN_KAFKA_BOOTSTRAP is not set" in capsys.readouterr().err


def test_a_missing_rules_directory_or_an_invalid_rule_file_stops_the_compliance_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_RULES_DIR", str(tmp_path / "mistyped"))
    assert main(["serve", "compliance"]) == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'mistyped'}: rules directory: no such directory" in err
    assert "the service does not start" in err and "Traceback" not in err
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("id: x\n")
    monkeypatch.setenv("WARDEN_RULES_DIR", str(rules))
    assert main(["serve", "compliance"]) == 1
    err = capsys.readouterr().err
    assert f"error: {rules / 'x.yaml'}:1: missing required field 'version' in the rule" in err
    assert not (tmp_path / "compliance.db").exists()  # refused before the database was made
