"""One judging transaction's unit of work (`judging/unit_of_work.py` `JudgingUnit`), on a real
database: the input events' inbox rows are claimed at once (a second claim of the same event
conflicts), everything else is buffered and written by `write` alone, and the stored events it
buffers are read back by the transaction's stateful rules before they are written, whether
the rules read before or after they were stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from tests.integration.compliance.conftest import FreshDb
from warden.compliance.judging.rule_set import RuleSet
from warden.compliance.judging.state import held
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC, JudgingUnit
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 27, 12, tzinfo=UTC)


def event(event_id: str, minutes: int, kind: str = "t.read") -> CloudEvent:
    return CloudEvent(
        type=kind,
        source="/test",
        subject="alice",
        data={"n": minutes},
        id=event_id,
        time=T0 + timedelta(minutes=minutes),
    )


def unit(conn: Connection) -> JudgingUnit:
    return JudgingUnit(conn, RuleSet(RuleEngine([])), lambda: RECEIVED)


def count(conn: Connection, table: object) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[call-overload]


def stored_ids(tx: JudgingUnit, minutes: int = 120) -> list[str]:
    window = (T0, T0 + timedelta(minutes=minutes))
    return [p["id"] for p in tx.stored.between(("t.read",), *window)]


def test_inbox_rows_are_claimed_at_once_and_the_rest_written_by_write_alone(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    first, second, missed = event("ev-1", 1), event("ev-2", 2), event("ev-missed", 3, "t.missed")
    with engine.begin() as conn:
        tx = unit(conn)
        tx.expect([first, second], ["t:0"])
        tx.claim([(first, "t", 0, 10), (second, "t", 0, 11)])
        assert count(conn, schema.inbox) == 2
        tx.store(first, first.to_dict())
        tx.store(second)
        tx.record_made(missed)
        tx.hold(second, "t:0", 11)
        assert count(conn, schema.events) == 0
        assert count(conn, schema.inbox) == 2
        assert count(conn, held) == 0
        tx.write()
        assert count(conn, schema.events) == 3
        assert count(conn, held) == 1
        rows = conn.execute(select(schema.inbox.c.event_id, schema.inbox.c.topic)).all()
        assert sorted(rows) == [("ev-1", "t"), ("ev-2", "t"), ("ev-missed", INTERNAL_TOPIC)]
        received = conn.execute(select(schema.inbox.c.received_at).distinct()).scalars().all()
        assert [at.replace(tzinfo=UTC) for at in received] == [RECEIVED]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        unit(conn).claim([(first, "t", 0, 10)])  # a second judge of the same event


def test_stored_events_are_read_back_before_they_are_written(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    with engine.begin() as conn:
        tx = unit(conn)
        tx.expect([event("ev-1", 1), event("ev-3", 30)])
        tx.store(event("ev-1", 1))
        assert stored_ids(tx) == ["ev-1"]  # read with the buffered row
        tx.store(event("ev-3", 30))
        tx.store(event("ev-2", 20))
        assert stored_ids(tx) == ["ev-1", "ev-2", "ev-3"]  # added in place after the read
        assert tx.stored.reads == 1
        tx.flush_events()
        assert count(conn, schema.events) == 3
        tx.store(event("ev-4", 40))
        assert stored_ids(tx) == ["ev-1", "ev-2", "ev-3", "ev-4"]  # written and buffered alike
        assert stored_ids(tx, minutes=600) == ["ev-1", "ev-2", "ev-3", "ev-4"]  # a wider read
        tx.write()
        assert count(conn, schema.events) == 4  # each written once
