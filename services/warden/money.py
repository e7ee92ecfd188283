"""Exact money: integer minor units and an ISO 4217 currency code, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warden.errors import InvalidArgument

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# The largest amount in minor units: a 64-bit integer, as the API (int64) and the databases
# (BIGINT) hold it.
MAX_MINOR = 2**63 - 1


@dataclass(frozen=True, order=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def of(cls, amount_minor: int, currency: str, field: str) -> Money:
        """Validated money; errors name `field`."""
        if not _CURRENCY.match(currency or ""):
            raise InvalidArgument(f"{field}.currency", f"{currency!r} is not an ISO 4217 code")
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
