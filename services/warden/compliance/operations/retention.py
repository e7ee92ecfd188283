"""The compliance database's retention: the horizon checked against what judging looks back
on, and the purges of the inbox and the stored events, which keep what is still needed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, literal, select, tuple_

from warden.compliance.domain.findings import Rule
from warden.compliance.domain.ladder import Ladder
from warden.compliance.judging import state
from warden.compliance.rule_testing.backtest import warm_up
from warden.compliance.storage import row_values, schema
from warden.platform.retention import Purge


class HorizonTooShort(ValueError):
    """The retention horizon would purge events that judging still looks back on."""


def check_horizon(horizon: timedelta, rules: Iterable[Rule], ladder: Ladder) -> None:
    """HorizonTooShort unless `horizon` is longer than every rule's look-back (window,
    correlation or deadline: `backtest.warm_up`) and the sanction ladder's, naming the
    longest."""
    needs = [(warm_up([rule]), f"rule {rule.rule_id} v{rule.version}") for rule in rules]
    needs.append((timedelta(days=ladder.lookback_days), "the sanction ladder's lookback_days"))
    longest = max(span for span, _ in needs)
    if horizon <= longest:
        named = sorted({what for span, what in needs if span == longest})
        raise HorizonTooShort(
            f"WARDEN_RETENTION_DAYS={_days(horizon)} is too short: judging looks back "
            f"{_days(longest)} days ({', '.join(named)}), and the horizon must be longer "
            "(or 0: keep everything)"
        )


def _days(span: timedelta) -> str:
    return f"{span.total_seconds() / 86_400:g}"


# Events a pending deadline started, or a held judgement waits on: still to be judged.
_HELD = select(state.held.c.event_id)
_PENDING = select(state.deadlines.c.started_by).where(state.deadlines.c.status == "pending")


def purge_inbox(conn: Connection, cutoff: datetime, size: int, cursor: Any) -> tuple[int, Any]:
    """Inbox rows received before the cutoff, oldest first (received_at is indexed), but
    those of events still held or starting a pending deadline (their positions are read when
    they are judged). The rows kept are passed over by the cursor (received_at, id, source)."""
    inbox = schema.inbox
    old = (
        (inbox.c.received_at < cutoff)
        & inbox.c.event_id.not_in(_HELD)
        & inbox.c.event_id.not_in(_PENDING)
    )
    order = (inbox.c.received_at, inbox.c.event_id, inbox.c.source)
    query = select(*order).where(inbox.c.received_at < cutoff)
    if cursor is not None:
        after = tuple_(*(literal(v, c.type) for v, c in zip(cursor, order, strict=True)))
        query = query.where(tuple_(*order) > after)
    rows = conn.execute(query.order_by(*order).limit(size)).all()
    ids = sorted({row.event_id for row in rows})
    deleted = 0
    for chunk in row_values.in_chunks(ids):
        deleted += conn.execute(delete(inbox).where(old & inbox.c.event_id.in_(chunk))).rowcount
    return deleted, (tuple(rows[-1]) if len(rows) == size else None)


def purge_events() -> Purge:
    """Stored events older than the cutoff (by their time, which is indexed), oldest first,
    but those still needed: held for other partitions, starting a pending deadline, or the
    evidence of a finding (a case shows its events for as long as it is kept; shadow
    findings too). The evidence is read once per run, at its first batch; the rows kept are
    passed over by the cursor (time, event id)."""
    evidence: set[str] = set()

    def purge(conn: Connection, cutoff: datetime, size: int, cursor: Any) -> tuple[int, Any]:
        events = schema.events
        if cursor is None:
            evidence.clear()
            evidence.update(_evidence(conn))
        old = (
            (events.c.time < cutoff)
            & events.c.event_id.not_in(_HELD)
            & events.c.event_id.not_in(_PENDING)
        )
        query = select(events.c.time, events.c.event_id).where(old)
        if cursor is not None:
            after = tuple_(
                literal(cursor[0], events.c.time.type), literal(cursor[1], events.c.event_id.type)
            )
            query = query.where(tuple_(events.c.time, events.c.event_id) > after)
        rows = conn.execute(query.order_by(events.c.time, events.c.event_id).limit(size)).all()
        ids = [row.event_id for row in rows if row.event_id not in evidence]
        for chunk in row_values.in_chunks(ids):
            conn.execute(delete(events).where(old & events.c.event_id.in_(chunk)))
        last = (rows[-1].time, rows[-1].event_id) if len(rows) == size else None
        return len(ids), last

    return purge


def _evidence(conn: Connection) -> set[str]:
    found: set[str] = set()
    for table in (schema.findings, schema.shadow_findings):
        for text in conn.execute(select(table.c.event_ids)).scalars():
            found.update(json.loads(text))
    return found
