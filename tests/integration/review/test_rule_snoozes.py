"""Rule snoozes on real databases: over the real broker, a rule snoozed for an employee opens
no case for their events in the period, while each finding is recorded with its snooze,
counted and audited; an event after the period (by its time) opens a case again. A customer
snooze covers that customer's events only; lifting ends a snooze; each bad input is refused
with its reason and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, func, select

from tests import builders
from tests.integration.compliance.test_intake_over_kafka import Service, settings_for
from tests.system import eventually
from warden.compliance.domain.cases import Case, Choice, Outcome
from warden.compliance.domain.snoozes import MAX_DAYS, Scope
from warden.compliance.judging.judge import Judge
from warden.compliance.operations.metrics import ComplianceGauges
from warden.compliance.review import audit
from warden.compliance.review.analytics import AnalyticsQueries
from warden.compliance.review.cases import Review
from warden.compliance.review.snoozes import Snoozes
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import audit_store, case_store, schema, shadow_store
from warden.config import Settings
from warden.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from warden.platform.db import make_engine
from warden.platform.topics import SALES_EVENTS

RULE = "price-below-floor"
SNOOZED_AT = datetime(2026, 11, 1, 9, tzinfo=UTC)  # the officers' clock when they snooze


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def price_change(event_id: str, at: datetime, subject: str = "alice") -> Any:
    return builders.price_changed(
        event_id=event_id, at=at, subject=subject, price_change_id=event_id
    )


def cases_of(engine: Engine, rule_id: str) -> list[Case]:
    with engine.connect() as conn:
        ids = conn.execute(
            select(schema.findings.c.case_id).where(
                (schema.findings.c.rule_id == rule_id) & schema.findings.c.case_id.is_not(None)
            )
        ).scalars()
        found = [case_store.get_case(conn, i) for i in ids]
    return sorted((c for c in found if c is not None), key=lambda c: c.occurred_at)


def findings_of(engine: Engine, rule_id: str) -> list[Any]:
    """(event id, case id, snooze id) of each of the rule's findings, oldest first."""
    f = schema.findings
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.c.event_ids, f.c.case_id, f.c.snooze_id)
            .where(f.c.rule_id == rule_id)
            .order_by(f.c.occurred_at)
        ).all()
    return [(r.event_ids, r.case_id, r.snooze_id) for r in rows]


def decided_case(engine: Engine, judge: Judge, event: Any, rule_id: str = RULE) -> Case:
    """The case `event` opens for `rule_id`, confirmed by olivia."""
    opened = judge.handle(event, SALES_EVENTS, 0, 1).cases
    (case,) = [c for c in opened if c.findings[0].rule_id == rule_id]
    Review(engine).decide(case.case_id, "olivia", Choice(Outcome.CONFIRMED, "checked"))
    return case


def rules_judge(engine: Engine) -> Judge:
    return Judge(engine, RuleEngine(load_rules(Settings().rules_dir)))


def test_a_snoozed_rule_opens_no_case_over_the_broker_but_its_findings_are_counted_and_audited(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(broker, database_url, tmp_path, "snooze")
    service = Service(settings)
    engine = make_engine(database_url, schema.metadata)
    producer = KafkaProducer(bootstrap_servers=broker, acks="all")
    try:

        def send(event: Any) -> None:
            producer.send(SALES_EVENTS, key=b"alice", value=event.to_bytes(), partition=0).get(30)

        send(price_change("before", SNOOZED_AT - timedelta(days=2)))
        (first,) = eventually(lambda: cases_of(engine, RULE), 60, "the first case")
        Review(engine).decide(first.case_id, "olivia", Choice(Outcome.CONFIRMED, "checked"))
        snooze = Snoozes(engine, lambda: SNOOZED_AT).snooze(
            first.case_id, "oscar", RULE, 30, "known pricing campaign, approved on paper"
        )
        other_rules = {c.findings[0].rule_id for c in _all_cases(engine)} - {RULE}

        send(price_change("during", SNOOZED_AT + timedelta(days=3)))
        send(price_change("bob-during", SNOOZED_AT + timedelta(days=3), subject="bob"))
        eventually(lambda: len(findings_of(engine, RULE)) == 3, 60, "the snoozed finding")
        send(price_change("after", SNOOZED_AT + timedelta(days=31)))
        eventually(lambda: len(cases_of(engine, RULE)) == 3, 60, "a case after the period")
    finally:
        producer.close(timeout=5)
        service.stop()

    found = {json_ids: (case is not None, s) for json_ids, case, s in findings_of(engine, RULE)}
    assert found == {
        '["before"]': (True, None),
        '["during"]': (False, snooze.snooze_id),  # recorded with its snooze, no case
        '["bob-during"]': (True, None),  # another employee: not snoozed
        '["after"]': (True, None),  # after the period, by the event's time
    }
    assert sorted(c.findings[0].event_ids[0] for c in cases_of(engine, RULE)) == [
        "after",
        "before",
        "bob-during",
    ]
    # The other rules the same events break still open their cases.
    assert other_rules and all(
        any(
            c.findings[0].rule_id == r and c.findings[0].event_ids == ("during",)
            for c in _all_cases(engine)
        )
        for r in other_rules
    )
    (suppressed,) = Snoozes(engine).suppressed(snooze.snooze_id)
    assert suppressed.event_ids == ("during",) and suppressed.employee_id == "alice"
    with engine.connect() as conn:
        counts = shadow_store.finding_counts(conn)
        entries = audit_store.audit_entries(conn)
    version = suppressed.rule_version
    assert counts[(RULE, version, "active")] == 4  # counted as the rule's hits
    weekly = AnalyticsQueries(engine, lambda: SNOOZED_AT + timedelta(days=35)).compute(8)
    assert sum(weekly.findings[RULE]) == 4
    registry = CollectorRegistry()
    registry.register(ComplianceGauges(engine, anchored=False))  # as /metrics reads it
    assert registry.get_sample_value("warden_snoozed_findings", {"rule_id": RULE}) == 1
    assert registry.get_sample_value("warden_snoozes_active") == 0  # its period is over by now
    trail = [e for e in entries if e.case_id == first.case_id]
    assert [e.action for e in trail][-2:] == ["snoozed", "suppressed"]
    assert trail[-1].details["finding_id"] == suppressed.finding_id
    assert trail[-1].details["snooze_id"] == snooze.snooze_id
    assert audit.verify(entries) == (len(entries), None)
    engine.dispose()


def _all_cases(engine: Engine) -> list[Case]:
    with engine.connect() as conn:
        ids = conn.execute(select(schema.cases.c.case_id)).scalars().all()
        return [c for c in (case_store.get_case(conn, i) for i in ids) if c is not None]


def test_a_customer_snooze_covers_that_customers_events_only(engine: Engine) -> None:
    judge = rules_judge(engine)
    start = SNOOZED_AT - timedelta(days=1)
    first = builders.customer_data_read("dave", at=start, event_id="read-1")
    opened = judge.handle(first, "aftersales.events", 0, 1).cases
    assert opened, "the customer data read breaks a rule"
    rule_id = opened[0].findings[0].rule_id
    case = opened[0]
    Review(engine).decide(case.case_id, "olivia", Choice(Outcome.CONFIRMED, "checked"))
    snoozes = Snoozes(engine, lambda: SNOOZED_AT)
    with pytest.raises(InvalidArgument, match="'C-9' is not a customer of case"):
        snoozes.snooze(case.case_id, "oscar", rule_id, 10, "r", scope="customer", customer_id="C-9")
    snooze = snoozes.snooze(
        case.case_id, "oscar", rule_id, 10, "their own consent on file", "customer", "C-2"
    )
    assert (snooze.scope, snooze.subject) == (Scope.CUSTOMER, "C-2")

    during = SNOOZED_AT + timedelta(days=1)
    same = builders.customer_data_read("erin", at=during, event_id="read-2")
    other = builders.customer_data_read("erin", at=during, event_id="read-3", customer_id="C-3")
    assert [
        c for c in judge.handle(same, "aftersales.events", 0, 2).cases if _rule(c) == rule_id
    ] == []
    assert [_rule(c) for c in judge.handle(other, "aftersales.events", 0, 3).cases].count(
        rule_id
    ) == 1
    (suppressed,) = snoozes.suppressed(snooze.snooze_id)
    assert suppressed.employee_id == "erin"  # any employee's event about that customer


def _rule(case: Case) -> str:
    return case.findings[0].rule_id


def test_a_lifted_snooze_covers_no_later_event_and_is_audited(engine: Engine) -> None:
    judge = rules_judge(engine)
    case = decided_case(engine, judge, price_change("e-1", SNOOZED_AT - timedelta(days=1)))
    now = [SNOOZED_AT]
    snoozes = Snoozes(engine, lambda: now[0])
    snooze = snoozes.snooze(case.case_id, "oscar", RULE, 30, "campaign")
    with pytest.raises(PermissionDenied, match="self-review"):
        snoozes.lift(snooze.snooze_id, "Alice", "mine")
    now[0] = SNOOZED_AT + timedelta(days=5)
    lifted = snoozes.lift(snooze.snooze_id, "olivia", "campaign ended early")
    assert lifted.lifted_by == "olivia" and lifted.state(now[0]) == "lifted"
    with pytest.raises(FailedPrecondition, match="already lifted"):
        snoozes.lift(snooze.snooze_id, "olivia")
    with pytest.raises(NotFound):
        snoozes.lift("no-such-snooze", "olivia")

    def opened(event_id: str, at: datetime, offset: int) -> list[str]:
        cases = judge.handle(price_change(event_id, at), SALES_EVENTS, 0, offset).cases
        return [_rule(c) for c in cases if _rule(c) == RULE]

    assert opened("e-2", SNOOZED_AT + timedelta(days=2), 2) == []  # before the lift: covered
    assert opened("e-3", SNOOZED_AT + timedelta(days=6), 3) == [RULE]  # after it: a case
    with engine.connect() as conn:
        trail = audit_store.audit_entries(conn, case.case_id)
    unsnoozed = [e for e in trail if e.action == "unsnoozed"]
    assert [(e.actor, e.details["reason"]) for e in unsnoozed] == [
        ("olivia", "campaign ended early")
    ]


def test_snoozes_are_listed_with_their_state(engine: Engine) -> None:
    judge = rules_judge(engine)
    one = decided_case(engine, judge, price_change("e-1", SNOOZED_AT, subject="alice"))
    two = decided_case(engine, judge, price_change("e-2", SNOOZED_AT, subject="bob"))
    now = [SNOOZED_AT]
    snoozes = Snoozes(engine, lambda: now[0])
    short = snoozes.snooze(one.case_id, "oscar", RULE, 2, "short")
    now[0] += timedelta(hours=1)
    long = snoozes.snooze(two.case_id, "oscar", RULE, MAX_DAYS, "long")
    now[0] = SNOOZED_AT + timedelta(days=3)

    listed = snoozes.listed()
    assert [(s.snooze_id, s.state(now[0])) for s in listed] == [
        (long.snooze_id, "active"),
        (short.snooze_id, "expired"),
    ]
    assert [s.snooze_id for s in snoozes.listed(active_only=True)] == [long.snooze_id]
    assert [s.snooze_id for s in snoozes.listed(subject="alice")] == [short.snooze_id]
    assert snoozes.of_case(two.case_id) == [long]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"days": MAX_DAYS + 1}, InvalidArgument, "a snooze lasts 1 to 180 days, not 181"),
        ({"days": 0}, InvalidArgument, "a snooze lasts 1 to 180 days, not 0"),
        ({"reason": "  "}, InvalidArgument, "reason.*is required"),
        ({"case": "undecided"}, FailedPrecondition, "is open; a rule is snoozed from a decided"),
        ({"rule_id": "gift-above-threshold"}, InvalidArgument, "is not a rule of case"),
        ({"officer": "ALICE "}, PermissionDenied, "self-review: officer 'ALICE ' cannot snooze"),
        ({"scope": "team"}, InvalidArgument, "choose employee or customer"),
        ({"case": "missing"}, NotFound, "case"),
    ],
)
def test_each_bad_snooze_is_refused_with_its_reason_and_changes_nothing(
    engine: Engine, change: dict[str, Any], error: type[Exception], message: str
) -> None:
    judge = rules_judge(engine)
    decided = decided_case(engine, judge, price_change("e-1", SNOOZED_AT))
    undecided = judge.handle(price_change("e-2", SNOOZED_AT), SALES_EVENTS, 0, 2).cases[0]
    case_id = {"undecided": undecided.case_id, "missing": "no-such-case"}.get(
        change.get("case", ""), decided.case_id
    )
    with engine.connect() as conn:
        before = (_count(conn, schema.snoozes), _count(conn, schema.audit_log))
    with pytest.raises(error, match=message):
        Snoozes(engine, lambda: SNOOZED_AT).snooze(
            case_id,
            change.get("officer", "oscar"),
            change.get("rule_id", RULE),
            change.get("days", 30),
            change.get("reason", "campaign"),
            change.get("scope", "employee"),
        )
    with engine.connect() as conn:
        assert (_count(conn, schema.snoozes), _count(conn, schema.audit_log)) == before


def test_a_second_snooze_of_the_same_rule_and_employee_is_refused(engine: Engine) -> None:
    judge = rules_judge(engine)
    case = decided_case(engine, judge, price_change("e-1", SNOOZED_AT))
    snoozes = Snoozes(engine, lambda: SNOOZED_AT)
    first = snoozes.snooze(case.case_id, "oscar", RULE, 30, "campaign")
    with pytest.raises(FailedPrecondition, match=f"already snoozed.*{first.snooze_id}"):
        snoozes.snooze(case.case_id, "olivia", RULE, 10, "again")
    assert [s.snooze_id for s in snoozes.listed()] == [first.snooze_id]


def _count(conn: Any, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
