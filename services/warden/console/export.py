"""The queue as CSV: one row per case with stable columns (RFC 4180, UTF-8), each cell safe
to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from warden.compliance.domain.cases import Case, Decision

COLUMNS = (
    "case_id",
    "status",
    "employee_id",
    "clause",
    "severity",
    "title",
    "proposed_sanction",
    "opened_at",
    "occurred_at",
    "assignee",
    "inbox",
    "due_at",
    "overdue",
    "decision_outcome",
    "decision_sanction",
    "decided_by",
    "decided_at",
    "rules",
    "explanation",
)
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): such a
# cell gets a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def row_of(case: Case, decision: Decision | None, overdue: bool) -> dict[str, str]:
    """A case as a CSV row; `decision` is its standing decision (None while undecided)."""
    sanction = decision.sanction if decision else None
    row = {
        "case_id": case.case_id,
        "status": case.status.value,
        "employee_id": case.employee_id,
        "clause": case.clause,
        "severity": case.severity,
        "title": case.title,
        "proposed_sanction": str(case.proposed),
        "opened_at": _when(case.opened_at),
        "occurred_at": _when(case.occurred_at),
        "assignee": case.assignee,
        "inbox": case.inbox,
        "due_at": _when(case.due_at),
        "overdue": "yes" if overdue else "no",
        "decision_outcome": decision.outcome.value if decision else "",
        "decision_sanction": str(sanction) if sanction else "",
        "decided_by": " ".join(decision.decided_by) if decision else "",
        "decided_at": _when(decision.decided_at if decision else None),
        "rules": " ".join(sorted({f"{f.rule_id} v{f.rule_version}" for f in case.findings})),
        "explanation": "; ".join(r for f in case.findings for r in f.reasons),
    }
    return {name: safe_cell(value) for name, value in row.items()}


def csv_chunks(batches: Iterable[list[dict[str, str]]]) -> Iterator[bytes]:
    """The header with the first batch, then each further batch of rows, as UTF-8 CSV with
    CRLF line ends (RFC 4180). `batches` yields at least one list, empty when nothing matches."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for rows in batches:
        writer.writerows(rows)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
