"""`warden demo` writes made-up events and records: it refuses, before starting anything or
removing its previous run, a configured Kafka cluster (whose services would judge them) and a
configured database that already holds tables; an empty configured database is accepted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warden.cli import main
from warden.compliance.storage import schema
from warden.config import Settings
from warden.demo import refusals
from warden.platform.db import make_engine, table_names


@pytest.fixture
def previous_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with an earlier demo run's files, which a refused run must keep."""
    for name in list(os.environ):
        if name.startswith("WARDEN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    marker = tmp_path / "demo" / "logs" / "compliance.log"
    marker.parent.mkdir(parents=True)
    marker.write_text("the previous run\n")
    return marker


def test_a_configured_kafka_cluster_is_refused(
    previous_run: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "kafka.example:9092")
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "error: WARDEN_KAFKA_BOOTSTRAP=kafka.example:9092: the demo runs its own" in err
    assert previous_run.read_text() == "the previous run\n"


def test_a_configured_database_with_tables_is_refused_and_left_as_it_was(
    previous_run: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_engine(database_url, schema.metadata).dispose()
    before = table_names(database_url)
    assert "cases" in before
    monkeypatch.setenv("WARDEN_COMPLIANCE_DB_URL", database_url)
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert f"already holds {len(before)} table(s) (" in err
    assert "the demo writes made-up records and needs an empty database" in err
    assert table_names(database_url) == before
    assert previous_run.read_text() == "the previous run\n"


def test_an_unreachable_configured_database_is_named(
    previous_run: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://warden:secret@127.0.0.1:1/nowhere"
    monkeypatch.setenv("WARDEN_SALES_DB_URL", url)
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "database postgresql+psycopg://warden:***@127.0.0.1:1/nowhere not reachable" in err
    assert "secret" not in err


def test_empty_configured_databases_are_accepted(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, compliance_db_url=database_url)
    assert refusals(settings) == []
    assert table_names(database_url) == []  # looking created nothing
