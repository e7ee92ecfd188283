"""The deadline state one judging transaction writes: the deadline rows (`Rows`, sent in
bulk, in stages that keep each deadline's own writes in order) and the stream watermarks with
a lower bound of each stream's pending due times (`Ledger`). What the deadlines are and when
one is missed is deadlines.py's."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, literal, select, union_all

from warden.compliance.judging.state import deadlines, watermarks
from warden.compliance.storage.row_values import in_chunks
from warden.contract.compliance import SOURCE

# Built once and executed with parameters: the same statement objects keep their cache keys
# and compiled SQL, where building them per event cost more than executing them.
_WATERMARK = select(watermarks.c.time).where(watermarks.c.name == bindparam("stream"))
_WATERMARKS = select(watermarks.c.name, watermarks.c.time).where(
    watermarks.c.name.in_(bindparam("streams", expanding=True))
)
_INSERT_WATERMARK = watermarks.insert()
_ADVANCE_WATERMARK = (
    watermarks.update()
    .where(watermarks.c.name == bindparam("stream"))
    .values(time=bindparam("moment"), events=watermarks.c.events + bindparam("judged"))
)
_STATUSES = select(deadlines.c.deadline_id, deadlines.c.status, deadlines.c.due).where(
    deadlines.c.deadline_id.in_(bindparam("ids", expanding=True))
)
_INSERT_DEADLINE = deadlines.insert()
_RESTART = (
    deadlines.update()
    .where(deadlines.c.deadline_id == bindparam("id"))
    .values(
        {
            **{
                c: bindparam(f"new_{c}")
                for c in (
                    "kind",
                    "key",
                    "ticket_id",
                    "employee_id",
                    "due",
                    "started_by",
                    "started_by_source",
                    "stream",
                )
            },
            "status": "pending",
            "settled_by": None,
            "settled_by_source": None,
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
    .values(status="met", settled_by=bindparam("by"), settled_by_source=bindparam("by_source"))
)
_HAND_OVER = (
    deadlines.update()
    .where(deadlines.c.deadline_id == bindparam("id"), deadlines.c.status == "pending")
    .values(employee_id=bindparam("to"))
)
_EARLIEST_PENDING = select(func.min(deadlines.c.due)).where(
    deadlines.c.stream == bindparam("stream"), deadlines.c.status == "pending"
)


@functools.lru_cache(maxsize=64)
def _earliest_pending_of(count: int) -> Any:
    """The earliest pending due time of `count` streams (s0, s1, ...) in one statement: a
    UNION ALL of the one-stream query, each an index lookup (a GROUP BY would read every
    pending deadline of the streams). Built once per count: building it per transaction cost
    more than running it."""
    return union_all(
        *(
            select(
                literal(i).label("n"),
                select(func.min(deadlines.c.due))
                .where(deadlines.c.stream == bindparam(f"s{i}"), deadlines.c.status == "pending")
                .scalar_subquery()
                .label("due"),
            )
            for i in range(count)
        )
    )


def _mark_missed(settled_by: dict[str, str]) -> Any:
    """Mark the pending ones of these deadlines missed, each settled by its own event, in one
    statement returning the ids it marked (one that is no longer pending is left alone)."""
    return (
        deadlines.update()
        .where(
            deadlines.c.deadline_id.in_(list(settled_by)),
            deadlines.c.status == "pending",
        )
        .values(
            status="missed",
            settled_by=case(settled_by, value=deadlines.c.deadline_id),
            settled_by_source=SOURCE,
        )
        .returning(deadlines.c.deadline_id)
    )


def watermark(conn: Connection, stream: str) -> datetime | None:
    row = conn.execute(_WATERMARK, {"stream": stream}).first()
    return row.time if row else None


class Rows:
    """The deadline rows one judging transaction writes, sent with one executemany per
    statement and stage instead of one statement per write. Each write touches one deadline's
    row, so only each deadline's own writes must keep their order: a write goes to the stage
    of its deadline's previous write when it is the same statement, else to the next stage,
    and the stages are sent in order. They are sent (`flush`) before the table is read and
    at the end. The status and due time of the deadlines the transaction starts are read
    together (`expect`) and kept up to date in memory as each write would change them, so
    starting a deadline reads nothing."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.statements = 0  # sent to the database so far
        self._known: dict[str, tuple[str, datetime] | None] = {}  # id -> (status, due) | no row
        self._stages: list[dict[Any, list[dict[str, Any]]]] = []
        self._last: dict[str, tuple[int, Any]] = {}  # deadline id -> (stage, statement)

    def expect(self, ids: Iterable[str]) -> None:
        """Read the status of deadlines about to be started, in one query per 500."""
        wanted = sorted({i for i in ids if i not in self._known})
        if not wanted:
            return
        self.flush()
        for deadline_id in wanted:
            self._known[deadline_id] = None
        for chunk in in_chunks(wanted):
            for row in self.conn.execute(_STATUSES, {"ids": chunk}):
                self._known[row.deadline_id] = (row.status, row.due)
            self.statements += 1

    def status(self, deadline_id: str) -> tuple[str, datetime] | None:
        """The deadline's (status, due), None when it has no row."""
        if deadline_id not in self._known:
            self.expect([deadline_id])
        return self._known[deadline_id]

    def insert(self, deadline_id: str, values: dict[str, Any]) -> None:
        row = {
            "deadline_id": deadline_id,
            "status": "pending",
            "settled_by": None,
            "settled_by_source": None,
            **values,
        }
        self._write(deadline_id, _INSERT_DEADLINE, row)
        self._known[deadline_id] = ("pending", values["due"])

    def restart(self, deadline_id: str, values: dict[str, Any]) -> None:
        restart = {f"new_{name}": value for name, value in values.items()}
        self._write(deadline_id, _RESTART, {"id": deadline_id, **restart})
        self._known[deadline_id] = ("pending", values["due"])

    def meet(self, deadline_id: str, at: datetime, by: tuple[str, str]) -> None:
        """Met at `at` by the event `by`, (source, id), if still pending and due after it."""
        params = {"id": deadline_id, "at": at, "by": by[1], "by_source": by[0]}
        self._write(deadline_id, _MEET, params)
        known = self._known.get(deadline_id)
        if known is not None and known[0] == "pending" and known[1] >= at:
            self._known[deadline_id] = ("met", known[1])

    def hand_over(self, deadline_id: str, to: str) -> None:
        self._write(deadline_id, _HAND_OVER, {"id": deadline_id, "to": to})

    def mark_missed(self, settled_by: dict[str, str]) -> set[str]:
        """Mark these deadlines (id -> the event settling it) missed now, those still
        pending: their ids are returned."""
        self.flush()
        marked: set[str] = set()
        items = list(settled_by.items())
        for chunk in in_chunks(items):
            marked.update(self.conn.execute(_mark_missed(dict(chunk))).scalars())
            self.statements += 1
        for deadline_id in marked:
            known = self._known.get(deadline_id)
            if known is not None:
                self._known[deadline_id] = ("missed", known[1])
        return marked

    def _write(self, deadline_id: str, statement: Any, params: dict[str, Any]) -> None:
        stage, previous = self._last.get(deadline_id, (-1, None))
        if previous is not statement:
            stage += 1
        if stage == len(self._stages):
            self._stages.append({})
        self._stages[stage].setdefault(statement, []).append(params)
        self._last[deadline_id] = (stage, statement)

    def flush(self) -> None:
        for stage in self._stages:
            for statement, params in stage.items():
                self.conn.execute(statement, params)
                self.statements += 1
        self._stages = []
        self._last = {}


class Ledger:
    """The deadline state of one judging transaction: its deadline rows (`rows`, written in
    bulk); the stream watermarks, each stream's read at most once, advanced in memory event
    by event (so every event is swept with exactly the watermark it would have had alone),
    and written once per stream by `write` before the commit; and per stream a lower bound
    of its pending deadlines' due times, so most events need no sweep query."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows = Rows(conn)
        self._stored: dict[str, datetime | None] = {}
        self._current: dict[str, datetime] = {}
        self._judged: dict[str, int] = {}
        self._earliest: dict[str, datetime | None] = {}

    def expect(self, streams: Iterable[str]) -> None:
        """Read the watermarks and earliest pending due times of the streams this transaction
        will judge, in two statements (before any deadline write, so nothing waits to be
        sent), where reading them stream by stream took two statements a stream."""
        wanted = sorted(s for s in set(streams) if s not in self._stored)
        if not wanted:
            return
        for stream in wanted:
            self._stored[stream] = None
        for row in self.conn.execute(_WATERMARKS, {"streams": wanted}):
            self._stored[row.name] = row.time
            self._current[row.name] = row.time
        self.rows.flush()
        params = {f"s{i}": stream for i, stream in enumerate(wanted)}
        for row in self.conn.execute(_earliest_pending_of(len(wanted)), params):
            self._earliest[wanted[row.n]] = row.due

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
            self.rows.flush()
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
        """Send the deadline rows and the watermarks (one statement for the new, one for the
        advanced)."""
        self.rows.flush()
        new, advanced = [], []
        for stream, judged in sorted(self._judged.items()):
            moment = self._current[stream]
            if self._stored[stream] is None:
                new.append({"name": stream, "time": moment, "events": judged})
            else:
                advanced.append({"stream": stream, "moment": moment, "judged": judged})
            self._stored[stream] = moment
        if new:
            self.conn.execute(_INSERT_WATERMARK, new)
        if advanced:
            self.conn.execute(_ADVANCE_WATERMARK, advanced)
        self._judged.clear()
