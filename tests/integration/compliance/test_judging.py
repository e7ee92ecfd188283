"""Judging on a real database: one case per finding, never twice for a redelivery; proposals
follow the sanction ladder over the employee's confirmed record; a bad rule file leaves the
previous rules judging; an event lacking a needed field gives no finding and a warning."""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from warden.compliance.domain.case_review import claim, decide
from warden.compliance.domain.cases import Case, Choice, Outcome
from warden.compliance.judging.judge import Judge
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import audit_store, case_store, decision_store
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent

RULES = Settings().rules_dir
NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


def price_change(
    event_id: str, new_price: int, at: datetime = NOV, **changes: object
) -> CloudEvent:
    return builders.price_changed(
        source="/warden/sales",
        event_id=event_id,
        at=at,
        price_change_id=event_id,
        new_price_minor=new_price,
        discount_bp=(100_000 - new_price) // 10,
        **changes,
    )


def catalogue_judge(engine: Engine) -> Judge:
    return Judge.from_directory(engine, RULES)


def confirm(engine: Engine, case: Case, at: datetime) -> None:
    """An officer confirms the case, as the review use case does."""
    claimed = claim(case, "olivia", at)
    decided, decision = decide(claimed, "olivia", Choice(Outcome.CONFIRMED, "confirmed"), at)
    assert decision is not None
    with engine.begin() as conn:
        case_store.save_case(conn, decided)
        decision_store.add_decision(conn, decision)


def test_one_event_breaking_two_rules_opens_two_cases_and_a_redelivery_none(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = catalogue_judge(engine)
    judged = judge.handle(price_change("ev-1", 70_000), "sales.events", 0, 1)
    assert sorted(c.findings[0].rule_id for c in judged.cases) == [
        "discount-beyond-authority",
        "price-below-floor",
    ]
    again = judge.handle(price_change("ev-1", 70_000), "sales.events", 0, 1)
    assert again.duplicate and again.cases == ()
    with engine.connect() as conn:
        assert case_store.count_findings(conn) == 2
        stored = case_store.get_case(conn, judged.cases[0].case_id)
    assert stored is not None and stored.findings[0].event_ids == ("ev-1",)


def test_a_repeat_offender_gets_the_next_rung_of_the_ladder(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    judge = Judge(
        engine, RuleEngine(r for r in load_rules(RULES) if r.rule_id == "price-below-floor")
    )
    (first,) = judge.handle(price_change("ev-1", 70_000), "sales.events", 0, 1).cases
    assert str(first.proposed) == "fine of 500.00 EUR"
    confirm(engine, first, NOV + timedelta(days=1))

    (second,) = judge.handle(
        price_change("ev-2", 72_000, NOV + timedelta(days=20)), "sales.events", 0, 2
    ).cases
    assert str(second.proposed) == "suspension of 5 day(s)"
    assert second.proposal_reasoning == (
        "2nd violation (1 confirmed violation(s) in the 365 days before); "
        "major -> suspension of 5 day(s) (major rung 2 of 2)"
    )
    with engine.connect() as conn:
        stored = case_store.get_case(conn, second.case_id)
    assert stored is not None and stored.proposal_reasoning == second.proposal_reasoning


def test_one_batch_reads_every_employees_record_at_once_and_right(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    judge = Judge(
        engine, RuleEngine(r for r in load_rules(RULES) if r.rule_id == "price-below-floor")
    )
    (first,) = judge.handle(price_change("ev-1", 70_000), "sales.events", 0, 1).cases
    confirm(engine, first, NOV + timedelta(days=1))

    later = NOV + timedelta(days=20)
    bob = price_change("ev-3", 72_000, later, changed_by="bob")
    bob = CloudEvent(bob.type, bob.source, "bob", bob.data, id=bob.id, time=bob.time)
    results = judge.handle_batch(
        [
            (price_change("ev-2", 72_000, later), "sales.events", 0, 2),
            (bob, "sales.events", 1, 1),
        ]
    )
    proposals = [str(case.proposed) for r in results for case in r.cases]
    assert proposals == ["suspension of 5 day(s)", "fine of 500.00 EUR"]  # alice 2nd, bob 1st
    with engine.connect() as conn:
        records = decision_store.records_of(conn, ["alice", "bob", "nobody"])
        assert records == {
            employee: decision_store.confirmed_violations(conn, employee)
            for employee in ("alice", "bob", "nobody")
        }
    assert [d.case_id for d in records["alice"]] == [first.case_id]
    assert records["bob"] == [] and records["nobody"] == []


def test_a_critical_finding_is_stored_with_dismissal_review_and_legal_referral(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = catalogue_judge(engine)
    export = builders.customer_data_read(
        "erin",
        source="/warden/aftersales",
        event_id="ev-export",
        at=NOV,
        access_id="D-1",
        customer_id="*",
        action="export",
        fields=["name", "phone"],
        recipient="usb",
        # With a purpose: only its volume is a finding (without one, it is a second).
        purpose="customer survey mailing",
        customer_count=900,
    )
    (case,) = judge.handle(export, "aftersales.events", 0, 1).cases
    with engine.connect() as conn:
        stored = case_store.get_case(conn, case.case_id)
        assert stored is not None
    assert stored is not None
    assert (stored.severity, str(stored.proposed)) == ("critical", "suspension of 10 day(s)")
    assert stored.dismissal_review and stored.legal_referral
    assert "dismissal review (4.3.2) and legal referral (4.3.2)" in stored.proposal_reasoning
    assert "900 customer(s) > limit 50 customer(s)" in stored.findings[0].explanation


def test_a_bulk_export_without_a_purpose_is_flagged_for_its_volume_and_for_its_purpose(
    fresh_db: FreshDb,
) -> None:
    judge = catalogue_judge(fresh_db())
    export = builders.customer_data_read(
        "erin",
        source="/warden/aftersales",
        event_id="ev-export-2",
        at=NOV,
        access_id="D-2",
        customer_id="*",
        action="export",
        fields=["phone"],
        recipient="usb",
        purpose=" ",
        customer_count=900,
    )
    judged = judge.handle(export, "aftersales.events", 0, 1)
    assert sorted(f.rule_id for c in judged.cases for f in c.findings) == [
        "bulk-customer-data-access",
        "customer-data-exported-without-purpose",
    ]


def test_an_event_missing_a_needed_field_gives_no_finding_and_a_warning(
    fresh_db: FreshDb, caplog: pytest.LogCaptureFixture
) -> None:
    judge = catalogue_judge(fresh_db())
    event = price_change("ev-9", 70_000)
    del event.data["floor_price_minor"]
    with caplog.at_level(logging.WARNING):
        judged = judge.handle(event, "sales.events", 0, 1)
    assert [c.findings[0].rule_id for c in judged.cases] == ["discount-beyond-authority"]
    assert judge.rules.missing_field_warnings == 1
    assert "event ev-9 lacks data.floor_price_minor needed by rule price-below-floor@v1" in (
        caplog.text
    )


def test_a_bad_rule_file_is_refused_and_the_previous_rules_keep_judging(
    fresh_db: FreshDb, tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    judge = catalogue_judge(fresh_db())
    before = len(judge.rules.rules)
    broken = rules / "4.1.2" / "price-below-floor.yaml"
    broken.write_text(broken.read_text().replace('clause: "4.1.2"\n', "claus: 4.1.2\n"))
    with pytest.raises(RuleBookInvalid) as refused:
        judge.reload(rules)
    (error,) = refused.value.errors
    assert error.path == str(broken) and error.line == 4
    assert error.reason == "unknown field 'claus' in the rule"
    assert len(judge.rules.rules) == before
    judged = judge.handle(price_change("ev-1", 70_000), "sales.events", 0, 1)
    assert "price-below-floor" in {c.findings[0].rule_id for c in judged.cases}

    broken.unlink()
    assert judge.reload(rules) == before - 1
    judged = judge.handle(price_change("ev-2", 70_000), "sales.events", 0, 2)
    assert [c.findings[0].rule_id for c in judged.cases] == ["discount-beyond-authority"]


def test_a_case_is_opened_at_processing_time_about_a_violation_at_its_event_time(
    fresh_db: FreshDb,
) -> None:
    """A replayed month's violation opens its case now: the audit chain's times go forward and
    the case is not "unclaimed, overdue" the moment it appears; when it happened is kept."""
    engine = fresh_db()
    judge = catalogue_judge(engine)
    month_ago = datetime.now(UTC) - timedelta(days=30)
    before = datetime.now(UTC)
    judged = judge.handle(price_change("late-1", 70_000, at=month_ago), "sales.events", 0, 0)
    case = judged.cases[0]
    after = datetime.now(UTC)

    assert before <= case.opened_at <= after
    assert case.occurred_at == month_ago
    assert case.unclaimed_for(after) <= after - before
    with engine.connect() as conn:
        stored = case_store.get_case(conn, case.case_id)
        assert stored is not None
        (created,) = [
            e for e in audit_store.audit_entries(conn, case.case_id) if e.action == "created"
        ]
    assert (stored.opened_at, stored.occurred_at) == (case.opened_at, month_ago)
    assert created.at == case.opened_at
