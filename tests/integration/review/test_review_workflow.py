"""The review use cases on real databases (SQLite and PostgreSQL), without Kafka: claim,
comment, decide, four eyes, appeal, the employee's record, the audit chain and the HR outbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from warden.cli import main as warden
from warden.compliance.domain.cases import CaseStatus, Choice, Outcome, open_case
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.cases import Review
from warden.compliance.storage import case_store, schema
from warden.compliance.storage.case_store import CaseFilter
from warden.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from warden.platform.db import make_engine

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FINE = Sanction(SanctionKind.FINE, 50_000, "EUR")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def review(engine: Engine, clock: Clock) -> Review:
    return Review(engine, clock=clock, unclaimed_after=timedelta(hours=24))


def seed(
    engine: Engine,
    employee: str = "alice",
    n: int = 1,
    sanction: Sanction = FINE,
    severity: str = "major",
    at: datetime = START,
) -> str:
    finding = Finding(
        finding_id=f"f-{employee}-{n}-{severity}",
        rule_id="price-below-floor",
        rule_version=1,
        clause="4.1.2",
        severity=severity,
        title="price below floor without approval",
        employee_id=employee,
        event_ids=(),
        reasons=("new price 700.00 EUR < policy floor 850.00 EUR",),
        occurred_at=at,
    )
    case = open_case(finding, sanction, opened_at=at)
    with engine.begin() as conn:
        case_store.add_case(conn, case)
    return case.case_id


def counts(engine: Engine) -> tuple[int, int, int]:
    """(audit entries, decisions, outbox rows)."""
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (schema.audit_log, schema.decisions, schema.outbox.table)
        )


def hr_events(engine: Engine) -> list[dict]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        rows = conn.execute(select(schema.outbox.table.c.payload).order_by("seq")).all()
    return [json.loads(r.payload) for r in rows]


def test_claim_comment_confirm_is_audited_and_queued_once_for_hr(
    engine: Engine, review: Review
) -> None:
    case_id = seed(engine)
    review.claim(case_id, "olivia")
    review.comment(case_id, "olivia", "Checked the price list.")
    case, decision = review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED, "confirmed"))
    assert decision is not None and case.status is CaseStatus.DECIDED
    actions = [e.action for e in review.audit_trail(case_id)]
    assert actions == ["created", "claimed", "commented", "decided"]
    (event,) = hr_events(engine)
    assert event["id"] == decision.decision_id and event["data"]["replaces"] is None
    assert event["data"]["sanction"]["amount_minor"] == 50_000
    assert review.get_case(case_id).comments[0].text == "Checked the price list."
    assert review.verify_audit() == (4, None)


@pytest.mark.parametrize(
    ("officer", "choice", "error", "names"),
    [
        ("alice", Choice(Outcome.CONFIRMED), PermissionDenied, "self-review"),
        (
            "olivia",
            Choice(Outcome.AMENDED, "", Sanction(SanctionKind.WARNING)),
            InvalidArgument,
            "reason",
        ),
        (
            "olivia",
            Choice(Outcome.AMENDED, "lower", Sanction(SanctionKind.FINE, -5_000, "EUR")),
            InvalidArgument,
            "sanction.fine.amount_minor",
        ),
    ],
)
def test_a_refused_decision_changes_nothing_and_publishes_nothing(
    engine: Engine,
    review: Review,
    officer: str,
    choice: Choice,
    error: type[Exception],
    names: str,
) -> None:
    case_id = seed(engine)
    before = counts(engine)
    with pytest.raises(error) as refused:
        review.decide(case_id, officer, choice)
    assert names in str(refused.value)
    assert counts(engine) == before
    assert review.get_case(case_id).status is CaseStatus.OPEN


def test_deciding_twice_or_an_unknown_case_is_refused_without_change(
    engine: Engine, review: Review
) -> None:
    case_id = seed(engine)
    review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED))
    before = counts(engine)
    with pytest.raises(FailedPrecondition, match="already decided"):
        review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED))
    with pytest.raises(NotFound, match="no-such-case"):
        review.decide("no-such-case", "olivia", Choice(Outcome.CONFIRMED))
    assert counts(engine) == before


def test_a_suspension_reaches_hr_only_after_a_second_officer_confirms(
    engine: Engine, review: Review
) -> None:
    case_id = seed(engine)
    suspension = Sanction(SanctionKind.SUSPENSION, days=3)
    case, decision = review.decide(
        case_id, "olivia", Choice(Outcome.AMENDED, "third offence this year", suspension)
    )
    assert decision is None and case.pending is not None
    assert hr_events(engine) == []
    with pytest.raises(PermissionDenied, match="four eyes"):
        review.confirm(case_id, "olivia")
    final = review.confirm(case_id, "oscar")
    assert final.decided_by == ("olivia", "oscar")
    (event,) = hr_events(engine)
    assert event["data"]["decided_by"] == ["olivia", "oscar"]
    assert event["data"]["sanction"] == {
        "kind": "suspension",
        "amount_minor": None,
        "currency": None,
        "days": 3,
    }
    assert [e.action for e in review.audit_trail(case_id)][-3:] == [
        "claimed",
        "proposed",
        "amended",
    ]


def test_a_case_raised_by_an_officer_cannot_be_reviewed_by_them(
    engine: Engine, review: Review
) -> None:
    case = review.raise_case(
        "olivia", "bob", "4.2.1", "critical", "customer list sent out", FINE, "Bob emailed it"
    )
    with pytest.raises(PermissionDenied, match="raised"):
        review.claim(case.case_id, "olivia")
    assert review.claim(case.case_id, "oscar").assignee == "oscar"


def test_an_appeal_dismissal_replaces_the_sanction_for_hr_and_clears_the_record(
    engine: Engine, review: Review, clock: Clock
) -> None:
    case_id = seed(engine)
    _, first = review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED, "ok"))
    assert first is not None and [d.decision_id for d in review.record("alice")] == [
        first.decision_id
    ]
    clock.now += timedelta(days=3)
    review.appeal(case_id, "hr-desk", "the director approved it by phone")
    with pytest.raises(PermissionDenied, match="appeal"):
        review.claim(case_id, "olivia")
    _, second = review.decide(case_id, "oscar", Choice(Outcome.DISMISSED, "approval shown"))
    assert second is not None and second.replaces == first.decision_id
    events = hr_events(engine)
    assert [e["id"] for e in events] == [first.decision_id, second.decision_id]
    assert events[1]["data"]["outcome"] == "dismissed"
    assert events[1]["data"]["replaces"] == first.decision_id
    assert review.record("alice") == []
    assert "appealed" in [e.action for e in review.audit_trail(case_id)]


def test_an_appeal_amendment_stands_on_the_record_in_place_of_the_first(
    engine: Engine, review: Review
) -> None:
    case_id = seed(engine)
    review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED))
    review.appeal(case_id, "hr-desk", "too harsh")
    warning = Sanction(SanctionKind.WARNING)
    _, second = review.decide(case_id, "oscar", Choice(Outcome.AMENDED, "first offence", warning))
    (standing,) = review.record("alice")
    assert standing.decision_id == second.decision_id and standing.sanction == warning  # type: ignore[union-attr]


def test_the_queue_filters_by_department_severity_and_age_and_flags_unclaimed_cases(
    engine: Engine, review: Review, clock: Clock
) -> None:
    old = seed(engine, "alice", at=START - timedelta(hours=30))
    seed(engine, "bob", severity="minor")
    review.set_department("alice", "north", "admin")
    review.set_department("bob", "south", "admin")
    north, _ = review.list_cases(CaseFilter(department="north"))
    assert [c.case_id for c in north] == [old]
    minor, _ = review.list_cases(CaseFilter(severity="minor"))
    assert [c.employee_id for c in minor] == ["bob"]
    aged, _ = review.list_cases(CaseFilter(opened_before=clock.now - timedelta(hours=24)))
    assert [c.case_id for c in aged] == [old]
    assert review.is_overdue(review.get_case(old))
    assert not review.is_overdue(review.claim(old, "olivia"))
    page, token = review.list_cases(CaseFilter(), page_size=1)
    rest, end = review.list_cases(CaseFilter(), page_size=1, page_token=token)
    assert len(page) == len(rest) == 1 and page[0].case_id != rest[0].case_id and end == ""
    overview = review.overview()
    assert overview.total == 2 and overview.oldest_age == timedelta(hours=30)


def test_an_edited_audit_entry_is_named_by_the_verifier(
    engine: Engine, review: Review, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = seed(engine)
    review.claim(case_id, "olivia")
    review.comment(case_id, "olivia", "looks right")
    review.decide(case_id, "olivia", Choice(Outcome.CONFIRMED))
    assert warden(["audit", "verify", "--db-url", database_url]) == 0
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET details = :d WHERE seq = 3"), {"d": '{"text": "edited"}'}
        )
    checked, broken = review.verify_audit()
    assert broken is not None and broken.seq == 3 and checked == 3
    assert warden(["audit", "verify", "--db-url", database_url]) == 1
    assert "audit entry 3: content does not match its hash" in capsys.readouterr().err


def test_two_officers_claiming_one_case_at_once_leaves_exactly_one_assignee(
    engine: Engine, review: Review
) -> None:
    case_id = seed(engine)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(officer: str) -> None:
        start.wait()
        try:
            review.claim(case_id, officer)
            outcomes[officer] = "won"
        except FailedPrecondition as refused:
            outcomes[officer] = str(refused)

    threads = [threading.Thread(target=claim, args=(o,)) for o in ("olivia", "oscar")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [o for o, result in outcomes.items() if result == "won"]
    assert len(outcomes) == 2 and len(winners) == 1, outcomes
    assert review.get_case(case_id).assignee == winners[0]
    assert [e.action for e in review.audit_trail(case_id)] == ["created", "claimed"]
    assert review.verify_audit()[1] is None
