"""Rule snoozes: from a decided case, an officer suppresses one rule for one employee (or one
customer) for at most 180 days, with a reason. A snoozed rule's findings are still recorded
and counted but open no case. A snooze covers events whose time falls in [starts_at, ends_at),
ends_at being brought forward to the moment it is lifted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from warden.compliance.domain.case_review import TEXT_LIMIT, not_concerned
from warden.compliance.domain.cases import Case, CaseStatus
from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.people import person, same_person

MAX_DAYS = 180


class Scope(StrEnum):
    EMPLOYEE = "employee"
    CUSTOMER = "customer"


def parse_scope(text: str) -> Scope:
    try:
        return Scope(text.strip() or Scope.EMPLOYEE.value)
    except ValueError:
        raise InvalidArgument("scope", "choose employee or customer") from None


@dataclass(frozen=True)
class Snooze:
    snooze_id: str
    rule_id: str
    scope: Scope
    subject: str  # the employee id, or the customer id
    case_id: str  # the decided case it was set from
    employee_id: str  # whom that case is about: never the officer who sets or lifts it
    reason: str
    snoozed_by: str
    starts_at: datetime
    ends_at: datetime
    lifted_at: datetime | None = None
    lifted_by: str = ""
    lift_reason: str = ""

    @property
    def until(self) -> datetime:
        """When it stops covering events: its end, or the moment it was lifted if sooner."""
        return min(self.ends_at, self.lifted_at) if self.lifted_at else self.ends_at

    def state(self, now: datetime) -> str:
        if self.lifted_at is not None and self.lifted_at <= self.ends_at:
            return "lifted"
        return "active" if now < self.ends_at else "expired"

    def covers(self, rule_id: str, employee_id: str, event: dict[str, Any], at: datetime) -> bool:
        """Whether it suppresses `rule_id`'s finding on `event` (employee `employee_id`), at
        the event's time `at`."""
        if rule_id != self.rule_id or not self.starts_at <= at < self.until:
            return False
        if self.scope is Scope.EMPLOYEE:
            return same_person(employee_id, self.subject)
        return customer_of(event) == self.subject


def customer_of(event: dict[str, Any]) -> str:
    """The customer an event is about (data.customer_id), "" when it names none."""
    data = event.get("data")
    value = data.get("customer_id") if isinstance(data, dict) else None
    return str(value).strip() if value not in (None, "") else ""


def new_snooze(
    case: Case,
    officer_id: str,
    rule_id: str,
    scope: Scope,
    customers: frozenset[str],
    customer_id: str,
    days: int,
    reason: str,
    at: datetime,
) -> Snooze:
    """A snooze set from `case` by `officer_id`, or the precise refusal: the case must be
    decided, not about the officer, its findings must name the rule, the period 1 to 180
    days, the reason given; a customer snooze names a customer of the case's events
    (`customers`)."""
    not_concerned(case, officer_id, "snooze a rule from")
    if case.status is not CaseStatus.DECIDED:
        raise FailedPrecondition(
            f"status: case {case.case_id} is {case.status.value}; a rule is snoozed from a "
            "decided case"
        )
    rule_id = rule_id.strip()
    named = sorted({f.rule_id for f in case.findings})
    if not rule_id:
        raise InvalidArgument("rule_id", "is required")
    if rule_id not in named:
        raise InvalidArgument(
            "rule_id",
            f"{rule_id!r} is not a rule of case {case.case_id}'s findings ({', '.join(named)})",
        )
    if not 1 <= days <= MAX_DAYS:
        raise InvalidArgument("days", f"a snooze lasts 1 to {MAX_DAYS} days, not {days}")
    if not reason.strip():
        raise InvalidArgument("reason", "is required: say why the rule is snoozed")
    if len(reason) > TEXT_LIMIT:
        raise InvalidArgument("reason", f"is at most {TEXT_LIMIT} characters, not {len(reason)}")
    if scope is Scope.EMPLOYEE:
        if customer_id.strip():
            raise InvalidArgument("customer_id", "an employee snooze names no customer")
        subject = case.employee_id
    else:
        subject = customer_id.strip()
        if not subject:
            raise InvalidArgument("customer_id", "is required for a customer snooze")
        if subject not in customers:
            raise InvalidArgument(
                "customer_id",
                f"{subject!r} is not a customer of case {case.case_id}'s events",
            )
    return Snooze(
        snooze_id=str(uuid.uuid4()),
        rule_id=rule_id,
        scope=scope,
        subject=subject,
        case_id=case.case_id,
        employee_id=case.employee_id,
        reason=reason.strip(),
        snoozed_by=officer_id,
        starts_at=at,
        ends_at=at + timedelta(days=days),
    )


def lifted(snooze: Snooze, officer_id: str, reason: str, at: datetime) -> Snooze:
    """The snooze lifted now by `officer_id`: not by the employee its case is about, and
    only while it is in force."""
    if same_person(officer_id, snooze.employee_id):
        raise PermissionDenied(
            f"self-review: officer {officer_id!r} cannot lift snooze {snooze.snooze_id} "
            "about themselves"
        )
    state = snooze.state(at)
    if state != "active":
        raise FailedPrecondition(f"snooze {snooze.snooze_id} is already {state}")
    if len(reason) > TEXT_LIMIT:
        raise InvalidArgument("reason", f"is at most {TEXT_LIMIT} characters, not {len(reason)}")
    return replace(snooze, lifted_at=at, lifted_by=person(officer_id), lift_reason=reason.strip())
