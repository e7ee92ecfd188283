"""Deadlines in event time: started, met or missed as the events' own timestamps say.

Each input stream (topic:partition: Kafka keeps order within one, and ticket events are keyed
by ticket) has a watermark, the largest event time judged from it so far. When the watermark
of the stream a deadline started on passes its due time, a `warden.compliance.deadline.missed`
event is made (its id derives from the deadline, so it is made once) and judged like any other
event. A stream's watermark is not moved by other streams, so a producer replaying last
month on one partition is not judged by another partition's "now". All state is in the
database: a deadline that passed while the service was down is found when the next event of
its stream arrives.

A shadow rule version whose deadline differs from the active version's (another duration,
another starting event) has its deadlines tracked apart (`shadow_tracked`): rows of kind
`<kind>~shadow`, whose missed events carry `data.track: shadow` and are judged by such shadow
versions only (judging.RuleSet), so a shadow version's findings rest on its own due times."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, select

from warden.compliance.domain.findings import NAMESPACE, lookup, stable_id
from warden.compliance.domain.specs import Deadline
from warden.compliance.judging.deadline_rows import Ledger, Rows
from warden.compliance.judging.state import deadlines, watermarks
from warden.compliance.storage.row_values import in_chunks
from warden.contract.compliance import DEADLINE_MISSED, SOURCE
from warden.platform.cloudevents import CloudEvent, format_time, parse_time

log = logging.getLogger(__name__)

MAIN_TRACK = "main"  # the deadlines of the active rule versions (or of the only version)
SHADOW_TRACK = "shadow"  # those of shadow versions whose deadline differs from the active one
_TRACK_MARK = "~"  # between a kind and its track in a row's kind (rule files cannot use it)


def shadow_tracked(spec: Deadline) -> Deadline:
    """`spec` tracked apart from the active version's deadline of the same kind."""
    return dataclasses.replace(spec, kind=f"{spec.kind}{_TRACK_MARK}{SHADOW_TRACK}")


def kind_and_track(kind: str) -> tuple[str, str]:
    """A row's kind as the rule files name it, and its track."""
    base, _, track = kind.partition(_TRACK_MARK)
    return base, track or MAIN_TRACK


def _text(event: dict[str, Any], path: str) -> str | None:
    try:
        value = lookup(event, path)
    except KeyError:
        return None
    return None if value is None else str(value)


# Built once: the same statement objects keep their cache keys and compiled SQL.
_DUE = (
    select(deadlines)
    .where(
        deadlines.c.stream == bindparam("stream"),
        deadlines.c.status == "pending",
        deadlines.c.due < bindparam("now"),
    )
    .order_by(deadlines.c.due, deadlines.c.deadline_id)
)
# The streams among `streams` with a pending deadline due before `moment`: one index range per
# stream (ix_rule_deadlines_sweep).
_QUIET_DUE = (
    select(deadlines.c.stream)
    .where(
        deadlines.c.stream.in_(bindparam("streams", expanding=True)),
        deadlines.c.status == "pending",
        deadlines.c.due < bindparam("moment"),
    )
    .distinct()
)
_RAISE_WATERMARK = (
    watermarks.update()
    .where(watermarks.c.name == bindparam("stream"), watermarks.c.time < bindparam("moment"))
    .values(time=bindparam("moment"))
)


def _deadline_id(kind: str, key: str) -> str:
    return stable_id(f"deadline|{kind}|{key}")


class DeadlineBook:
    """The deadlines the rule files declare, applied to each event in one transaction."""

    def __init__(self, specs: Iterable[Deadline]) -> None:
        self.specs = list(specs)

    def expect(self, ledger: Ledger, payloads: Iterable[dict[str, Any]]) -> None:
        """Read at once the rows of the deadlines these events (CloudEvent dicts) start."""
        ids = []
        for payload in payloads:
            for spec in self.specs:
                if payload["type"] == spec.starts and (key := _text(payload, spec.key)):
                    ids.append(_deadline_id(spec.kind, key))
        ledger.rows.expect(ids)

    def track(
        self,
        conn: Connection,
        event: CloudEvent,
        stream: str,
        marks: Ledger | None = None,
        payload: dict[str, Any] | None = None,
    ) -> list[CloudEvent]:
        """Apply `event` (read from `stream`; `payload`: its dict, if made already) to the
        deadlines, advance that stream's watermark (in `marks`, written by the caller; without
        it, written here), and return the missed-deadline events this made due (oldest
        first)."""
        own = marks is None
        marks = Ledger(conn) if marks is None else marks
        payload = event.to_dict() if payload is None else payload
        for spec in self.specs:
            if event.type == spec.starts:
                self._start(spec, event, payload, stream, marks)
            if event.type in spec.met_by:
                self._meet(marks.rows, spec, event, payload)
            if spec.handover and event.type == spec.handover:
                self._hand_over(marks.rows, spec, payload)
        now = marks.advance(stream, event.time)
        missed = []
        if marks.may_be_due(stream, now):
            missed = self._sweep(conn, marks.rows, stream, now)
            marks.swept(stream)
        if own:
            marks.write()
        return missed

    def _start(
        self,
        spec: Deadline,
        event: CloudEvent,
        payload: dict[str, Any],
        stream: str,
        marks: Ledger,
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
            "started_by_source": event.source,
            "stream": stream,
        }
        known = marks.rows.status(deadline_id)
        if known is None:
            marks.rows.insert(deadline_id, values)
        elif known[0] == "pending":
            marks.rows.restart(deadline_id, values)
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

    def _meet(self, rows: Rows, spec: Deadline, event: CloudEvent, payload: dict[str, Any]) -> None:
        key = _text(payload, spec.key)
        if key is None:
            return
        rows.meet(_deadline_id(spec.kind, key), event.time, (event.source, event.id))

    def _hand_over(self, rows: Rows, spec: Deadline, payload: dict[str, Any]) -> None:
        key, to = _text(payload, spec.key), _text(payload, spec.handover_to)
        if key is None or to is None:
            return
        rows.hand_over(_deadline_id(spec.kind, key), to)

    def sweep(self, conn: Connection) -> list[CloudEvent]:
        """Mark missed every pending deadline its stream's stored watermark has passed."""
        missed = []
        rows = Rows(conn)
        for row in conn.execute(select(watermarks).order_by(watermarks.c.name)).all():
            missed += self._sweep(conn, rows, row.name, row.time)
        return missed

    def pass_time(
        self, conn: Connection, streams: Iterable[str], moment: datetime
    ) -> list[CloudEvent]:
        """The streams are known complete up to `moment` (quiet partitions a consumer has read
        to their end; the caller decides): raise the watermark of those with a pending
        deadline due before it to `moment`, never lowering one, and mark those deadlines
        missed. Streams with nothing due are not written."""
        names = sorted(set(streams))
        quiet: list[str] = []
        for chunk in in_chunks(names):
            quiet += conn.execute(_QUIET_DUE, {"streams": chunk, "moment": moment}).scalars()
        missed = []
        rows = Rows(conn)
        for stream in sorted(quiet):
            conn.execute(_RAISE_WATERMARK, {"stream": stream, "moment": moment})
            log.info(
                "stream %s is complete up to %s by the clock: deadlines due judged",
                stream,
                format_time(moment),
            )
            missed += self._sweep(conn, rows, stream, moment)
        return missed

    def _sweep(self, conn: Connection, rows: Rows, stream: str, now: datetime) -> list[CloudEvent]:
        missed = []
        rows.flush()
        found = conn.execute(_DUE, {"stream": stream, "now": now})
        due = [(row.deadline_id, _missed_event(row, now)) for row in found]
        if due:
            marked = rows.mark_missed({deadline_id: made.id for deadline_id, made in due})
            missed = [made for deadline_id, made in due if deadline_id in marked]
        return missed


def _missed_event(row: Any, now: datetime) -> CloudEvent:
    kind, track = kind_and_track(row.kind)
    return CloudEvent(
        id=str(uuid.uuid5(NAMESPACE, f"missed|{row.deadline_id}")),
        type=DEADLINE_MISSED,
        source=SOURCE,
        subject=row.employee_id,
        time=row.due,
        data={
            "ticket_id": row.ticket_id,
            "key": row.key,
            "deadline": kind,
            "due": format_time(row.due),
            "agent_id": row.employee_id,
            "started_by": row.started_by,
            # "" for a deadline started before sources were kept: the evidence is then looked
            # up by id alone.
            "started_by_source": row.started_by_source or "",
            "noticed_at": format_time(now),
            "track": track,
        },
    )
