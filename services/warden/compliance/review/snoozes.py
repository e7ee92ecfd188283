"""Officers snooze a rule for an employee or a customer from a decided case, lift snoozes and
list them; each snooze and lift is in the case's audit trail (judging: judging/snoozes.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from warden.compliance.domain import snoozes as domain
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.snoozes import Snooze
from warden.compliance.storage import audit_store, case_store, inbox_store, snooze_store
from warden.errors import FailedPrecondition, InvalidArgument, NotFound

log = logging.getLogger(__name__)


class Snoozes:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def snooze(
        self,
        case_id: str,
        officer_id: str,
        rule_id: str,
        days: int,
        reason: str,
        scope: str = "employee",
        customer_id: str = "",
    ) -> Snooze:
        """Snooze `rule_id` for `days` from the decided case: for its employee, or (scope
        customer) for a customer of its events. Refused, with nothing changed, for an
        undecided case, the officer's own case, a rule its findings do not name, a period
        over 180 days, no reason, or a rule already snoozed for the same person."""
        chosen = domain.parse_scope(scope)
        if not case_id.strip():
            raise InvalidArgument("case_id", "is required")
        with self.engine.begin() as conn:
            case = case_store.get_case(conn, case_id.strip(), for_update=True)
            if case is None:
                raise NotFound("case", case_id)
            customers: frozenset[str] = frozenset()
            if chosen is domain.Scope.CUSTOMER:
                refs = [ref for f in case.findings for ref in f.evidence]
                events = inbox_store.stored_events(conn, refs)
                customers = frozenset(c for c in map(domain.customer_of, events) if c)
            at = self.clock()
            snooze = domain.new_snooze(
                case, officer_id, rule_id, chosen, customers, customer_id, days, reason, at
            )
            for other in snooze_store.listed(conn, snooze.rule_id, snooze.subject, at):
                if other.scope is snooze.scope and other.state(at) == "active":
                    raise FailedPrecondition(
                        f"snooze: {snooze.rule_id} is already snoozed for {snooze.scope.value} "
                        f"{snooze.subject} until {other.ends_at.isoformat()} "
                        f"(snooze {other.snooze_id}); lift it first"
                    )
            snooze_store.add(conn, snooze)
            audit_store.append_audit(
                conn,
                case.case_id,
                officer_id,
                "snoozed",
                at,
                {
                    "snooze_id": snooze.snooze_id,
                    "rule_id": snooze.rule_id,
                    "scope": snooze.scope.value,
                    "subject": snooze.subject,
                    "until": snooze.ends_at.isoformat(),
                    "reason": snooze.reason,
                },
            )
        log.info(
            "rule %s snoozed for %s %s until %s by %s (from case %s)",
            snooze.rule_id,
            snooze.scope.value,
            snooze.subject,
            snooze.ends_at.isoformat(),
            officer_id,
            snooze.case_id,
        )
        return snooze

    def lift(self, snooze_id: str, officer_id: str, reason: str = "") -> Snooze:
        """End an active snooze now; audited on the case it was set from."""
        if not snooze_id.strip():
            raise InvalidArgument("snooze_id", "is required")
        with self.engine.begin() as conn:
            found = snooze_store.get(conn, snooze_id.strip(), for_update=True)
            if found is None:
                raise NotFound("snooze", snooze_id)
            at = self.clock()
            snooze = domain.lifted(found, officer_id, reason, at)
            snooze_store.lift(conn, snooze)
            audit_store.append_audit(
                conn,
                snooze.case_id,
                officer_id,
                "unsnoozed",
                at,
                {
                    "snooze_id": snooze.snooze_id,
                    "rule_id": snooze.rule_id,
                    "reason": snooze.lift_reason,
                },
            )
        log.info("snooze %s of rule %s lifted by %s", snooze.snooze_id, snooze.rule_id, officer_id)
        return snooze

    def listed(
        self, rule_id: str = "", subject: str = "", active_only: bool = False
    ) -> list[Snooze]:
        """Snoozes, newest first; with `active_only`, those in force now."""
        now = self.clock()
        with self.engine.connect() as conn:
            found = snooze_store.listed(
                conn, rule_id.strip(), subject.strip(), now if active_only else None
            )
        return [s for s in found if not active_only or s.state(now) == "active"]

    def of_case(self, case_id: str) -> list[Snooze]:
        with self.engine.connect() as conn:
            return snooze_store.of_case(conn, case_id)

    def suppressed(self, snooze_id: str) -> list[Finding]:
        """The findings the snooze suppressed (recorded without a case)."""
        with self.engine.connect() as conn:
            return snooze_store.suppressed_findings(conn, snooze_id)
