"""What the console's templates format: dates, ages, counts, versions, JSON, and which
review forms a case offers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from warden.compliance.domain.cases import Case
from warden.compliance.domain.findings import refs_text
from warden.people import same_person, signed_by


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def age(span: timedelta | None) -> str:
    if span is None:
        return "-"
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


def entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def version(number: int | None) -> str:
    return f"v{number}" if number else "-"


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def compact_json(value: Any) -> str:
    return json.dumps(dict(value), sort_keys=True)


def share(value: float | None) -> str:
    """A precision as a percentage with one decimal, or "-" before any label counts."""
    return "-" if value is None else f"{value * 100:.1f} %"


def may_confirm(case: Case, who: str) -> bool:
    """A pending decision may be confirmed or rejected by anyone but its author (four eyes)."""
    p = case.pending
    return p is not None and not (
        same_person(p.officer_id, who) or same_person(p.on_behalf_of, who)
    )


FILTERS = {
    "when": when,
    "age": age,
    "entries": entries,
    "version": version,
    "pretty_json": pretty_json,
    "compact_json": compact_json,
    "share": share,
    "refs": refs_text,
    "signed_by": signed_by,
}

# The queue's drop-down filters: (query parameter, label, choices; "" is any).
FILTERS_OF_QUEUE = (
    ("status", "Status", ["", "open", "in_review", "decided", "appealed"]),
    ("severity", "Severity", ["", "minor", "major", "critical"]),
    ("clause", "Clause", ["", "4.1.1", "4.1.2", "4.2.1", "4.2.2"]),
)
