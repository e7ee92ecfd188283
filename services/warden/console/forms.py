"""The case page's decision form read into the domain's terms: outcome and sanction, each a
precise InvalidArgument when the form is wrong."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from warden.compliance.domain.cases import Outcome
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.errors import InvalidArgument


def outcome_of(text: str) -> Outcome:
    try:
        return Outcome(text)
    except ValueError:
        raise InvalidArgument("outcome", "choose confirm, amend or dismiss") from None


def sanction_of(form: Any) -> Sanction:
    try:
        kind = SanctionKind(form.get("kind", ""))
    except ValueError:
        raise InvalidArgument("sanction.kind", "choose a sanction") from None
    amount_minor, currency, days = 0, "", 0
    if kind is SanctionKind.FINE:
        try:
            amount = Decimal(form.get("amount", "").replace(",", "").strip() or "x")
            if amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            raise InvalidArgument(
                "sanction.fine.amount_minor", "give an amount like 250.00"
            ) from None
        amount_minor, currency = int(amount * 100), form.get("currency", "").strip().upper()
    if kind is SanctionKind.SUSPENSION:
        try:
            days = int(form.get("days", "").strip())
        except ValueError:
            raise InvalidArgument("sanction.days", "give a whole number of days") from None
    return Sanction(kind, amount_minor, currency, days)
