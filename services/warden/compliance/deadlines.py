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

from sqlalchemy import Connection, bindparam, func, select

from warden.compliance.domain.findings import NAMESPACE, lookup
from warden.compliance.domain.specs import Deadline
from warden.compliance.state import deadlines, watermarks
from warden.contract.compliance import DEADLINE_MISSED, SOURCE
from warden.platform.cloudevents import CloudEvent, format_time, parse_time

log = logging.getLogger(__name__)


def _text(event: dict[str, Any], path: str) -> str | None:
    try:
        value = lookup(event, path)
    except KeyError:
        return None
    return None if value is None else str(value)


# Built once and executed with parameters: the same statement objects keep their cache keys
# and compiled SQL, where building them per event cost more than executing them.
_WATERMARK = select(watermarks.c.time).where(watermarks.c.name == bindparam("stream"))
_INSERT_WATERMARK = watermarks.insert()
_ADVANCE_WATERMARK = (
    watermarks.update()
    .where(watermarks.c.name == bindparam("stream"))
    .values(time=bindparam("moment"), events=watermarks.c.events + bindparam("judged"))
)
_STATUS = select(deadlines.c.status).where(deadlines.c.deadline_id == bindparam("id"))
_INSERT_DEADLINE = deadlines.insert()
_RESTART = (
    deadlines.update()
    .where(deadlines.c.deadline_id == bindparam("id"))
    .values(
        {
            **{
                c: bindparam(f"new_{c}")
                for c in ("kind", "key", "ticket_id", "employee_id", "due", "started_by", "stream")
            },
            "status": "pending",
            "settled_by": None,
        }
    )
)
_MEET = (
    deadlines.update()
    .where(
        deadlines.c.deadline_id == bindparam("id"),
        deadlines.c.status == "pending",
        deadlines.c.due >= bindparam("at"),
    )
    .values(status="met", settled_by=bindparam("by"))
)
_HAND_OVER = (
    deadlines.update()
    .where(deadlines.c.deadline_id == bindparam("id"), deadlines.c.status == "pending")
    .values(employee_id=bindparam("to"))
)
_DUE = (
    select(deadlines)
    .where(
        deadlines.c.stream == bindparam("stream"),
        deadlines.c.status == "pending",
        deadlines.c.due < bindparam("now"),
    )
    .order_by(deadlines.c.due, deadlines.c.deadline_id)
)
_EARLIEST_PENDING = select(func.min(deadlines.c.due)).where(
    deadlines.c.stream == bindparam("stream"), deadlines.c.status == "pending"
)
_MARK_MISSED = (
    deadlines.update()
    .where(deadlines.c.deadline_id == bindparam("id"), deadlines.c.status == "pending")
    .values(status="missed", settled_by=bindparam("by"))
)


def watermark(conn: Connection, stream: str) -> datetime | None:
    row = conn.execute(_WATERMARK, {"stream": stream}).first()
    return row.time if row else None


class Watermarks:
    """The stream watermarks of one judging transaction: each stream's read at most once,
    advanced in memory event by event (so every event is swept with exactly the watermark
    it would have had alone), and written once per stream by `write` before the commit; and
    per stream a lower bound of its pending deadlines' due times, so most events need no
    sweep query."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._stored: dict[str, datetime | None] = {}
        self._current: dict[str, datetime] = {}
        self._judged: dict[str, int] = {}
        self._earliest: dict[str, datetime | None] = {}

    def advance(self, stream: str, moment: datetime) -> datetime:
        """The stream's watermark after an event of `moment`: the largest event time so far."""
        if stream not in self._stored:
            stored = watermark(self.conn, stream)
            self._stored[stream] = stored
            if stored is not None:
                self._current[stream] = stored
        latest = max(self._current.get(stream, moment), moment)
        self._current[stream] = latest
        self._judged[stream] = self._judged.get(stream, 0) + 1
        return latest

    def may_be_due(self, stream: str, now: datetime) -> bool:
        """False when no pending deadline of the stream can be due before `now`: the sweep's
        query is then skipped. Kept as a lower bound of the stream's pending due times (read
        once, lowered by each deadline started here, read again after each sweep), so it may
        say True needlessly, never False wrongly."""
        if stream not in self._earliest:
            row = self.conn.execute(_EARLIEST_PENDING, {"stream": stream}).first()
            self._earliest[stream] = row[0] if row else None
        earliest = self._earliest[stream]
        return earliest is not None and earliest < now

    def started(self, stream: str, due: datetime) -> None:
        """A deadline of the stream is pending until `due` (lowers the bound, if read)."""
        if stream in self._earliest:
            earliest = self._earliest[stream]
            self._earliest[stream] = due if earliest is None else min(earliest, due)

    def swept(self, stream: str) -> None:
        """The stream was swept: its earliest pending due time is read again when needed."""
        self._earliest.pop(stream, None)

    def write(self) -> None:
        for stream, judged in self._judged.items():
            moment = self._current[stream]
            if self._stored[stream] is None:
                self.conn.execute(
                    _INSERT_WATERMARK, {"name": stream, "time": moment, "events": judged}
                )
            else:
                self.conn.execute(
                    _ADVANCE_WATERMARK, {"stream": stream, "moment": moment, "judged": judged}
                )
            self._stored[stream] = moment
        self._judged.clear()


def _deadline_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"deadline|{kind}|{key}"))


class DeadlineBook:
    """The deadlines the rule files declare, applied to each event in one transaction."""

    def __init__(self, specs: Iterable[Deadline]) -> None:
        self.specs = list(specs)

    def track(
        self,
        conn: Connection,
        event: CloudEvent,
        stream: str,
        marks: Watermarks | None = None,
    ) -> list[CloudEvent]:
        """Apply `event` (read from `stream`) to the deadlines, advance that stream's watermark
        (in `marks`, written by the caller; without it, written here), and return the
        missed-deadline events this made due (oldest first)."""
        own = marks is None
        marks = Watermarks(conn) if marks is None else marks
        payload = event.to_dict()
        for spec in self.specs:
            if event.type == spec.starts:
                self._start(conn, spec, event, payload, stream, marks)
            if event.type in spec.met_by:
                self._meet(conn, spec, event, payload)
            if spec.handover and event.type == spec.handover:
                self._hand_over(conn, spec, payload)
        now = marks.advance(stream, event.time)
        missed = []
        if marks.may_be_due(stream, now):
            missed = self._sweep(conn, stream, now)
            marks.swept(stream)
        if own:
            marks.write()
        return missed

    def _start(
        self,
        conn: Connection,
        spec: Deadline,
        event: CloudEvent,
        payload: dict[str, Any],
        stream: str,
        marks: Watermarks,
    ) -> None:
        key = _text(payload, spec.key)
        employee = _text(payload, spec.employee) or event.subject
        if key is None:
            log.warning("event %s lacks %s: deadline %s not started", event.id, spec.key, spec.kind)
            return
        due = self._due(spec, event, payload)
        if due is None:
            return
        deadline_id = _deadline_id(spec.kind, key)
        values = {
            "kind": spec.kind,
            "key": key,
            "ticket_id": _text(payload, "data.ticket_id") or key,
            "employee_id": employee,
            "due": due,
            "started_by": event.id,
            "stream": stream,
        }
        row = conn.execute(_STATUS, {"id": deadline_id}).first()
        if row is None:
            conn.execute(
                _INSERT_DEADLINE,
                {"deadline_id": deadline_id, "status": "pending", "settled_by": None, **values},
            )
        elif row.status == "pending":
            restart = {f"new_{name}": value for name, value in values.items()}
            conn.execute(_RESTART, {"id": deadline_id, **restart})
        else:
            return
        marks.started(stream, due)

    def _due(self, spec: Deadline, event: CloudEvent, payload: dict[str, Any]) -> datetime | None:
        if not spec.due_field:
            return event.time + timedelta(seconds=spec.due_after_s)
        raw = _text(payload, spec.due_field)
        if raw is None:
            return None
        try:
            return parse_time(raw)
        except ValueError:
            log.warning("event %s: %s %r is not a time", event.id, spec.due_field, raw)
            return None

    def _meet(
        self, conn: Connection, spec: Deadline, event: CloudEvent, payload: dict[str, Any]
    ) -> None:
        key = _text(payload, spec.key)
        if key is None:
            return
        conn.execute(_MEET, {"id": _deadline_id(spec.kind, key), "at": event.time, "by": event.id})

    def _hand_over(self, conn: Connection, spec: Deadline, payload: dict[str, Any]) -> None:
        key, to = _text(payload, spec.key), _text(payload, spec.handover_to)
        if key is None or to is None:
            return
        conn.execute(_HAND_OVER, {"id": _deadline_id(spec.kind, key), "to": to})

    def sweep(self, conn: Connection) -> list[CloudEvent]:
        """Mark missed every pending deadline its stream's stored watermark has passed."""
        missed = []
        for row in conn.execute(select(watermarks).order_by(watermarks.c.name)).all():
            missed += self._sweep(conn, row.name, row.time)
        return missed

    def _sweep(self, conn: Connection, stream: str, now: datetime) -> list[CloudEvent]:
        missed = []
        for row in conn.execute(_DUE, {"stream": stream, "now": now}).all():
            made = _missed_event(row, now)
            marked = conn.execute(_MARK_MISSED, {"id": row.deadline_id, "by": made.id})
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
