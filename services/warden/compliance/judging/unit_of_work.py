"""One judging transaction's unit of work: the rows it writes, buffered here and written
together (`write`), and what its events read back before those rows are written.

It owns every write buffer of the transaction: the inbox rows (those of the input events are
claimed at once, so a concurrent judge of the same events conflicts before judging anything;
those of the events judging makes, missed deadlines, are buffered), the stored events, the
cases with their findings and audit entries, the findings snoozes suppress, the held events,
and the deadline rows and watermarks (`Ledger`). Each stored event it buffers it also puts,
itself, among the stored events its stateful rules read (`StoredEvents`), which see the rows
not yet written too: no buffer calls another."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from warden.compliance.domain.cases import Case, Decision
from warden.compliance.domain.findings import Finding
from warden.compliance.judging import holding
from warden.compliance.judging.deadline_rows import Ledger
from warden.compliance.judging.rule_set import RuleSet
from warden.compliance.judging.snoozes import Snoozed
from warden.compliance.judging.stored_events import StoredEvents
from warden.compliance.storage import case_store, decision_store, inbox_store, shadow_store
from warden.platform.cloudevents import CloudEvent

INTERNAL_TOPIC = "warden.compliance.internal"  # the inbox topic of the events judging makes

# One event to judge as a consumer read it: the event, its topic, partition and offset.
Delivery = tuple[CloudEvent, str, int, int]


class JudgingUnit:
    """The rows one judging transaction writes and the state its events share: the rules it
    judges with, the stored events its stateful rules read (once per transaction), the
    stream watermarks, and each employee's confirmed record (read once: judging adds no
    decision, so it cannot change within the transaction)."""

    def __init__(self, conn: Connection, rules: RuleSet, clock: Callable[[], datetime]) -> None:
        self.conn = conn
        self.rules = rules
        self.clock = clock
        self._inbox: list[dict[str, Any]] = []  # inbox rows of the events judging made
        self._events: list[dict[str, Any]] = []  # stored-event rows not yet written
        self._held: list[dict[str, Any]] = []  # rows for holding.hold
        self._records: dict[str, list[Decision]] = {}
        self._subjects: set[str] = set()  # of the events judged
        self.stored = StoredEvents(conn, unwritten=self._events)
        self.cases = case_store.CaseWriter(conn)
        self.snoozed = Snoozed(conn)  # findings a snooze suppresses: recorded, no case
        self.marks = Ledger(conn)

    def expect(self, events: Iterable[CloudEvent], streams: Iterable[str] = ()) -> None:
        """The events this transaction will judge and the streams they were read from: the
        reads each needs (stored events, watermarks, records) are made once, for all."""
        events = list(events)
        self.stored.expect(event.time for event in events)
        self._subjects.update(event.subject for event in events)
        self.marks.expect(streams)

    def claim(self, deliveries: Iterable[Delivery]) -> None:
        """Write the inbox rows of these input events now, in one statement."""
        at = self.clock()
        rows = [
            inbox_store.inbox_row(e, topic, p, offset, at) for e, topic, p, offset in deliveries
        ]
        inbox_store.write_inbox(self.conn, rows)

    def store(self, event: CloudEvent, payload: dict[str, Any] | None = None) -> None:
        """Buffer the stored-event row of a claimed event (`payload`: its to_dict(), if made),
        and add it to what the stateful rules read."""
        row = inbox_store.event_row(event, payload)
        self._events.append(row)
        self.stored.add(row, payload)

    def record_made(self, event: CloudEvent) -> None:
        """Buffer the inbox and stored-event rows of an event judging made (a missed
        deadline), on the internal topic."""
        self._inbox.append(inbox_store.inbox_row(event, INTERNAL_TOPIC, 0, 0, self.clock()))
        self.store(event)

    def hold(self, event: CloudEvent, stream: str, offset: int) -> None:
        """Hold the event for the rules that wait for other partitions."""
        row = {"event_id": event.id, "source": event.source, "time": event.time}
        row |= {"stream": stream, "offset": offset}
        self._held.append({**row, "held_at": self.clock()})

    def open(self, case: Case) -> None:
        """Buffer a case (with its finding and audit entry)."""
        self.cases.add(case)

    def shadow_finding(self, finding: Finding) -> None:
        """Record a shadow rule's finding (no case)."""
        shadow_store.add_shadow_finding(self.conn, finding)

    def record_of(self, employee_id: str) -> list[Decision]:
        """The employee's confirmed violations, oldest first
        (decision_store.confirmed_violations). At the first finding, the records of every
        subject of the transaction are read with it, in one query: a finding's employee is
        most often its event's subject."""
        if employee_id not in self._records:
            wanted = {employee_id, *self._subjects} - self._records.keys()
            self._records.update(decision_store.records_of(self.conn, wanted))
        return self._records[employee_id]

    def flush_events(self) -> None:
        """Write the stored-event rows buffered so far (they stay readable: from the table)."""
        if self._events:
            inbox_store.write_events(self.conn, self._events)
            self._events.clear()  # in place: StoredEvents reads this very list

    def write(self) -> None:
        """Write everything buffered, before the commit: the deadline rows and watermarks,
        the stored events, the inbox rows, the cases, the suppressed findings (their audit
        entries chain after the cases'), the held events."""
        self.marks.write()
        self.flush_events()
        if self._inbox:
            inbox_store.write_inbox(self.conn, self._inbox)
            self._inbox = []
        self.cases.flush()
        self.snoozed.flush()
        holding.hold(self.conn, self._held)
        self._held = []
