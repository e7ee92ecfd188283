"""Event time, not wall-clock time: a recorded month replayed through two fresh engines gives
exactly the same findings, explanations and proposals, from every clause of 4.1 and 4.2."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.month import FILE
from warden.compliance.judging.judge import Judge
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.cloudevents import parse


def replay(engine: Engine, clock_at: datetime) -> list[tuple[object, ...]]:
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.clock = lambda: clock_at  # the wall clock must not matter
    for offset, line in enumerate(FILE.read_bytes().splitlines()):
        judge.handle(parse(line), "recorded", 0, offset)
    with engine.connect() as conn:
        rows = conn.execute(
            select(schema.findings, schema.cases.c.sanction_kind, schema.cases.c.proposal_reasoning)
            .join(schema.cases, schema.cases.c.case_id == schema.findings.c.case_id)
            .order_by(schema.findings.c.finding_id)
        ).all()
    return [tuple(r) for r in rows]


def test_a_recorded_month_replayed_twice_gives_identical_findings(fresh_db: FreshDb) -> None:
    first = replay(fresh_db(), datetime(2026, 12, 1, tzinfo=UTC))
    second = replay(fresh_db(), datetime(2031, 6, 15, tzinfo=UTC))
    assert first == second
    by_rule = Counter(row[2] for row in first)
    assert {row[4] for row in first} == {"4.1.1", "4.1.2", "4.2.1", "4.2.2"}
    assert by_rule["first-response-late"] > 0 and by_rule["resolution-late"] > 0
    assert by_rule["contract-after-gift"] > 0 and by_rule["customer-expenses-over-window"] > 0
    assert len(by_rule) >= 12
