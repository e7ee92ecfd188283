"""Reporting periods: a month ("2026-11"), a quarter ("2026-Q4") or a year ("2026")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from warden.errors import InvalidArgument

FIRST_YEAR, LAST_YEAR = 2000, 2100
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A calendar period in UTC: months first_month..last_month of `year`."""

    kind: str  # month | quarter | year
    label: str
    year: int
    first_month: int
    last_month: int

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.first_month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive end)."""
        if self.last_month == 12:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, self.last_month + 1, 1, tzinfo=UTC)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def contains_day(self, day: date) -> bool:
        return self.year == day.year and self.first_month <= day.month <= self.last_month


def check_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidArgument(field, f"{year} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def parse_period(text: str, field: str = "period") -> Period:
    """Read "YYYY-MM", "YYYY-Qn" or "YYYY"; InvalidArgument naming `field` otherwise."""
    text = (text or "").strip()
    if m := _MONTH.match(text):
        year, month = check_year(int(m[1]), field), int(m[2])
        if not 1 <= month <= 12:
            raise InvalidArgument(field, f"{text!r}: month {month} does not exist")
        return Period("month", text, year, month, month)
    if m := _QUARTER.match(text):
        year, quarter = check_year(int(m[1]), field), int(m[2])
        if not 1 <= quarter <= 4:
            raise InvalidArgument(field, f"{text!r}: quarter {quarter} does not exist")
        return Period("quarter", text, year, quarter * 3 - 2, quarter * 3)
    if m := _YEAR.match(text):
        year = check_year(int(m[1]), field)
        return Period("year", text, year, 1, 12)
    raise InvalidArgument(field, f"{text!r} is not a period (YYYY-MM, YYYY-Qn or YYYY)")


def share_of_year(amount_minor: int, period: Period) -> int:
    """The period's share of a yearly amount, months weighted equally, exact in minor units:
    month m gets floor(a*m/12) - floor(a*(m-1)/12), so the twelve months add up to `a`."""
    return amount_minor * period.last_month // 12 - amount_minor * (period.first_month - 1) // 12


def parse_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidArgument(field, f"{text!r} is not a date YYYY-MM-DD") from None
