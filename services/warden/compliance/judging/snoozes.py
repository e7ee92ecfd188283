"""The judging hook for rule snoozes (compliance/domain/snoozes.py): whether a finding is
suppressed at its event's time, and the suppressed findings written when the transaction's
cases are (recorded without a case, each with an audit entry)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from warden.compliance.domain.findings import Finding
from warden.compliance.domain.snoozes import Snooze
from warden.compliance.storage import snooze_store

log = logging.getLogger(__name__)


class Snoozed:
    """One judging transaction's snoozes. They are read once, by the index on their end, at
    the first finding (those ending after its event's time), and read again only for an
    event older than any read for; most transactions read them once or never."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._read_from: datetime | None = None
        self._snoozes: list[Snooze] = []
        self.suppressed: list[tuple[Finding, Snooze, datetime]] = []

    def suppresses(self, finding: Finding, event: dict[str, Any], now: datetime) -> bool:
        """Whether a snooze covers `finding` (on `event`) at its event's time; if so it is
        kept to be recorded at the flush (audited at `now`), and no case is to be opened."""
        at = finding.occurred_at
        if self._read_from is None or at < self._read_from:
            self._snoozes = snooze_store.ending_after(self.conn, at)
            self._read_from = at
        for snooze in self._snoozes:
            if snooze.covers(finding.rule_id, finding.employee_id, event, at):
                self.suppressed.append((finding, snooze, now))
                log.info(
                    "finding %s: %s by %s suppressed by snooze %s (until %s): no case",
                    finding.finding_id,
                    finding.rule_id,
                    finding.employee_id,
                    snooze.snooze_id,
                    snooze.until.isoformat(),
                )
                return True
        return False

    def flush(self) -> None:
        snooze_store.record_suppressed(self.conn, self.suppressed)
        self.suppressed.clear()
