"""A snooze's period in event time: from the moment it was set (included) to its end or the
moment it was lifted (excluded); an employee snooze matches the employee as a person, a
customer snooze the event's customer, whoever the employee."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from warden.compliance.domain.snoozes import Scope, Snooze, customer_of

SET = datetime(2026, 11, 1, 9, tzinfo=UTC)
SNOOZE = Snooze(
    snooze_id="s-1",
    rule_id="price-below-floor",
    scope=Scope.EMPLOYEE,
    subject="alice",
    case_id="c-1",
    employee_id="alice",
    reason="campaign",
    snoozed_by="oscar",
    starts_at=SET,
    ends_at=SET + timedelta(days=30),
)
EVENT = {"data": {"customer_id": "C-2"}}


@pytest.mark.parametrize(
    ("at", "covered"),
    [
        (SET - timedelta(seconds=1), False),  # before it was set
        (SET, True),
        (SET + timedelta(days=30) - timedelta(microseconds=1), True),
        (SET + timedelta(days=30), False),  # its end is excluded
    ],
)
def test_the_period_is_in_event_time_from_its_start_to_its_end(at: datetime, covered: bool) -> None:
    assert SNOOZE.covers("price-below-floor", "alice", EVENT, at) is covered


def test_an_employee_snooze_covers_that_person_and_that_rule_only() -> None:
    assert SNOOZE.covers("price-below-floor", " Alice ", EVENT, SET)
    assert not SNOOZE.covers("price-below-floor", "bob", EVENT, SET)
    assert not SNOOZE.covers("discount-beyond-authority", "alice", EVENT, SET)


def test_a_lifted_snooze_ends_when_lifted() -> None:
    lifted = replace(SNOOZE, lifted_at=SET + timedelta(days=2), lifted_by="olivia")
    assert lifted.until == SET + timedelta(days=2)
    assert lifted.covers("price-below-floor", "alice", EVENT, SET + timedelta(days=1))
    assert not lifted.covers("price-below-floor", "alice", EVENT, SET + timedelta(days=3))
    assert lifted.state(SET + timedelta(days=1)) == "lifted"
    assert SNOOZE.state(SET) == "active" and SNOOZE.state(SET + timedelta(days=31)) == "expired"


def test_a_customer_snooze_covers_that_customers_events_whoever_the_employee() -> None:
    customer = replace(SNOOZE, scope=Scope.CUSTOMER, subject="C-2")
    assert customer.covers("price-below-floor", "erin", EVENT, SET)
    assert not customer.covers("price-below-floor", "alice", {"data": {"customer_id": "C-3"}}, SET)
    assert not customer.covers("price-below-floor", "alice", {"data": {}}, SET)
    assert customer_of({"data": {"customer_id": 7}}) == "7" and customer_of({}) == ""
