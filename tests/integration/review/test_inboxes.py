"""Inboxes on real databases (SQLite and PostgreSQL), without Kafka: due dates by SLA, routing
by clause family and department, overdue cases first, auto-assignment to the least-loaded
officer within the limit, cases waiting visibly when every officer is at it, and next case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from warden.compliance.domain.cases import CaseStatus, Choice, Outcome
from warden.compliance.domain.inboxes import parse_inboxes
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.cases import Review
from warden.compliance.review.inboxes import Inboxes
from warden.compliance.storage import audit_store, schema
from warden.compliance.storage.case_store import CaseFilter
from warden.errors import InvalidArgument, NotFound, PermissionDenied
from warden.platform.db import make_engine

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FINE = Sanction(SanctionKind.FINE, 50_000, "EUR")
CONFIG = {
    "inboxes": [
        {"name": "stores", "sla_hours": 24, "departments": ["stores"], "officers": ["sam"]},
        {
            "name": "sales",
            "sla_hours": 72,
            "clauses": ["4.1"],
            "officers": ["olga", "oscar"],
            "limit": 2,
        },
        {"name": "after-sales", "sla_hours": 48, "clauses": ["4.2"]},
        {"name": "general", "sla_hours": 120},
    ]
}


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url, schema.metadata)
    yield made
    made.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def review(engine: Engine, clock: Clock) -> Review:
    return Review(engine, clock=clock)


@pytest.fixture
def inboxes(engine: Engine, clock: Clock) -> Inboxes:
    made = Inboxes(engine, clock)
    made.configure(parse_inboxes(CONFIG))
    return made


def raise_one(review: Review, employee: str, clause: str = "4.1.1", by: str = "") -> str:
    """A case raised by hand (by a reporter of its own: the case id derives from reporter and
    time)."""
    case = review.raise_case(
        by or f"reporter-{employee}",
        employee,
        clause,
        "major",
        "reported",
        FINE,
        "seen in the shop",
    )
    return case.case_id


def test_each_case_is_due_its_inbox_sla_after_it_opened(
    review: Review, inboxes: Inboxes, clock: Clock
) -> None:
    review.set_department("dora", "stores", "admin")
    sales = raise_one(review, "alice", "4.1.2")
    clock.now += timedelta(hours=1)
    after_sales = raise_one(review, "bob", "4.2.2")
    in_stores = raise_one(review, "dora", "4.2.1")  # the department inbox comes first

    placed = {c: review.get_case(c) for c in (sales, after_sales, in_stores)}
    assert {c: (p.inbox, p.due_at) for c, p in placed.items()} == {
        sales: ("sales", START + timedelta(hours=72)),
        after_sales: ("after-sales", START + timedelta(hours=1 + 48)),
        in_stores: ("stores", START + timedelta(hours=1 + 24)),
    }


def test_overdue_cases_come_first_then_by_due_date(
    review: Review, inboxes: Inboxes, clock: Clock
) -> None:
    slow = raise_one(review, "alice", "4.1.1")  # sales: due in 72 h
    decided = raise_one(review, "carl", "4.2.1")  # after-sales: due in 48 h, decided below
    review.decide(decided, "dave", Choice(Outcome.DISMISSED, "no violation"))
    clock.now += timedelta(hours=30)
    quick = raise_one(review, "bob", "4.2.1")  # after-sales: due at 78 h, later than slow
    clock.now = START + timedelta(hours=73)  # slow is past due; decided would be, but is done

    page, _ = review.list_cases(CaseFilter(queue_at=clock.now))
    assert [c.case_id for c in page] == [slow, decided, quick]
    overdue = [c.case_id for c in page if c.due_at and c.due_at < clock.now]
    assert overdue == [slow, decided]  # the decided one is not overdue: it sorts by due date
    (state,) = [s for s in inboxes.states() if s.inbox.name == "sales"]
    assert state.overdue == 1
    placed = inboxes.placements(page)
    assert [placed[c.case_id].past_due for c in page] == [True, False, False]


def test_a_new_case_goes_to_the_least_loaded_officer_of_its_inbox(
    review: Review, inboxes: Inboxes, engine: Engine
) -> None:
    first = review.get_case(raise_one(review, "alice"))
    second = review.get_case(raise_one(review, "bob"))
    third = review.get_case(raise_one(review, "carl"))

    assert [(c.status, c.assignee) for c in (first, second, third)] == [
        (CaseStatus.IN_REVIEW, "olga"),
        (CaseStatus.IN_REVIEW, "oscar"),
        (CaseStatus.IN_REVIEW, "olga"),
    ]
    with engine.connect() as conn:
        trail = audit_store.audit_entries(conn, first.case_id)
    assert [(e.action, e.details) for e in trail] == [
        ("created", trail[0].details),
        ("assigned", {"officer": "olga", "inbox": "sales"}),
    ]
    (state,) = [s for s in inboxes.states() if s.inbox.name == "sales"]
    assert state.loads == {"olga": 2, "oscar": 1}


def test_an_officer_is_never_assigned_a_case_about_themselves(
    review: Review, inboxes: Inboxes
) -> None:
    about_olga = review.get_case(raise_one(review, "olga"))
    by_oscar = review.get_case(raise_one(review, "bob", by="oscar"))
    assert (about_olga.assignee, by_oscar.assignee) == ("oscar", "olga")


def test_at_the_limit_a_new_case_waits_unassigned_and_says_why(
    review: Review, inboxes: Inboxes
) -> None:
    for employee in ("a1", "a2", "a3", "a4"):  # two each: olga and oscar reach the limit
        raise_one(review, employee)
    waiting = review.get_case(raise_one(review, "a5"))

    assert (waiting.status, waiting.assignee) == (CaseStatus.OPEN, "")
    reason = inboxes.placements([waiting])[waiting.case_id].waiting
    assert reason == "waiting: every officer of inbox sales is at the limit of 2 open case(s)"
    (state,) = [s for s in inboxes.states() if s.inbox.name == "sales"]
    assert (state.waiting, state.in_review, state.loads) == (1, 4, {"olga": 2, "oscar": 2})
    # An inbox without officers: every case waits, and says so.
    general = review.get_case(raise_one(review, "b1", "4.2.1"))
    assert inboxes.placements([general])[general.case_id].waiting == (
        "waiting: inbox after-sales has no officers; take it with next case"
    )


def test_a_waiting_case_goes_to_the_officer_a_decision_frees_but_never_about_themselves(
    review: Review, inboxes: Inboxes, clock: Clock, engine: Engine
) -> None:
    held = [review.get_case(raise_one(review, e)) for e in ("a1", "a2", "a3", "a4")]
    clock.now += timedelta(minutes=1)
    waiting = raise_one(review, "a5")
    clock.now += timedelta(minutes=1)
    about_oscar = raise_one(review, "oscar")  # due later; oscar may never take it
    of_olga = next(c for c in held if c.assignee == "olga")
    of_oscar = next(c for c in held if c.assignee == "oscar")

    review.decide(of_olga.case_id, "olga", Choice(Outcome.DISMISSED, "no violation"))
    taken = review.get_case(waiting)
    assert (taken.status, taken.assignee) == (CaseStatus.IN_REVIEW, "olga")
    with engine.connect() as conn:
        trail = audit_store.audit_entries(conn, waiting)
    assert (trail[-1].actor, trail[-1].action, trail[-1].details) == (
        "warden-engine",
        "assigned",
        {"officer": "olga", "inbox": "sales"},
    )
    # Oscar's decision frees his place, but the one case waiting is about him: it waits on.
    review.decide(of_oscar.case_id, "oscar", Choice(Outcome.DISMISSED, "no violation"))
    still = review.get_case(about_oscar)
    assert (still.status, still.assignee) == (CaseStatus.OPEN, "")
    (state,) = [s for s in inboxes.states() if s.inbox.name == "sales"]
    assert (state.waiting, state.loads) == (1, {"olga": 2, "oscar": 1})


def test_next_case_claims_the_earliest_due_case_the_officer_may_review(
    review: Review, inboxes: Inboxes, clock: Clock, engine: Engine
) -> None:
    older = raise_one(review, "bob", "4.2.1")
    clock.now += timedelta(minutes=5)
    about_olga = raise_one(review, "olga", "4.2.2")
    clock.now += timedelta(minutes=5)
    newer = raise_one(review, "carl", "4.2.2")

    assert inboxes.next_case("after-sales", "Olga").case_id == older  # type: ignore[union-attr]
    taken = inboxes.next_case("after-sales", "olga")
    assert taken is not None and taken.case_id == newer  # never the case about herself
    assert (taken.status, taken.assignee) == (CaseStatus.IN_REVIEW, "olga")
    assert inboxes.next_case("after-sales", "olga") is None
    assert review.get_case(about_olga).status is CaseStatus.OPEN
    with engine.connect() as conn:
        (entry,) = [e for e in audit_store.audit_entries(conn, newer) if e.action == "claimed"]
    assert (entry.actor, entry.details) == ("olga", {"inbox": "after-sales", "via": "next case"})


def test_next_case_refuses_an_unknown_inbox_and_an_officer_not_of_it(
    review: Review, inboxes: Inboxes
) -> None:
    for employee in ("a1", "a2", "a3", "a4", "a5"):
        raise_one(review, employee)
    with pytest.raises(NotFound):
        inboxes.next_case("nowhere", "olga")
    with pytest.raises(InvalidArgument, match="inbox"):
        inboxes.next_case(" ", "olga")
    with pytest.raises(PermissionDenied, match="not an officer of inbox sales"):
        inboxes.next_case("sales", "mallory")
    (state,) = [s for s in inboxes.states() if s.inbox.name == "sales"]
    assert state.waiting == 1  # nothing was claimed
    assert inboxes.next_case("sales", "olga") is not None  # over the limit when she asks


def test_default_inboxes_place_cases_by_clause_family_without_officers(
    engine: Engine, review: Review, clock: Clock
) -> None:
    case = review.get_case(raise_one(review, "alice", "4.2.1"))
    assert (case.inbox, case.due_at, case.assignee) == (
        "after-sales",
        START + timedelta(days=2),
        "",
    )
    assert [i.name for i in Inboxes(engine, clock).configured()] == [
        "sales",
        "after-sales",
        "general",
    ]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, "at least one inbox"),
        ({"inboxes": [{"name": "x", "sla_hours": 0}]}, "sla_hours: 0 is not a positive"),
        ({"inboxes": [{"name": "Bad Name", "sla_hours": 1}]}, "is not a name"),
        ({"inboxes": [{"name": "x", "sla_hours": 1, "clauses": ["9.9"]}]}, "no clause family"),
        ({"inboxes": [{"name": "x", "sla_hours": 1, "limit": 0}]}, "limit: 0"),
        ({"inboxes": [{"name": "x", "sla_hours": 1, "officer": []}]}, "unknown field"),
        ({"inboxes": [{"name": "x", "sla_hours": 1, "clauses": ["4.1"]}]}, "must take every"),
        (
            {"inboxes": [{"name": "x", "sla_hours": 1}, {"name": "x", "sla_hours": 2}]},
            "names two inboxes",
        ),
    ],
)
def test_a_wrong_inboxes_file_is_refused_naming_the_field(doc: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_inboxes(doc, "inboxes.json")
