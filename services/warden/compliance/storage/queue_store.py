"""The inboxes' rows: the configured inboxes, officers' loads, placing new cases (inbox, due
date, assignee) and the unclaimed cases "next case" hands out. (storage/inbox_store.py is the
Kafka input's inbox, a different thing.)"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, case, func, select

from warden.compliance.domain import inboxes as domain
from warden.compliance.domain.cases import Case, CaseStatus
from warden.compliance.domain.inboxes import Inbox
from warden.compliance.storage.row_values import in_chunks
from warden.compliance.storage.schema import cases, employees, queues

ASSIGNED = "assigned"  # the audit action of an automatic assignment
_UNCLAIMED = (CaseStatus.OPEN.value, CaseStatus.APPEALED.value)


# The inboxes new cases are placed by, per database, read at most once a minute: they change
# only when a service starts (write_inboxes), and placing runs in every judging transaction.
_PLACING: WeakKeyDictionary[Engine, tuple[float, tuple[Inbox, ...]]] = WeakKeyDictionary()
_PLACING_TTL_S = 60.0


def write_inboxes(conn: Connection, configured: tuple[Inbox, ...]) -> None:
    """Replace the stored inboxes with the configured ones (at the service's start)."""
    _PLACING.pop(conn.engine, None)
    conn.execute(queues.delete())
    conn.execute(
        queues.insert(),
        [
            {
                "name": i.name,
                "position": n,
                "title": i.title,
                "sla_seconds": int(i.sla.total_seconds()),
                "clauses": json.dumps(list(i.clauses)),
                "departments": json.dumps(list(i.departments)),
                "officers": json.dumps(list(i.officers)),
                "officer_limit": i.limit,
            }
            for n, i in enumerate(configured)
        ],
    )


def read_inboxes(conn: Connection) -> tuple[Inbox, ...]:
    """The stored inboxes in routing order; the defaults when none was configured."""
    rows = conn.execute(select(queues).order_by(queues.c.position)).all()
    if not rows:
        return domain.DEFAULT_INBOXES
    return tuple(
        Inbox(
            name=r.name,
            title=r.title,
            sla=timedelta(seconds=r.sla_seconds),
            clauses=tuple(json.loads(r.clauses)),
            departments=tuple(json.loads(r.departments)),
            officers=tuple(json.loads(r.officers)),
            limit=r.officer_limit,
        )
        for r in rows
    )


def loads(conn: Connection, officers: Iterable[str]) -> dict[str, int]:
    """Each officer's open cases in review (claimed, not decided), zero included."""
    names = sorted(set(officers))
    counted = dict.fromkeys(names, 0)
    for chunk in in_chunks(names):
        rows = conn.execute(
            select(cases.c.assignee, func.count())
            .where(cases.c.status == CaseStatus.IN_REVIEW.value, cases.c.assignee.in_(chunk))
            .group_by(cases.c.assignee)
        ).all()
        counted.update({r[0]: int(r[1]) for r in rows})
    return counted


def _departments(conn: Connection, employee_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in in_chunks(sorted(set(employee_ids))):
        rows = conn.execute(
            select(employees.c.employee_id, employees.c.department).where(
                employees.c.employee_id.in_(chunk)
            )
        ).all()
        found.update({r[0]: r[1] for r in rows})
    return found


def _placing_inboxes(conn: Connection) -> tuple[Inbox, ...]:
    cached = _PLACING.get(conn.engine)
    if cached is None or time.monotonic() - cached[0] > _PLACING_TTL_S:
        cached = (time.monotonic(), read_inboxes(conn))
        _PLACING[conn.engine] = cached
    return cached[1]


def place(conn: Connection, new: list[Case]) -> list[Case]:
    """New cases with their inbox and due date, each assigned (claimed at its opening) to the
    least-loaded officer of its inbox below the limit, or left unassigned when there is none.
    The caller holds the audit chain's lock, so placements do not race on PostgreSQL."""
    configured = _placing_inboxes(conn)
    by_department = (
        _departments(conn, [c.employee_id for c in new])
        if any(i.departments for i in configured)
        else {}
    )
    load = loads(conn, [o for i in configured for o in i.officers])
    done = []
    for case_ in new:
        inbox = domain.route(configured, case_.clause, by_department.get(case_.employee_id, ""))
        placed = domain.placed(case_, inbox)
        officer = domain.pick_officer(inbox, placed, load)
        if officer is not None:
            load[officer] += 1
            placed = replace(
                placed,
                status=CaseStatus.IN_REVIEW,
                assignee=officer,
                claimed_at=placed.opened_at,
            )
        done.append(placed)
    return done


def queue_order(now: datetime) -> tuple[Any, ...]:
    """Overdue (undecided, past due) first, then by due date (cases without one last)."""
    overdue = (cases.c.status != CaseStatus.DECIDED.value) & (cases.c.due_at < now)
    return (
        case((overdue, 0), else_=1),
        case((cases.c.due_at.is_(None), 1), else_=0),
        cases.c.due_at,
        cases.c.case_id,
    )


def unclaimed(conn: Connection, inbox: str, hidden_from: str, limit: int, offset: int) -> list[str]:
    """Ids of the inbox's cases open to claim, the earliest due first, not about `hidden_from`
    (a person)."""
    query = (
        select(cases.c.case_id)
        .where(
            cases.c.inbox == inbox,
            cases.c.status.in_(_UNCLAIMED),
            cases.c.assignee == "",
            func.lower(func.trim(cases.c.employee_id)) != hidden_from,
        )
        .order_by(cases.c.due_at, cases.c.opened_at, cases.c.case_id)
        .limit(limit)
        .offset(offset)
    )
    return [r[0] for r in conn.execute(query).all()]


def lock_unclaimed(conn: Connection, case_id: str) -> bool:
    """Whether the case is still open to claim; on PostgreSQL its row is then locked until the
    transaction ends, and a row another transaction holds counts as taken (SKIP LOCKED)."""
    query = select(cases.c.case_id).where(
        cases.c.case_id == case_id, cases.c.status.in_(_UNCLAIMED), cases.c.assignee == ""
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return conn.execute(query).first() is not None


def counts(conn: Connection, now: datetime) -> dict[str, dict[str, int]]:
    """Per inbox: cases waiting unassigned, in review, and overdue (undecided, past due)."""
    open_ = cases.c.status != CaseStatus.DECIDED.value
    rows = conn.execute(
        select(
            cases.c.inbox,
            func.sum(
                case(((cases.c.status.in_(_UNCLAIMED)) & (cases.c.assignee == ""), 1), else_=0)
            ),
            func.sum(case((cases.c.status == CaseStatus.IN_REVIEW.value, 1), else_=0)),
            func.sum(case((open_ & (cases.c.due_at < now), 1), else_=0)),
        )
        .where(open_)
        .group_by(cases.c.inbox)
    ).all()
    return {
        str(r[0] or ""): {
            "waiting": int(r[1] or 0),
            "in_review": int(r[2] or 0),
            "overdue": int(r[3] or 0),
        }
        for r in rows
    }
