"""The deadline rows of one judging transaction, written in bulk (`deadline_rows.Rows`), on a
real database: several writes to one deadline keep their order (a meet after a hand-over,
a hand-over after a restart), writes to different deadlines share
statements, every write is in the table before it is read, and the status kept in memory is
what the table says; a transaction reads its streams' watermarks and earliest pending due
times in two statements and writes the watermarks in two."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from tests.integration.compliance.conftest import FreshDb
from warden.compliance.judging.deadline_rows import Ledger, Rows
from warden.compliance.judging.state import deadlines, watermarks

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def values(key: str, due: datetime, employee: str = "ann") -> dict[str, object]:
    return {
        "kind": "first_response",
        "key": key,
        "ticket_id": key,
        "employee_id": employee,
        "due": due,
        "started_by": f"start-{key}",
        "started_by_source": "/desk",
        "stream": "warden.aftersales.events:0",
    }


def table(conn: object) -> dict[str, tuple[str, str, datetime]]:
    rows = conn.execute(select(deadlines)).all()  # type: ignore[attr-defined]
    return {r.deadline_id: (r.status, r.employee_id, r.due) for r in rows}


def test_writes_keep_each_deadlines_order_and_share_statements(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    with engine.begin() as conn:
        rows = Rows(conn)
        rows.expect(["d1", "d2", "d3"])
        assert [rows.status(i) for i in ("d1", "d2", "d3")] == [None, None, None]
        assert rows.statements == 1

        for n in (1, 2, 3):
            rows.insert(f"d{n}", values(f"T-{n}", T0 + timedelta(hours=1)))
        rows.hand_over("d1", "bob")
        rows.meet("d1", T0 + timedelta(minutes=30), ("/desk", "reply-1"))  # in time: met
        rows.meet("d2", T0 + timedelta(hours=2), ("/desk", "reply-2"))  # too late: stays pending
        rows.hand_over("d2", "carl")
        rows.restart("d2", values("T-2", T0 + timedelta(hours=5)))  # pending: restarted
        rows.hand_over("d2", "dora")  # after the restart: applies to it
        assert rows.status("d1") == ("met", T0 + timedelta(hours=1))
        assert rows.status("d2") == ("pending", T0 + timedelta(hours=5))
        assert rows.statements == 1  # nothing sent yet

        rows.flush()
        # A write joins its deadline's previous stage when it is the same statement, else the
        # next: stage 0 the three inserts; 1 d1's hand-over and d2's meet; 2 d1's meet and
        # d2's hand-over; 3 d2's restart; 4 its hand-over. 7 statements for the 9 writes,
        # after the one read.
        assert rows.statements == 1 + 7
        assert table(conn) == {
            "d1": ("met", "bob", T0 + timedelta(hours=1)),
            "d2": ("pending", "dora", T0 + timedelta(hours=5)),
            "d3": ("pending", "ann", T0 + timedelta(hours=1)),
        }

        # Marking missed sends what is buffered first, and reports whether it was pending.
        rows.hand_over("d3", "erin")
        assert rows.mark_missed({"d3": "missed-3", "d1": "missed-1"}) == {"d3"}  # d1 was met
        assert rows.status("d3") == ("missed", T0 + timedelta(hours=1))
        assert table(conn)["d3"] == ("missed", "erin", T0 + timedelta(hours=1))
        settled = {
            r.deadline_id: (r.settled_by_source, r.settled_by)
            for r in conn.execute(select(deadlines))
        }
        assert settled == {
            "d1": ("/desk", "reply-1"),
            "d2": (None, None),
            "d3": ("/warden/compliance", "missed-3"),
        }

    # A new transaction reads what the first one wrote.
    with engine.begin() as conn:
        rows = Rows(conn)
        assert rows.status("d1") == ("met", T0 + timedelta(hours=1))
        assert rows.status("d2") == ("pending", T0 + timedelta(hours=5))
        assert rows.status("d4") is None


def test_a_transactions_streams_are_read_in_two_statements(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    a, b, c = (f"warden.aftersales.events:{n}" for n in range(3))
    with engine.begin() as conn:
        rows = Rows(conn)
        rows.insert("d1", values("T-1", T0 + timedelta(hours=3)) | {"stream": a})
        rows.insert("d2", values("T-2", T0 + timedelta(hours=1)) | {"stream": a})
        rows.insert("d3", values("T-3", T0 + timedelta(hours=2)) | {"stream": b})
        rows.meet("d3", T0, ("/desk", "reply-3"))  # b has no pending deadline left
        rows.flush()
        first = Ledger(conn)
        first.advance(a, T0 + timedelta(minutes=5))
        first.advance(b, T0 + timedelta(minutes=7))
        first.write()

    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - the statement text
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with engine.begin() as conn:
            ledger = Ledger(conn)
            ledger.expect([a, b, c, a])
            assert len(statements) == 2
            # What the reads gave, with no further statement: a's earliest pending due time
            # is 10:00 (d2), b has none pending, c has neither deadlines nor a watermark.
            assert ledger.may_be_due(a, T0 + timedelta(hours=1, seconds=1))
            assert not ledger.may_be_due(a, T0 + timedelta(hours=1))
            assert not ledger.may_be_due(b, T0 + timedelta(days=9))
            assert not ledger.may_be_due(c, T0 + timedelta(days=9))
            assert ledger.advance(a, T0) == T0 + timedelta(minutes=5)  # the stored watermark
            assert ledger.advance(b, T0 + timedelta(hours=1)) == T0 + timedelta(hours=1)
            assert ledger.advance(c, T0) == T0
            assert len(statements) == 2
            ledger.write()  # one insert (c), one update (a and b)
            assert len(statements) == 4
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    with engine.connect() as conn:
        marks = {r.name: r.time for r in conn.execute(select(watermarks))}
    assert marks == {
        a: T0 + timedelta(minutes=5),
        b: T0 + timedelta(hours=1),
        c: T0,
    }
