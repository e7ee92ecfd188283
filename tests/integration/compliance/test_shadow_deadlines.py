"""A shadow version of a deadline rule is judged on its own due times, on both databases.

The resolution rule of rules/ (version 1, due at the ticket's `resolution_due`, two days here)
is active; version 2 runs in shadow. When version 2 declares another deadline (resolved within
12 hours of classification), its deadlines are tracked apart: its findings follow its due
times, never version 1's, and version 1 opens cases on its own only. When version 2 declares
the same deadline, both share one deadline per ticket."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.test_deadlines import T0, chased, classified, resolved
from warden.compliance.judging import state, stored_events
from warden.compliance.judging.judge import Judge
from warden.compliance.rules import catalogue
from warden.compliance.rules.rule_files import RuleFile
from warden.compliance.storage import case_store, schema, shadow_store

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
RESOLUTION = (Path(__file__).parents[3] / "rules" / "4.2.2" / "resolution-late.yaml").read_text()
V1_DUE = "  due_field: data.resolution_due\n"


def resolution_rule(version: int, deadline: str = V1_DUE, title: str = "") -> RuleFile:
    """The resolution rule of rules/ as `version`, with another deadline line or title, and
    only its first example (the others pin version 1's due time)."""
    text = re.sub(r"(?m)^version: \d+$", f"version: {version}", RESOLUTION, count=1)
    text = text.replace(V1_DUE, deadline)
    if title:
        text = text.replace("title: Ticket not resolved", f"title: {title}")
    text = text[: text.index("  - name: resolved a day early is fine")]
    assert f"version: {version}\n" in text and deadline in text
    return RuleFile(f"resolution-v{version}.yaml", text)


def judged(engine: Engine, shadow: RuleFile) -> Judge:
    """A catalogued judge with version 1 active and `shadow` (version 2) in shadow, after
    three tickets classified at T0 (a 2-day resolution commitment): T-1 resolved after 20
    hours, T-2 after 6, T-3 never; and a later event three days on."""
    with engine.begin() as conn:
        catalogue.publish(conn, [resolution_rule(1)], "ops", AT)
        catalogue.publish(conn, [shadow], "ops", AT)
        catalogue.activate(conn, "resolution-late", 1, "ops", AT)
        catalogue.activate(conn, "resolution-late", 2, "ops", AT, shadow=True)
    judge = Judge.from_catalogue(engine, Path("/nonexistent"))
    stream = [
        *(classified(t, T0) for t in ("T-1", "T-2", "T-3")),
        resolved("T-2", T0 + timedelta(hours=6)),
        resolved("T-1", T0 + timedelta(hours=20)),
        chased("T-3", T0 + timedelta(days=3), 1),
    ]
    for offset, event in enumerate(stream):
        judge.handle(event, "aftersales.events", 0, offset)
    return judge


def _started_by(event_ids: tuple[str, ...]) -> str:
    """The classification a missed-deadline finding rests on (its evidence)."""
    (started,) = [e for e in event_ids if e.endswith("-ticket.classified")]
    return started


def findings_of(engine: Engine) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(version, starting event) of the cases' findings and of the shadow findings."""
    with engine.connect() as conn:
        cases = [
            (f.rule_version, _started_by(f.event_ids))
            for case in case_store.list_cases(conn, case_store.CaseFilter(), limit=100, offset=0)
            for f in case.findings
        ]
        shadowed = [
            (f.rule_version, _started_by(f.event_ids))
            for f in shadow_store.list_shadow_findings(conn)
        ]
    return sorted(cases), sorted(shadowed)


def deadline_rows(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(state.deadlines.c.kind, state.deadlines.c.key, state.deadlines.c.status)
        ).all()
    return sorted((r.kind, r.key, r.status) for r in rows)


def test_a_shadow_version_with_another_deadline_is_judged_on_its_own_due_times(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judged(engine, resolution_rule(2, "  due_after_hours: 12\n"))

    cases, shadowed = findings_of(engine)
    # Version 1 (due in two days): only T-3, never resolved, opens a case.
    assert cases == [(1, "T-3-ticket.classified")]
    # Version 2 (due in 12 hours): T-1 (resolved after 20 hours) and T-3, once each, and
    # nothing from version 1's deadlines; T-2 (6 hours) met both.
    assert shadowed == [(2, "T-1-ticket.classified"), (2, "T-3-ticket.classified")]
    assert deadline_rows(engine) == [
        ("resolution", "T-1", "met"),
        ("resolution", "T-2", "met"),
        ("resolution", "T-3", "missed"),
        ("resolution~shadow", "T-1", "missed"),
        ("resolution~shadow", "T-2", "met"),
        ("resolution~shadow", "T-3", "missed"),
    ]
    with engine.connect() as conn:
        missed = [
            (e["data"]["deadline"], e["data"]["track"], e["data"]["ticket_id"])
            for e in stored_events.stored_between(
                conn,
                ("warden.compliance.deadline.missed",),
                T0,
                T0 + timedelta(days=4),
            )
        ]
    assert sorted(missed) == [
        ("resolution", "main", "T-3"),
        ("resolution", "shadow", "T-1"),
        ("resolution", "shadow", "T-3"),
    ]


def test_once_promoted_the_version_judges_the_deadlines_it_tracked_in_shadow_no_more(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = judged(engine, resolution_rule(2, "  due_after_hours: 12\n"))
    with engine.begin() as conn:
        catalogue.activate(conn, "resolution-late", 2, "ops", AT)
    # A ticket classified after the promotion is tracked by version 2's deadline, now the
    # main one, and opens a case once; the shadow track is not started any more.
    later = T0 + timedelta(days=5)
    for offset, event in enumerate(
        (classified("T-4", later), chased("T-4", later + timedelta(hours=13), 2)), start=10
    ):
        judge.handle(event, "aftersales.events", 0, offset)
    cases, _ = findings_of(engine)
    assert cases == [(1, "T-3-ticket.classified"), (2, "T-4-ticket.classified")]
    assert ("resolution~shadow", "T-4", "pending") not in deadline_rows(engine)


@pytest.mark.parametrize("title", ["Ticket left unresolved past its commitment"])
def test_a_shadow_version_with_the_same_deadline_shares_the_active_versions(
    fresh_db: FreshDb, title: str
) -> None:
    engine = fresh_db()
    judged(engine, resolution_rule(2, title=title))

    cases, shadowed = findings_of(engine)
    assert cases == [(1, "T-3-ticket.classified")]
    assert shadowed == [(2, "T-3-ticket.classified")]
    assert [kind for kind, _, _ in deadline_rows(engine)] == ["resolution"] * 3
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.cases)).scalar_one() == 1
