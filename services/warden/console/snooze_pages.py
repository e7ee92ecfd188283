"""The console's rule snoozes: the snooze form's action on a decided case, the list page and
lifting one (compliance/review/snoozes.py does the checks; the session's subject acts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warden.compliance.domain.snoozes import Scope, Snooze
from warden.compliance.review.masking import mask
from warden.compliance.review.snoozes import Snoozes
from warden.errors import InvalidArgument


@dataclass(frozen=True)
class Shown:
    """A snooze as the page shows it: its state now, a customer's id masked unless revealed."""

    snooze: Snooze
    state: str
    subject: str


def shown(snoozes: list[Snooze], now: Any, reveal: bool) -> list[Shown]:
    return [
        Shown(
            s,
            s.state(now),
            str(mask(s.subject)) if s.scope is Scope.CUSTOMER and not reveal else s.subject,
        )
        for s in snoozes
    ]


def snooze_from_form(snoozes: Snoozes, case_id: str, who: str, form: Any) -> str:
    """The case page's snooze form: rule, days, reason, and a customer id for a customer
    snooze (none: the case's employee). The message shown after it."""
    text = form.get("days", "").strip()
    try:
        days = int(text)
    except ValueError:
        raise InvalidArgument("days", f"{text!r} is not a whole number of days") from None
    customer = form.get("customer_id", "").strip()
    snooze = snoozes.snooze(
        case_id,
        who,
        form.get("rule_id", ""),
        days,
        form.get("reason", ""),
        Scope.CUSTOMER.value if customer else Scope.EMPLOYEE.value,
        customer,
    )
    whom = "this customer" if customer else snooze.subject
    return (
        f"Rule {snooze.rule_id} snoozed for {whom} until {snooze.ends_at:%Y-%m-%d %H:%M} UTC: "
        "its findings are recorded without a case."
    )
