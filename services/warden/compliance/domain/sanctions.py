"""Sanctions of policy 4.3: warning, fine, suspension, dismissal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SanctionKind(StrEnum):
    WARNING = "warning"
    FINE = "fine"
    SUSPENSION = "suspension"
    DISMISSAL = "dismissal"


@dataclass(frozen=True)
class Sanction:
    kind: SanctionKind
    amount_minor: int = 0
    currency: str = ""
    days: int = 0

    def __str__(self) -> str:
        if self.kind is SanctionKind.FINE:
            units, cents = divmod(self.amount_minor, 100)
            return f"fine of {units:,}.{cents:02d} {self.currency}"
        if self.kind is SanctionKind.SUSPENSION:
            return f"suspension of {self.days} day(s)"
        return str(self.kind.value)
