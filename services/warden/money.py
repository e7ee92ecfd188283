"""Exact money: integer minor units and an ISO 4217 currency code, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warden.errors import InvalidArgument

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# The largest amount in minor units, either sign (999,999,999,999.99 in a two-decimal
# currency). Far inside int64 (the API, BIGINT), so a discount in basis points, a quantity
# times a price or a month's sum still fits where the databases and the event contract hold it.
MAX_MINOR = 10**14 - 1


def check_bound(amount_minor: int, field: str) -> int:
    """`amount_minor` if within MAX_MINOR either side; InvalidArgument naming `field`."""
    if abs(amount_minor) > MAX_MINOR:
        raise InvalidArgument(field, f"must be at most {MAX_MINOR:,} minor units either side of 0")
    return amount_minor


@dataclass(frozen=True, order=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def of(cls, amount_minor: int, currency: str, field: str) -> Money:
        """Validated money; errors name `field`."""
        if not _CURRENCY.match(currency or ""):
            raise InvalidArgument(f"{field}.currency", f"{currency!r} is not an ISO 4217 code")
        check_bound(int(amount_minor), f"{field}.amount_minor")
        return cls(int(amount_minor), currency)

    @classmethod
    def positive(cls, amount_minor: int, currency: str, field: str) -> Money:
        money = cls.of(amount_minor, currency, field)
        if money.amount_minor <= 0:
            raise InvalidArgument(f"{field}.amount_minor", f"must be positive, got {amount_minor}")
        return money

    def __str__(self) -> str:
        sign = "-" if self.amount_minor < 0 else ""
        units, cents = divmod(abs(self.amount_minor), 100)
        return f"{sign}{units:,}.{cents:02d} {self.currency}"
