"""The stored events a judging transaction's stateful rules read (`stored_events.StoredEvents`),
on a real database: whatever window is asked for, they are exactly what a read from the
database gives (`stored_events.stored_between`), in the same order, including the events the
transaction stores after its first read and windows that reach before the span it read; and
the database is read once per set of types while the windows stay inside that span."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.integration.compliance.conftest import FreshDb
from warden.compliance.judging import stored_events
from warden.compliance.judging.rule_set import RuleSet
from warden.compliance.judging.unit_of_work import JudgingUnit
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.storage import inbox_store
from warden.platform.cloudevents import CloudEvent

START = datetime(2026, 11, 1, tzinfo=UTC)
TYPES = ("t.read", "t.export", "t.other")


def event(n: int, kind: str, minutes: int) -> CloudEvent:
    return CloudEvent(
        type=kind,
        source="/test",
        subject=f"emp-{n % 3}",
        id=f"ev-{n:04d}",
        time=START + timedelta(minutes=minutes),
        data={"n": n},
    )


def ids(payloads: list[dict[str, object]]) -> list[object]:
    return [p["id"] for p in payloads]


def test_windows_read_from_memory_are_what_the_database_gives(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    rng = random.Random(7)
    earlier = [event(n, rng.choice(TYPES), rng.randrange(0, 600)) for n in range(120)]
    with engine.begin() as conn:
        inbox_store.write_events(conn, [inbox_store.event_row(e) for e in earlier])

    # This transaction judges events from minute 300 to 420, with windows of an hour.
    later = [event(n, rng.choice(TYPES), rng.randrange(300, 420)) for n in range(120, 200)]
    # Two events at the very same time: (time, id) order must decide.
    later += [event(200, "t.read", 350), event(201, "t.read", 350)]
    with engine.begin() as conn:
        received = JudgingUnit(conn, RuleSet(RuleEngine([])), lambda: START)
        stored = received.stored
        stored.expect(e.time for e in later)
        asked = 0
        for e in later:
            received.store(e)
            for types in (("t.read",), ("t.export", "t.read")):
                window = (e.time - timedelta(hours=1), e.time)
                got = ids(stored.between(types, *window))
                received.flush_events()
                assert got == ids(stored_events.stored_between(conn, types, *window))
                asked += 1
        assert asked == 2 * len(later)
        assert stored.reads == 2  # one per set of types: every window was inside its span

        # A window before the span read (a missed deadline dated before the batch) reads
        # a wider one, and still gives what the database gives.
        # An event stored and not yet written is in it too.
        received.store(event(301, "t.read", 50))
        window = (START, START + timedelta(minutes=100))
        got = ids(stored.between(("t.read",), *window))
        assert stored.reads == 3
        assert "ev-0301" in got
        received.flush_events()
        assert got == ids(stored_events.stored_between(conn, ("t.read",), *window))
        # ... and the wider span still holds the later events, including ones added since.
        last = max(e.time for e in later)
        late = event(300, "t.read", int((last - START) / timedelta(minutes=1)))
        received.store(late)
        window = (START + timedelta(minutes=300), last)
        got = ids(stored.between(("t.read",), *window))
        assert "ev-0300" in got
        received.flush_events()
        assert got == ids(stored_events.stored_between(conn, ("t.read",), *window))
        assert stored.reads == 3


def test_related_events_are_those_of_the_window_with_the_same_values(fresh_db: FreshDb) -> None:
    """`related` (an aggregate's window: the events matching this one's values) answers from
    an index; it gives exactly the window's events with equal values at the paths, in order,
    as events are added, and for values that are lists (no index holds them) too."""
    engine = fresh_db()
    rng = random.Random(11)
    kinds = [1, 2, 2.0, "2", None, [1, 2], {"a": 1}, True]

    def keyed(n: int, minutes: int) -> CloudEvent:
        data: dict[str, object] = {"n": n, "customer": f"C-{n % 4}"}
        if n % 9:
            data["k"] = rng.choice(kinds)
        return replace(event(n, "t.read", minutes), data=data)

    with engine.begin() as conn:
        rows = [inbox_store.event_row(keyed(n, rng.randrange(0, 600))) for n in range(150)]
        inbox_store.write_events(conn, rows)
    paths = ("subject", "data.k")
    with engine.begin() as conn:
        received = JudgingUnit(conn, RuleSet(RuleEngine([])), lambda: START)
        stored = received.stored
        later = [keyed(n, rng.randrange(300, 600)) for n in range(150, 230)]
        stored.expect(e.time for e in later)
        checked = 0
        for e in later:
            received.store(e)
            values = (e.subject, e.data.get("k"))
            window = (e.time - timedelta(hours=2), e.time)
            got = ids(stored.related(("t.read",), *window, paths, values))
            received.flush_events()
            whole = stored_events.stored_between(conn, ("t.read",), *window)
            expected = [p for p in whole if (p["subject"], p["data"].get("k")) == values]
            assert got == ids(expected)
            checked += bool(expected)
        assert checked > 20  # the windows were not all empty


def test_lookups_are_what_the_database_gives_with_the_same_text(fresh_db: FreshDb) -> None:
    """`keyed` (a lookup by a customer's or a ticket's id): exactly the window's events whose
    text at the path is one of those asked for, in (time, id) order, as the transaction stores
    events after its first read (buffered and written alike), for ids that are strings or
    integers; with the lookups a transaction announces read in one query."""
    engine = fresh_db()
    rng = random.Random(5)
    customers: list[object] = ["C-1", "C-2", "C-3", 7, "7", None, True]

    def about(n: int, minutes: int) -> CloudEvent:
        data: dict[str, object] = {"n": n}
        if n % 7:
            data["customer_id"] = rng.choice(customers)
        made = event(n, rng.choice(TYPES), minutes)
        return replace(made, data=data)

    def expected(
        conn: object, types: tuple[str, ...], window: tuple[datetime, ...], texts: set[str]
    ) -> list[object]:
        return [
            p["id"]
            for p in stored_events.stored_between(conn, types, *window)  # type: ignore[arg-type]
            if stored_events._text_form(p["data"].get("customer_id")) in texts  # type: ignore[union-attr]
        ]

    with engine.begin() as conn:
        rows = [inbox_store.event_row(about(n, rng.randrange(0, 600))) for n in range(150)]
        inbox_store.write_events(conn, rows)

    later = [about(n, rng.randrange(300, 420)) for n in range(150, 230)]
    with engine.begin() as conn:
        received = JudgingUnit(conn, RuleSet(RuleEngine([])), lambda: START)
        stored = received.stored
        stored.expect(e.time for e in later)
        stored.expect_lookups(("t.read", "t.export"), "data.customer_id", ["C-1", "C-2", "7"])
        for e in later:
            received.store(e)
            for texts in ({"C-1"}, {"C-2", "7"}):
                window = (e.time - timedelta(hours=2), e.time)
                types = ("t.read", "t.export")
                if e.data["n"] % 2:  # half the time the rows are written before the lookup
                    received.flush_events()
                found = stored.keyed(types, *window, "data.customer_id", texts)
                received.flush_events()
                got = [p["id"] for _, p in found]
                assert got == expected(conn, types, window, texts)
        assert stored.reads == 1  # the announced lookups, read together, served every window
        stored.keyed(
            ("t.read", "t.export"), START, START + timedelta(hours=1), "data.customer_id", {"C-3"}
        )
        assert stored.reads == 2  # a text not announced, over a wider span: one more read
