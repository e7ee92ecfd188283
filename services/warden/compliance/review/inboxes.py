"""Inboxes for officers: what each holds, why a case waits unassigned, and "next case": the
earliest-due case of an inbox the officer may review, claimed for them atomically."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from warden.compliance.domain import case_review
from warden.compliance.domain import inboxes as domain
from warden.compliance.domain.cases import ENGINE, Case, CaseStatus
from warden.compliance.domain.inboxes import Inbox
from warden.compliance.storage import audit_store, case_store, queue_store
from warden.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from warden.people import person, same_person

log = logging.getLogger(__name__)
_BATCH = 50  # candidates read at once by next case


@dataclass(frozen=True)
class InboxState:
    """An inbox with its open cases counted and its officers' loads (open cases in review)."""

    inbox: Inbox
    waiting: int  # open or appealed, unassigned
    in_review: int
    overdue: int  # undecided, past due
    loads: dict[str, int]


@dataclass(frozen=True)
class Placement:
    """How a case stands in its inbox, for lists: past due, and why it waits unassigned."""

    past_due: bool
    waiting: str


class Inboxes:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def configure(self, configured: tuple[Inbox, ...]) -> None:
        """Store the configured inboxes (the service's start): new cases are placed by them."""
        with self.engine.begin() as conn:
            queue_store.write_inboxes(conn, configured)
        log.info("inboxes: %s", ", ".join(f"{i.name} ({i.sla_hours:g} h)" for i in configured))

    def configured(self) -> tuple[Inbox, ...]:
        with self.engine.connect() as conn:
            return queue_store.read_inboxes(conn)

    def inbox(self, name: str) -> Inbox:
        if not name.strip():
            raise InvalidArgument("inbox", "is required")
        for inbox in self.configured():
            if inbox.name == name.strip():
                return inbox
        raise NotFound("inbox", name.strip())

    def states(self) -> list[InboxState]:
        with self.engine.connect() as conn:
            configured = queue_store.read_inboxes(conn)
            load = queue_store.loads(conn, [o for i in configured for o in i.officers])
            counted = queue_store.counts(conn, self.clock())
        empty = {"waiting": 0, "in_review": 0, "overdue": 0}
        return [
            InboxState(
                inbox=i,
                loads={o: load.get(o, 0) for o in i.officers},
                **counted.get(i.name, empty),
            )
            for i in configured
        ]

    def placements(self, shown: list[Case]) -> dict[str, Placement]:
        """Each case's placement: past due (now), and why it waits when it does."""
        now = self.clock()
        with self.engine.connect() as conn:
            configured = {i.name: i for i in queue_store.read_inboxes(conn)}
            officers = {
                o for c in shown if c.inbox in configured for o in configured[c.inbox].officers
            }
            load = queue_store.loads(conn, officers)
        return {
            c.case_id: Placement(
                domain.is_past_due(c, now),
                domain.waiting_reason(configured.get(c.inbox), c, load) if c.inbox else "",
            )
            for c in shown
        }

    def next_case(self, name: str, officer: str) -> Case | None:
        """Claim for `officer` the earliest-due case of the inbox open to claim that they may
        review (None when there is none). Two officers asking at once never get the same
        case: on PostgreSQL the case's row is locked (rows others hold are skipped); on both
        databases the claim only writes if the case is still unclaimed."""
        inbox = self.inbox(name)
        if inbox.officers and not any(same_person(officer, o) for o in inbox.officers):
            raise PermissionDenied(
                f"inbox: {officer!r} is not an officer of inbox {inbox.name} "
                f"({', '.join(inbox.officers)})"
            )
        offset = 0
        while True:
            with self.engine.begin() as conn:
                ids = queue_store.unclaimed(conn, inbox.name, person(officer), _BATCH, offset)
                for case_id in ids:
                    claimed = self._take(conn, case_id, officer, inbox)
                    if claimed is not None:
                        log.info("case %s: next case of %s for %s", case_id, inbox.name, officer)
                        return claimed
            if len(ids) < _BATCH:
                return None
            offset += _BATCH

    def _take(self, conn: Connection, case_id: str, officer: str, inbox: Inbox) -> Case | None:
        if not queue_store.lock_unclaimed(conn, case_id):
            return None  # another officer holds or took it
        case = case_store.get_case(conn, case_id)
        if case is None or not domain.may_take(case, officer):
            return None
        at = self.clock()
        claimed = case_review.claim(case, officer, at)
        try:
            case_store.save_case(conn, claimed, case)
        except FailedPrecondition:
            return None  # taken meanwhile (SQLite: the conditional update wrote nothing)
        details = {"inbox": inbox.name, "via": "next case"}
        audit_store.append_audit(conn, case_id, officer, "claimed", at, details)
        return claimed


def assign_waiting(conn: Connection, inbox_name: str, at: datetime) -> list[Case]:
    """Give the inbox's waiting cases, earliest due first, to its least-loaded officers below
    the limit, in the caller's transaction: run when a decision frees an officer's place, so
    a case that waited because everyone was at the limit does not wait for a "next case"."""
    inbox = next((i for i in queue_store.read_inboxes(conn) if i.name == inbox_name), None)
    if inbox is None or not inbox.officers:
        return []
    load = queue_store.loads(conn, inbox.officers)
    assigned: list[Case] = []
    for case_id in queue_store.unclaimed(conn, inbox.name, "", _BATCH, 0):
        if all(load[o] >= inbox.limit for o in inbox.officers):
            break
        case = (
            case_store.get_case(conn, case_id)
            if queue_store.lock_unclaimed(conn, case_id)
            else None
        )
        officer = domain.pick_officer(inbox, case, load) if case is not None else None
        if case is None or officer is None:
            continue
        taken = replace(case, status=CaseStatus.IN_REVIEW, assignee=officer, claimed_at=at)
        case_store.save_case(conn, taken, case)
        details = {"officer": officer, "inbox": inbox.name}
        audit_store.append_audit(conn, case_id, ENGINE, queue_store.ASSIGNED, at, details)
        load[officer] += 1
        assigned.append(taken)
        log.info("case %s waited and is assigned to %s (%s)", case_id, officer, inbox.name)
    return assigned
