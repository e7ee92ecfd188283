"""What the console's templates format: dates, ages, counts, versions, JSON, which review
forms a case offers, and the queue's filter as its query parameters give it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from warden.compliance.domain.cases import Case, CaseStatus
from warden.compliance.domain.findings import CLAUSES, SEVERITIES, refs_text
from warden.compliance.storage.case_store import CaseFilter
from warden.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    WardenError,
)
from warden.people import person, signed_by


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
    """A pending decision may be confirmed or rejected by anyone it does not name (four eyes)."""
    return case.pending is not None and person(who) not in case.pending.people


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
    ("status", "Status", ["", *(s.value for s in CaseStatus)]),
    ("severity", "Severity", ["", *SEVERITIES]),
    ("clause", "Clause", ["", *sorted(CLAUSES)]),
)
# The queue's query parameters that are not a filter: its page.
NOT_A_FILTER = frozenset({"page"})


def queue_filter(query: dict[str, str], now: datetime, hidden_from: str) -> CaseFilter:
    """The cases a queue query selects (the page, the CSV export); InvalidArgument names a
    parameter whose value is none of its choices, or an age that is not whole hours."""
    for name, _, choices in FILTERS_OF_QUEUE:
        value = query.get(name, "")
        if value not in choices:
            allowed = ", ".join(c for c in choices if c)
            raise InvalidArgument(name, f"{value!r} is not one of {allowed}")
    text = query.get("min_age_hours", "").strip()
    if text and not (text.isascii() and text.isdigit()):
        raise InvalidArgument("min_age_hours", f"{text!r} is not a whole number of hours")
    hours = int(text or 0)
    status = query.get("status", "")
    return CaseFilter(
        status=CaseStatus(status) if status else None,
        severity=query.get("severity", ""),
        clause=query.get("clause", ""),
        employee_id=query.get("employee", ""),
        department=query.get("department", ""),
        opened_before=now - timedelta(hours=hours) if hours else None,
        hidden_from=hidden_from,
        inbox=query.get("inbox", "").strip(),
        # An inbox's queue, or "by due" asked: overdue first, then by due date.
        queue_at=now if query.get("inbox", "").strip() or query.get("order") == "due" else None,
    )


# The HTTP status of each refusal a page shows (any other WardenError: 400).
STATUS_OF_ERROR = (
    (InvalidArgument, 400),
    (PermissionDenied, 403),
    (NotFound, 404),
    (FailedPrecondition, 409),
)


def status_of(exc: WardenError) -> int:
    return next((s for kind, s in STATUS_OF_ERROR if isinstance(exc, kind)), 400)
