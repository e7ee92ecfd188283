"""The console's rule snoozes: the snooze form's action on a decided case, the list page and
lifting one (compliance/review/snoozes.py does the checks; the session's subject acts)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import g, request
from werkzeug.wrappers import Response

from warden.compliance.domain.snoozes import Scope, Snooze
from warden.compliance.review.masking import mask
from warden.compliance.review.snoozes import Snoozes
from warden.console.login_pages import redirect
from warden.console.views import status_of
from warden.errors import InvalidArgument, WardenError
from warden.platform.auth import ADMIN

if TYPE_CHECKING:
    from warden.console.app import Console

log = logging.getLogger(__name__)


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


def snoozes_page(console: Console, error: str = "", status: int = 200) -> Response:
    active_only = bool(request.args.get("active"))
    found = console.snoozes.listed(active_only=active_only)
    reveal = ADMIN in g.identity.roles
    return console.page(
        "snoozes.html",
        status,
        title="Rule snoozes",
        snoozes=shown(found, console.review.clock(), reveal),
        active_only=active_only,
        message=request.args.get("msg", ""),
        error=error,
    )


def lift_snooze(console: Console, snooze_id: str) -> Response:
    try:
        lifted = console.snoozes.lift(snooze_id, g.who, request.form.get("reason", ""))
    except WardenError as exc:
        log.info("console: %s lifting snooze %s refused: %s", g.who, snooze_id, exc)
        status = status_of(exc)
        return snoozes_page(console, error=str(exc), status=status)
    return redirect(f"/snoozes?msg={quote(f'Snooze of rule {lifted.rule_id} lifted.')}")
