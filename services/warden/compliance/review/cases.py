"""Review: officers claim, comment on and decide cases; appeals; HR reads the decisions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from warden.compliance.domain import case_review
from warden.compliance.domain.cases import (
    Case,
    CaseStatus,
    Choice,
    Comment,
    Decision,
    Outcome,
)
from warden.compliance.domain.findings import Finding, identity
from warden.compliance.domain.sanctions import Sanction
from warden.compliance.judging import holding
from warden.compliance.review import anchoring, audit, events, inboxes, masking
from warden.compliance.review.anchoring import AnchorState
from warden.compliance.review.masking import masked_event
from warden.compliance.storage import audit_store, case_store, decision_store, inbox_store, schema
from warden.compliance.storage.case_store import CaseFilter
from warden.errors import InvalidArgument, NotFound
from warden.platform.signing import Signer
from warden.platform.topics import HR_PENALTY_DECISIONS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overview:
    """Open (not yet decided) cases by clause and severity, and the age of the oldest."""

    counts: list[tuple[str, str, int]]
    oldest_opened_at: datetime | None
    now: datetime
    audit: AnchorState | None = None  # the audit chain and its last anchor
    # Events awaiting the rules that wait for every partition (compliance/judging/holding.py), and
    # the time of the oldest: findings that may still come.
    held: int = 0
    oldest_held: datetime | None = None

    @property
    def oldest_age(self) -> timedelta | None:
        return self.now - self.oldest_opened_at if self.oldest_opened_at else None

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.counts)


class Review:
    def __init__(
        self,
        engine: Engine,
        case_url_base: str = "warden://compliance/cases/",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        unclaimed_after: timedelta = timedelta(hours=48),
        signer: Signer | None = None,
    ) -> None:
        self.engine = engine
        # Signs each decision HR receives; None only in tests that read no HR record.
        self.signer = signer
        self.case_url_base = case_url_base
        self.clock = clock
        self.unclaimed_after = unclaimed_after

    # --- reading -------------------------------------------------------------------------

    def list_cases(
        self,
        status: CaseStatus | CaseFilter | None = None,
        page_size: int = 50,
        page_token: str = "",
    ) -> tuple[list[Case], str]:
        """A page of the queue, newest first, and the token of the next page ("" at the end)."""
        if page_size < 0 or page_size > 500:
            raise InvalidArgument("page_size", "must be between 1 and 500 (0 for the default 50)")
        size = page_size or 50
        try:
            offset = int(page_token) if page_token else 0
            if offset < 0:
                raise ValueError
        except ValueError:
            raise InvalidArgument(
                "page_token", f"{page_token!r} is not a token this service issued"
            ) from None
        with self.engine.connect() as conn:
            found = case_store.list_cases(conn, status, size + 1, offset)
        next_token = str(offset + size) if len(found) > size else ""
        return found[:size], next_token

    def is_overdue(self, case: Case) -> bool:
        """Unclaimed for longer than the configured time: flagged in the queue."""
        return case.unclaimed_for(self.clock()) > self.unclaimed_after

    def get_case(self, case_id: str, viewer: str | None = None) -> Case:
        """A case; PermissionDenied when `viewer` (an officer) is the employee it is about."""
        with self.engine.connect() as conn:
            case = self._case(conn, case_id, lock=False)
        if viewer is not None:
            case_review.not_concerned(case, viewer, "read")
        return case

    def evidence(self, case: Case, reveal_personal: bool) -> list[dict[str, Any]]:
        """The original events behind a case's findings, personal data masked unless revealed."""
        refs = [ref for f in case.findings for ref in f.evidence]
        with self.engine.connect() as conn:
            found = inbox_store.stored_events(conn, refs)
        return [masked_event(e, reveal_personal) for e in found]

    def as_seen(self, cases: list[Case], reveal_personal: bool) -> list[Case]:
        """Cases as a role sees them: unless revealed, their explanations quote no personal
        value of the events they rest on (customer ids, recipients, descriptions, ...)."""
        if reveal_personal:
            return cases
        shown = self.findings_as_seen([f for c in cases for f in c.findings], False)
        by_id = {f.finding_id: f for f in shown}
        return [
            replace(c, findings=tuple(by_id.get(f.finding_id, f) for f in c.findings))
            for c in cases
        ]

    def findings_as_seen(self, findings: list[Finding], reveal_personal: bool) -> list[Finding]:
        """Findings (a case's, or shadow ones) with personal values masked unless revealed."""
        if reveal_personal or not findings:
            return findings
        refs = [ref for f in findings for ref in f.evidence]
        with self.engine.connect() as conn:
            stored = inbox_store.stored_events(conn, refs)
        found: dict[tuple[str, str], dict[str, Any]] = {identity(e): e for e in stored}
        by_id = {event_id: e for (_, event_id), e in found.items()}  # for unknown sources
        return [
            masking.masked_finding(f, masking.personal_values(masking.events_of(f, found, by_id)))
            for f in findings
        ]

    def department_of(self, employee_id: str) -> str:
        with self.engine.connect() as conn:
            return case_store.department_of(conn, employee_id)

    def overview(self) -> Overview:
        with self.engine.connect() as conn:
            held, oldest_held = holding.waiting(conn)
            return Overview(
                case_store.open_case_counts(conn),
                case_store.oldest_open(conn),
                self.clock(),
                anchoring.state(conn),
                held,
                oldest_held,
            )

    def record(self, employee_id: str, since: datetime | None = None) -> list[Decision]:
        """The employee's record: each standing confirmed or amended sanction."""
        if not employee_id.strip():
            raise InvalidArgument("employee_id", "is required")
        with self.engine.connect() as conn:
            return decision_store.confirmed_violations(conn, employee_id.strip(), since)

    def list_decisions(self, since: datetime | None, page_size: int = 100) -> list[Decision]:
        if page_size < 0 or page_size > 1000:
            raise InvalidArgument("page_size", "must be between 1 and 1000 (0 for the default 100)")
        with self.engine.connect() as conn:
            return decision_store.list_decisions(conn, since, page_size or 100)

    def audit_trail(self, case_id: str, viewer: str | None = None) -> list[audit.Entry]:
        with self.engine.connect() as conn:
            case = self._case(conn, case_id, lock=False)
            if viewer is not None:
                case_review.not_concerned(case, viewer, "read")
            return audit_store.audit_entries(conn, case_id)

    def decisions_of(self, case_ids: list[str]) -> dict[str, list[Decision]]:
        """Each case's decisions, oldest first (an appeal's revision follows the decision it
        replaces)."""
        with self.engine.connect() as conn:
            return decision_store.decisions_of_cases(conn, case_ids)

    def verify_audit(self) -> tuple[int, audit.Break | None]:
        """Check the whole audit chain: (entries checked, the first broken entry or None)."""
        with self.engine.connect() as conn:
            return audit.verify(audit_store.audit_entries(conn))

    # --- acting ----------------------------------------------------------------------------

    def raise_case(
        self,
        officer_id: str,
        employee_id: str,
        clause: str,
        severity: str,
        title: str,
        proposed: Sanction,
        description: str,
    ) -> Case:
        """A case an officer raises by hand (a report); that officer can never review it."""
        case = case_review.reported_case(
            officer_id, employee_id, clause, severity, title, proposed, description, self.clock()
        )
        with self.engine.begin() as conn:
            case = case_store.add_case(conn, case)  # in its inbox, maybe assigned
        log.info("case %s raised by %s about %s", case.case_id, officer_id, employee_id)
        return case

    def claim(self, case_id: str, officer_id: str) -> Case:
        with self.engine.begin() as conn:
            case = self._claim(conn, self._case(conn, case_id), officer_id)
        log.info("case %s claimed by %s", case_id, officer_id)
        return case

    def comment(self, case_id: str, author: str, text: str) -> Comment:
        with self.engine.begin() as conn:
            case = self._case(conn, case_id)
            said = case_review.comment(case, author, text, self.clock())
            case_store.add_comment(conn, case_id, said)
            audit_store.append_audit(
                conn, case_id, author, "commented", said.at, {"text": said.text}
            )
        return said

    def decide(
        self, case_id: str, officer_id: str, choice: Choice, on_behalf_of: str = ""
    ) -> tuple[Case, Decision | None]:
        """The officer's decision; an open or appealed case is claimed by it first. A decision
        needing a second officer comes back as (case with pending, None). With
        `on_behalf_of`, `officer_id` (an admin: the servicer checks) records the decision
        that officer took on paper."""
        with self.engine.begin() as conn:
            case = self._case(conn, case_id)
            if case.status in (CaseStatus.OPEN, CaseStatus.APPEALED):
                case = self._claim(conn, case, officer_id)
            at = self.clock()
            before = case
            case, decision = case_review.decide(case, officer_id, choice, at, on_behalf_of)
            case_store.save_case(conn, case, before)
            if decision is None:
                assert case.pending is not None
                audit_store.append_audit(
                    conn,
                    case_id,
                    officer_id,
                    "proposed",
                    at,
                    {
                        "outcome": case.pending.outcome.value,
                        "sanction": str(case.pending.sanction),
                        "reason": case.pending.reason,
                        "awaits": "a second officer",
                        **_paper(on_behalf_of),
                    },
                )
            else:
                self._record(conn, decision, officer_id, on_behalf_of)
                inboxes.assign_waiting(conn, case.inbox, at)
        log.info(
            "case %s: %s by %s%s", case_id, choice.outcome.value, officer_id, _for(on_behalf_of)
        )
        return case, decision

    def confirm(self, case_id: str, officer_id: str, on_behalf_of: str = "") -> Decision:
        """The second officer confirms a pending suspension or dismissal (four eyes)."""
        with self.engine.begin() as conn:
            before = self._case(conn, case_id)
            case, decision = case_review.confirm_pending(
                before, officer_id, self.clock(), on_behalf_of
            )
            case_store.save_case(conn, case, before)
            self._record(conn, decision, officer_id, on_behalf_of)
            inboxes.assign_waiting(conn, case.inbox, decision.decided_at)
        log.info("case %s: second officer %s%s confirmed", case_id, officer_id, _for(on_behalf_of))
        return decision

    def reject(self, case_id: str, officer_id: str, reason: str) -> Case:
        """The second officer declines a pending decision; the assignee decides again."""
        with self.engine.begin() as conn:
            before = self._case(conn, case_id)
            case = case_review.reject_pending(before, officer_id, reason)
            case_store.save_case(conn, case, before)
            audit_store.append_audit(
                conn, case_id, officer_id, "rejected", self.clock(), {"reason": reason.strip()}
            )
        return case

    def appeal(self, case_id: str, recorded_by: str, reason: str) -> Case:
        """The employee's appeal, recorded by an officer: the case reopens for a second review."""
        with self.engine.begin() as conn:
            before = self._case(conn, case_id)
            case = case_review.appeal(before, reason, recorded_by)
            case_store.save_case(conn, case, before)
            audit_store.append_audit(
                conn,
                case_id,
                recorded_by,
                "appealed",
                self.clock(),
                {"reason": case.appeal_reason, "decision_under_appeal": case.decision_id},
            )
        log.info("case %s appealed (recorded by %s)", case_id, recorded_by)
        return case

    def set_department(self, employee_id: str, department: str, by: str) -> None:
        if not employee_id.strip():
            raise InvalidArgument("employee_id", "is required")
        if not department.strip():
            raise InvalidArgument("department", "is required")
        with self.engine.begin() as conn:
            case_store.set_department(conn, employee_id.strip(), department.strip(), self.clock())
        log.info("employee %s is in department %s (set by %s)", employee_id, department, by)

    # --- helpers -------------------------------------------------------------------------

    def _case(self, conn: Connection, case_id: str, lock: bool = True) -> Case:
        if not case_id.strip():
            raise InvalidArgument("case_id", "is required")
        case = case_store.get_case(conn, case_id.strip(), for_update=lock)
        if case is None:
            raise NotFound("case", case_id)
        return case

    def _claim(self, conn: Connection, case: Case, officer_id: str) -> Case:
        at = self.clock()
        claimed = case_review.claim(case, officer_id, at)
        case_store.save_case(conn, claimed, case)
        audit_store.append_audit(conn, case.case_id, officer_id, "claimed", at, {})
        return claimed

    def _record(
        self, conn: Connection, decision: Decision, actor: str, on_behalf_of: str = ""
    ) -> None:
        """Store a final decision, audit it, and queue it for HR when HR must act on it: every
        sanction, and any decision that replaces an earlier one (e.g. a dismissal on appeal)."""
        decision_store.add_decision(conn, decision)
        action = "amended" if decision.outcome is Outcome.AMENDED else "decided"
        audit_store.append_audit(
            conn,
            decision.case_id,
            actor,
            action,
            decision.decided_at,
            {
                "decision_id": decision.decision_id,
                "outcome": decision.outcome.value,
                "sanction": str(decision.sanction) if decision.sanction else None,
                "decided_by": list(decision.decided_by),
                "reason": decision.reason,
                "replaces": decision.replaces,
                **_paper(on_behalf_of),
                **(
                    {"signed_on_behalf_of": list(decision.on_behalf_of)}
                    if decision.on_behalf_of
                    else {}
                ),
            },
        )
        if case_review.is_sanction(decision) or decision.replaces:
            event = events.penalty_decided(decision, self.case_url_base + decision.case_id)
            if self.signer is not None:
                event = self.signer.sign(event)
            schema.outbox.add(conn, HR_PENALTY_DECISIONS, event)


def _paper(on_behalf_of: str) -> dict[str, str]:
    """The audit entry's note of the officer a decision was recorded for, on paper."""
    return {"on_behalf_of": on_behalf_of} if on_behalf_of else {}


def _for(on_behalf_of: str) -> str:
    return f" on behalf of {on_behalf_of} (on paper)" if on_behalf_of else ""
