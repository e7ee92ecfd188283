"""Stateful rules look related events up (by customer, ticket, accessor) instead of reading
their whole window, on each database: the same context as reading the window, and reads that
do not grow with the stored history."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from warden.compliance.domain.findings import Rule
from warden.compliance.domain.specs import Aggregate, Correlation
from warden.compliance.judging import state, stored_events
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine

T0 = datetime(2026, 11, 1, tzinfo=UTC)
TICKET_TYPES = ("received", "assigned", "reopened", "closed")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url, schema.metadata)
    yield made
    made.dispose()


def _rules() -> dict[str, Rule]:
    return {rule.rule_id: rule for rule in load_rules(Settings().rules_dir)}


def _event(n: int, kind: str, when: datetime, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id=f"e-{n:05d}",
        type=kind,
        source="/warden/test",
        subject=str(data.get("agent_id") or data.get("accessor_id") or "someone"),
        time=when,
        data=data,
    )


def _history(rnd: random.Random, count: int, customers: int) -> list[CloudEvent]:
    """Ticket, opportunity, expense and data-access events over 400 days, on few agents and
    customers so that many relate; a few ids are integers, a few fields missing."""
    made = []
    for n in range(count):
        when = T0 - timedelta(minutes=rnd.randint(0, 400 * 24 * 60))
        customer: Any = f"C-{rnd.randint(1, customers)}"
        if rnd.random() < 0.05:
            customer = rnd.randint(1, customers)  # a number where ids are strings
        agent, other = f"agent-{rnd.randint(1, 4)}", f"agent-{rnd.randint(1, 4)}"
        ticket: Any = f"T-{rnd.randint(1, count // 3)}"
        if rnd.random() < 0.05:
            ticket = rnd.randint(1, count // 3)
        roll = rnd.random()
        if roll < 0.6:
            kind = rnd.choice(TICKET_TYPES)
            data = {"ticket_id": ticket, "customer_id": customer, "agent_id": agent}
            if kind == "assigned":
                data |= {"from_agent": agent, "to_agent": other}
            made.append(_event(n, f"warden.aftersales.ticket.{kind}", when, data))
        elif roll < 0.7:
            data = {"opportunity_id": f"O-{n}", "customer_id": customer, "salesperson_id": agent}
            made.append(_event(n, "warden.sales.opportunity.stage_changed", when, data))
        elif roll < 0.85:
            data = {
                "expense_id": f"X-{n}",
                "customer_id": customer,
                "salesperson_id": agent,
                "amount_minor": rnd.choice([5_000, 12_000, 30_000]),
            }
            made.append(_event(n, "warden.sales.expense.recorded", when, data))
        else:
            data = {"access_id": f"D-{n}", "customer_id": customer, "accessor_id": agent}
            data |= {"customer_count": rnd.randint(1, 30), "action": "read"}
            if rnd.random() < 0.1:
                del data["customer_id"]
            made.append(_event(n, "warden.aftersales.customer_data.accessed", when, data))
    return made


def _store(engine: Engine, events: list[CloudEvent]) -> None:
    with engine.begin() as conn:
        inbox_store.write_events(conn, [inbox_store.event_row(event) for event in events])
        inbox = [inbox_store.inbox_row(event, "test", 0, 0, T0) for event in events]
        inbox_store.write_inbox(conn, inbox)


def _window_correlate(
    conn: Any, spec: Correlation, event: dict[str, Any]
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The correlation as it was computed before lookups: every event of the sources' and
    closers' types in the window, in (time, id) order (the reference)."""
    end = state.parse_time(event["time"])
    start = end - timedelta(seconds=spec.within_s)
    types = tuple({s.type for s in (*spec.sources, *spec.closed_by)})
    latest: dict[str, tuple[dict[str, Any], bool]] = {}
    for stored in stored_events.stored_between(conn, types, start, end):
        if stored["id"] == event["id"]:
            continue
        for source in spec.sources:
            if (
                stored["type"] == source.type
                and state._related(stored, event, source.match)
                and state._passes(stored, source)
            ):
                latest[str(stored_events.value_at(stored, source.key))] = (stored, True)
        for closer in spec.closed_by:
            key = str(stored_events.value_at(stored, closer.key))
            if (
                stored["type"] == closer.type
                and key in latest
                and state._related(stored, event, closer.match)
                and state._passes(stored, closer)
            ):
                latest[key] = (stored, False)
    opened = [e for e, still_open in latest.values() if still_open]
    days = -1
    if opened:
        days = (end - max(state.parse_time(e["time"]) for e in opened)) // timedelta(days=1)
    return {spec.name: len(opened), f"{spec.name}_days": days}, tuple(
        (e["source"], e["id"]) for e in opened
    )


def _window_aggregate(
    conn: Any, spec: Aggregate, event: dict[str, Any]
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The aggregate as it was computed before lookups (the reference)."""
    end = state.parse_time(event["time"])
    window = [
        e
        for e in stored_events.stored_between(
            conn, spec.types, end - timedelta(seconds=spec.window_s), end
        )
        if all(
            stored_events.value_at(e, t) == stored_events.value_at(event, o) for t, o in spec.match
        )
    ]
    if not any(e["id"] == event["id"] for e in window) and event["type"] in spec.types:
        window.append(event)
    before = [e for e in window if e["id"] != event["id"]]
    values = {
        spec.name: state._apply(spec, window),
        f"{spec.name}_before": state._apply(spec, before),
    }
    return values, tuple((e["source"], e["id"]) for e in window)


def test_lookups_give_the_context_reading_the_window_gives(engine: Engine) -> None:
    rnd = random.Random(7)
    history = _history(rnd, 1_500, customers=12)
    _store(engine, history)
    rules = _rules()
    relation = rules["customer-data-read-without-relation"].correlations[0]
    gifts = rules["contract-after-gift"].correlations[0]
    expenses = rules["customer-expenses-over-window"].aggregates[0]
    accessed = rules["bulk-customer-data-access"].aggregates[0]
    probes = [e.to_dict() for e in history if e.type.endswith("customer_data.accessed")][:60]
    probes += [e.to_dict() for e in history if e.type.endswith("expense.recorded")][:60]
    checked = opened = 0
    with engine.connect() as conn:
        for probe in probes:
            stored = stored_events.StoredEvents(conn)
            if probe["type"].endswith("customer_data.accessed"):
                for spec in (relation,):
                    got = state.correlate(stored, spec, probe)
                    assert got == _window_correlate(conn, spec, probe), probe["id"]
                    opened += got[0][spec.name]
                got = state.aggregate(stored, accessed, probe)
                assert got == _window_aggregate(conn, accessed, probe), probe["id"]
            else:
                got = state.aggregate(stored, expenses, probe)
                assert got == _window_aggregate(conn, expenses, probe), probe["id"]
                signed = {**probe, "type": "warden.sales.contract.signed"}
                got = state.correlate(stored, gifts, signed)
                assert got == _window_correlate(conn, gifts, signed), probe["id"]
            checked += 1
    assert checked == 120
    assert opened > 0  # the data has open relations, not only empty answers


def test_a_lookup_reads_the_related_events_not_the_history(engine: Engine) -> None:
    """3,000 ticket events of other customers within the year, two of this customer's: the
    correlation over 365 days reads those two (and their ticket's closer), where reading the
    window read all of them."""
    rnd = random.Random(3)
    others = [
        _event(
            n,
            "warden.aftersales.ticket.received",
            T0 - timedelta(minutes=rnd.randint(1, 300 * 24 * 60)),
            {"ticket_id": f"T-{n}", "customer_id": f"C-{n % 500}", "agent_id": "agent-1"},
        )
        for n in range(3_000)
    ]
    mine = [
        _event(
            90_001,
            "warden.aftersales.ticket.received",
            T0 - timedelta(days=40),
            {"ticket_id": "T-MINE", "customer_id": "C-MINE", "agent_id": "agent-1"},
        ),
        _event(
            90_002,
            "warden.aftersales.ticket.closed",
            T0 - timedelta(days=39),
            {"ticket_id": "T-MINE", "customer_id": "C-MINE", "agent_id": "agent-1"},
        ),
        _event(
            90_003,
            "warden.aftersales.ticket.received",
            T0 - timedelta(days=2),
            {"ticket_id": "T-MINE-2", "customer_id": "C-MINE", "agent_id": "agent-1"},
        ),
    ]
    _store(engine, others + mine)
    spec = _rules()["customer-data-read-without-relation"].correlations[0]
    probe = _event(
        99_999,
        "warden.aftersales.customer_data.accessed",
        T0,
        {"access_id": "D-1", "customer_id": "C-MINE", "accessor_id": "agent-1", "action": "read"},
    ).to_dict()
    with engine.connect() as conn:
        stored = stored_events.StoredEvents(conn)
        context, related = state.correlate(stored, spec, probe)
        assert context == {"open_relations": 1, "open_relations_days": 2}
        assert related == (("/warden/test", "e-90003"),)
        assert stored.rows_read == 3  # this customer's two tickets' events, and the closer
        window = stored_events.StoredEvents(conn)
        window.pairs(
            tuple({s.type for s in (*spec.sources, *spec.closed_by)}),
            T0 - timedelta(seconds=spec.within_s),
            T0,
        )
        assert window.rows_read == 3_003  # what reading the window reads
