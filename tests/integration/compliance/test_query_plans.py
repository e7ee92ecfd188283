"""The reads every judging transaction makes are index lookups, not table scans, on a real
SQLite database as a service creates it (no statistics: what a fresh or never-analysed
database plans). A scan here grows with the table: the inbox duplicate check once read the
whole inbox per poll, and the sanction record read every case per batch with a finding.
PostgreSQL plans by its statistics, so its plans are not pinned here."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

from warden.compliance.judging import deadline_rows, deadlines, stored_events
from warden.compliance.storage import decision_store, inbox_store, schema, snooze_store
from warden.platform.db import make_engine

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def plan(db: Path, statement: Any, params: dict[str, Any]) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN lines of `statement` with `params`."""
    sql = statement.params(**params).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    engine = make_engine(f"sqlite:///{db}", schema.metadata)
    try:
        with engine.connect() as conn:
            return [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    finally:
        engine.dispose()


READS = {
    "sanction records": (decision_store._RECORDS, {"employees": ["e-1", "e-2"]}),
    "inbox duplicates": (inbox_store._PROCESSED, {"ids": ["a", "b"]}),
    "stored events window": (
        stored_events._STORED_BETWEEN,
        {"types": ["com.example.ticket.closed"], "start": NOW, "end": NOW},
    ),
    "deadline statuses": (deadline_rows._STATUSES, {"ids": ["d-1", "d-2"]}),
    "stream watermarks": (deadline_rows._WATERMARKS, {"streams": ["t:0", "t:1"]}),
    "earliest pending dues": (deadline_rows._earliest_pending_of(2), {"s0": "t:0", "s1": "t:1"}),
    "snoozes in force": (snooze_store._ENDING_AFTER, {"moment": NOW}),
    "quiet streams with deadlines due": (
        deadlines._QUIET_DUE,
        {"streams": ["t:0", "t:1"], "moment": NOW},
    ),
}


def test_quiet_streams_are_read_through_the_sweep_index(tmp_path: Path) -> None:
    """Checked every few seconds against every pending deadline (a million in the memory
    benchmark): a range of the (stream, status, due) index per stream, not all pending ones."""
    statement, params = READS["quiet streams with deadlines due"]
    lines = plan(tmp_path / "compliance.db", statement, params)
    assert any("USING COVERING INDEX ix_rule_deadlines_sweep" in line for line in lines), lines


@pytest.mark.parametrize("read", sorted(READS))
def test_a_judging_read_scans_no_table(tmp_path: Path, read: str) -> None:
    statement, params = READS[read]
    lines = plan(tmp_path / "compliance.db", statement, params)
    assert lines, "no plan"
    scans = [line for line in lines if line.startswith("SCAN") and line != "SCAN CONSTANT ROW"]
    assert scans == [], lines
    assert any(line.startswith("SEARCH") for line in lines), lines


def test_the_sanction_record_starts_from_the_employees_decisions(tmp_path: Path) -> None:
    statement, params = READS["sanction records"]
    lines = plan(tmp_path / "compliance.db", statement, params)
    assert lines[0].startswith("SEARCH decisions USING INDEX ix_decisions_employee_id"), lines
    assert any(line.startswith("SEARCH cases USING") and "case_id=?" in line for line in lines)
