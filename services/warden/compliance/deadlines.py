"""Deadlines in event time: started, met or missed as the events' own timestamps say.

Each input stream (topic:partition: Kafka keeps order within one, and ticket events are keyed
by ticket) has a watermark, the largest event time judged from it so far. When the watermark
of the stream a deadline started on passes its due time, a `warden.compliance.deadline.missed`
event is made (its id derives from the deadline, so it is made once) and judged like any other
event. A stream's watermark is not moved by other streams, so a producer replaying last
month on one partition is not judged by another partition's "now". All state is in the
database: a deadline that passed while the service was down is found when the next event of
its stream arrives."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from warden.compliance.domain.findings import NAMESPACE, lookup
from warden.compliance.domain.specs import Deadline
from warden.compliance.state import deadlines, watermarks
from warden.contract.compliance import DEADLINE_MISSED, SOURCE
from warden.platform.cloudevents import CloudEvent, format_time, parse_time

log = logging.getLogger(__name__)


def _text(event: CloudEvent, path: str) -> str | None:
    try:
        value = lookup(event.to_dict(), path)
    except KeyError:
        return None
    return None if value is None else str(value)


def watermark(conn: Connection, stream: str) -> datetime | None:
    row = conn.execute(select(watermarks.c.time).where(watermarks.c.name == stream)).first()
    return row.time if row else None


def _advance(conn: Connection, stream: str, moment: datetime) -> datetime:
    current = watermark(conn, stream)
    if current is None:
        conn.execute(watermarks.insert().values(name=stream, time=moment, events=1))
        return moment
    latest = max(current, moment)
    conn.execute(
        watermarks.update()
        .where(watermarks.c.name == stream)
        .values(time=latest, events=watermarks.c.events + 1)
    )
    return latest


def _deadline_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"deadline|{kind}|{key}"))


class DeadlineBook:
    """The deadlines the rule files declare, applied to each event in one transaction."""

    def __init__(self, specs: Iterable[Deadline]) -> None:
        self.specs = list(specs)

    def track(self, conn: Connection, event: CloudEvent, stream: str) -> list[CloudEvent]:
        """Apply `event` (read from `stream`) to the deadlines, advance that stream's watermark,
        and return the missed-deadline events this made due (oldest first)."""
        for spec in self.specs:
            if event.type == spec.starts:
                self._start(conn, spec, event, stream)
            if event.type in spec.met_by:
                self._meet(conn, spec, event)
            if spec.handover and event.type == spec.handover:
                self._hand_over(conn, spec, event)
        return self._sweep(conn, stream, _advance(conn, stream, event.time))

    def _start(self, conn: Connection, spec: Deadline, event: CloudEvent, stream: str) -> None:
        key = _text(event, spec.key)
        employee = _text(event, spec.employee) or event.subject
        if key is None:
            log.warning("event %s lacks %s: deadline %s not started", event.id, spec.key, spec.kind)
            return
        due = self._due(spec, event)
        if due is None:
            return
        deadline_id = _deadline_id(spec.kind, key)
        values = {
            "kind": spec.kind,
            "key": key,
            "ticket_id": _text(event, "data.ticket_id") or key,
            "employee_id": employee,
            "due": due,
            "started_by": event.id,
            "stream": stream,
            "status": "pending",
            "settled_by": None,
        }
        row = conn.execute(
            select(deadlines.c.status).where(deadlines.c.deadline_id == deadline_id)
        ).first()
        if row is None:
            conn.execute(deadlines.insert().values(deadline_id=deadline_id, **values))
        elif row.status == "pending":
            conn.execute(
                deadlines.update().where(deadlines.c.deadline_id == deadline_id).values(**values)
            )

    def _due(self, spec: Deadline, event: CloudEvent) -> datetime | None:
        if not spec.due_field:
            return event.time + timedelta(seconds=spec.due_after_s)
        raw = _text(event, spec.due_field)
        if raw is None:
            return None
        try:
            return parse_time(raw)
        except ValueError:
            log.warning("event %s: %s %r is not a time", event.id, spec.due_field, raw)
            return None

    def _meet(self, conn: Connection, spec: Deadline, event: CloudEvent) -> None:
        key = _text(event, spec.key)
        if key is None:
            return
        conn.execute(
            deadlines.update()
            .where(
                deadlines.c.deadline_id == _deadline_id(spec.kind, key),
                deadlines.c.status == "pending",
                deadlines.c.due >= event.time,
            )
            .values(status="met", settled_by=event.id)
        )

    def _hand_over(self, conn: Connection, spec: Deadline, event: CloudEvent) -> None:
        key, to = _text(event, spec.key), _text(event, spec.handover_to)
        if key is None or to is None:
            return
        conn.execute(
            deadlines.update()
            .where(
                deadlines.c.deadline_id == _deadline_id(spec.kind, key),
                deadlines.c.status == "pending",
            )
            .values(employee_id=to)
        )

    def sweep(self, conn: Connection) -> list[CloudEvent]:
        """Mark missed every pending deadline its stream's stored watermark has passed."""
        missed = []
        for row in conn.execute(select(watermarks).order_by(watermarks.c.name)).all():
            missed += self._sweep(conn, row.name, row.time)
        return missed

    def _sweep(self, conn: Connection, stream: str, now: datetime) -> list[CloudEvent]:
        due = conn.execute(
            select(deadlines)
            .where(
                deadlines.c.stream == stream,
                deadlines.c.status == "pending",
                deadlines.c.due < now,
            )
            .order_by(deadlines.c.due, deadlines.c.deadline_id)
        ).all()
        missed = []
        for row in due:
            made = _missed_event(row, now)
            marked = conn.execute(
                deadlines.update()
                .where(deadlines.c.deadline_id == row.deadline_id, deadlines.c.status == "pending")
                .values(status="missed", settled_by=made.id)
            )
            if marked.rowcount:
                missed.append(made)
        return missed


def _missed_event(row: Any, now: datetime) -> CloudEvent:
    return CloudEvent(
        id=str(uuid.uuid5(NAMESPACE, f"missed|{row.deadline_id}")),
        type=DEADLINE_MISSED,
        source=SOURCE,
        subject=row.employee_id,
        time=row.due,
        data={
            "ticket_id": row.ticket_id,
            "key": row.key,
            "deadline": row.kind,
            "due": format_time(row.due),
            "agent_id": row.employee_id,
            "started_by": row.started_by,
            "noticed_at": format_time(now),
        },
    )
