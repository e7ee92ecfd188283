"""Inboxes: the queues cases wait in, by clause family or department, each with its SLA (the
time an officer has to decide a case), its officers and how many open cases each may hold."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from warden.compliance.domain import case_review
from warden.compliance.domain.cases import Case, CaseStatus
from warden.compliance.domain.findings import CLAUSES
from warden.errors import FailedPrecondition, PermissionDenied

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Inbox:
    name: str
    title: str
    sla: timedelta
    # A case lands in the first inbox that takes its clause family (a prefix: "4.1" takes
    # 4.1.1 and 4.1.2) or its employee's department; one with neither takes every case.
    clauses: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    # The officers a new case is assigned to (the least loaded first); none: cases wait for
    # an officer to take them with "next case".
    officers: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT  # open cases in review per officer before assignment skips them

    def takes(self, clause: str, department: str) -> bool:
        if not self.clauses and not self.departments:
            return True
        in_family = any(clause == c or clause.startswith(c + ".") for c in self.clauses)
        return in_family or (bool(department) and department in self.departments)

    @property
    def sla_hours(self) -> float:
        return self.sla.total_seconds() / 3600


# As shipped: one inbox per clause family of the policy, and one for any other case.
DEFAULT_INBOXES = (
    Inbox("sales", "Sales (4.1)", timedelta(days=3), clauses=("4.1",)),
    Inbox("after-sales", "After-sales (4.2)", timedelta(days=2), clauses=("4.2",)),
    Inbox("general", "Every other case", timedelta(days=5)),
)


def route(inboxes: tuple[Inbox, ...], clause: str, department: str) -> Inbox:
    """The first inbox that takes a case of `clause` about an employee of `department`."""
    for inbox in inboxes:
        if inbox.takes(clause, department):
            return inbox
    raise AssertionError("inboxes end with one that takes every case (parse_inboxes checks)")


def due(inbox: Inbox, opened_at: datetime) -> datetime:
    return opened_at + inbox.sla


def is_past_due(case: Case, now: datetime) -> bool:
    """Not decided and its due date has passed."""
    return case.status is not CaseStatus.DECIDED and case.due_at is not None and now > case.due_at


def may_take(case: Case, officer: str) -> bool:
    """Whether `officer` may claim the case: the claim's own rules (not about themselves, not
    raised by them, not their decision under appeal, open to claim)."""
    try:
        case_review.claim(case, officer, case.opened_at)
    except (PermissionDenied, FailedPrecondition):
        return False
    return True


def pick_officer(inbox: Inbox, case: Case, load: Mapping[str, int]) -> str | None:
    """The least-loaded officer of the inbox below its limit who may take the case (ties by
    name); None when there is none."""
    free = [o for o in inbox.officers if load.get(o, 0) < inbox.limit and may_take(case, o)]
    return min(free, key=lambda o: (load.get(o, 0), o)) if free else None


def waiting_reason(inbox: Inbox | None, case: Case, load: Mapping[str, int]) -> str:
    """Why an open, unassigned case waits ("" for any other case), as officers see it."""
    if case.status not in (CaseStatus.OPEN, CaseStatus.APPEALED) or case.assignee:
        return ""
    if inbox is None:
        return f"waiting: inbox {case.inbox!r} is no longer configured; any officer may claim it"
    if not inbox.officers:
        return f"waiting: inbox {inbox.name} has no officers; take it with next case"
    if all(load.get(o, 0) >= inbox.limit for o in inbox.officers):
        return (
            f"waiting: every officer of inbox {inbox.name} is at the limit of "
            f"{inbox.limit} open case(s)"
        )
    return f"waiting for an officer of inbox {inbox.name} to take it (next case)"


def placed(case: Case, inbox: Inbox) -> Case:
    return replace(case, inbox=inbox.name, due_at=due(inbox, case.opened_at))


# --- configuration --------------------------------------------------------------------------


def load_inboxes(path: Path | str | None) -> tuple[Inbox, ...]:
    """The default inboxes, or those of the JSON file at `path` when one is given."""
    if not path:
        return DEFAULT_INBOXES
    file = Path(path)
    try:
        doc = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{file}: cannot read the inboxes: {exc}") from None
    return parse_inboxes(doc, str(file))


def parse_inboxes(doc: Any, origin: str = "inboxes") -> tuple[Inbox, ...]:
    """Inboxes from {"inboxes": [{"name", "title", "sla_hours", "clauses", "departments",
    "officers", "limit"}, ...]}; ValueError naming the entry and field that is wrong."""
    if not isinstance(doc, dict) or not isinstance(doc.get("inboxes"), list) or not doc["inboxes"]:
        raise ValueError(f'{origin}: expected {{"inboxes": [...]}} with at least one inbox')
    found: list[Inbox] = []
    for i, raw in enumerate(doc["inboxes"]):
        where = f"{origin}: inboxes[{i}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected an object")
        unknown = set(raw) - {
            "name",
            "title",
            "sla_hours",
            "clauses",
            "departments",
            "officers",
            "limit",
        }
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
        name = raw.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            raise ValueError(f"{where}.name: {name!r} is not a name (a-z, 0-9, '-')")
        if any(f.name == name for f in found):
            raise ValueError(f"{where}.name: {name!r} names two inboxes")
        sla = raw.get("sla_hours")
        if isinstance(sla, bool) or not isinstance(sla, int | float) or sla <= 0:
            raise ValueError(f"{where}.sla_hours: {sla!r} is not a positive number of hours")
        limit = raw.get("limit", DEFAULT_LIMIT)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"{where}.limit: {limit!r} is not a whole number of cases, 1 or more")
        clauses = _names(raw, "clauses", where)
        for family in clauses:
            if not any(c == family or c.startswith(family + ".") for c in CLAUSES):
                raise ValueError(
                    f"{where}.clauses: {family!r} is no clause family of {sorted(CLAUSES)}"
                )
        found.append(
            Inbox(
                name=name,
                title=str(raw.get("title") or name),
                sla=timedelta(hours=sla),
                clauses=clauses,
                departments=_names(raw, "departments", where),
                officers=_names(raw, "officers", where),
                limit=limit,
            )
        )
    last = found[-1]
    if last.clauses or last.departments:
        raise ValueError(
            f"{origin}: the last inbox ({last.name}) must take every case: "
            "no clauses and no departments"
        )
    return tuple(found)


def _names(raw: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}.{field}: expected a list of non-empty names")
    return tuple(v.strip() for v in value)
