"""Judging a consumer batch in one transaction (`Judge.handle_batch`) on a real database: a
redelivered event and an event twice in one batch change nothing; every example event of the
rule catalogue, over two event-time cycles, gives exactly what judging them one at a time
gives (findings, cases, deadlines met and missed, watermarks: event-time semantics
unchanged); a batch that
fails stores nothing of itself."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.test_judging import catalogue_judge, price_change
from tests.integration.scale.helpers import (
    FIRST_RESPONSE_DUE,
    ticket_classified,
    ticket_responded,
)
from warden.compliance.judging import state
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent, parse_time
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS

RULES = Settings().rules_dir


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_redelivered_event_and_one_twice_in_the_batch_are_judged_once_each(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = catalogue_judge(engine)
    first = judge.handle(price_change("ev-1", 70_000), SALES_EVENTS, 0, 1)
    assert len(first.cases) == 2  # below the floor and beyond a sales rep's authority

    results = judge.handle_batch(
        [
            (price_change("ev-1", 70_000), SALES_EVENTS, 0, 1),  # redelivered from before
            (price_change("ev-2", 70_000), SALES_EVENTS, 0, 2),
            (price_change("ev-2", 70_000), SALES_EVENTS, 0, 2),  # the same again, same batch
            (price_change("ev-3", 99_000), SALES_EVENTS, 0, 3),  # breaks no rule
        ]
    )

    assert [r.duplicate for r in results] == [True, False, True, False]
    assert [len(r.cases) for r in results] == [0, 2, 0, 0]
    with engine.connect() as conn:
        inbox = conn.execute(select(schema.inbox.c.event_id).order_by("event_id")).scalars()
        assert list(inbox) == ["ev-1", "ev-2", "ev-3"]
        flagged = conn.execute(select(schema.findings.c.event_ids)).scalars().all()
    assert sorted(flagged) == ['["ev-1"]', '["ev-1"]', '["ev-2"]', '["ev-2"]']
    assert count(engine, schema.cases) == 4
    assert count(engine, schema.events) == 3


def test_a_failing_batch_stores_nothing_of_itself(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    judge = catalogue_judge(engine)
    twin = price_change("ev-2", 70_000)
    with engine.begin() as conn:  # a stored event already there: the batch's insert clashes
        conn.execute(schema.events.insert(), inbox_store.event_row(twin))
    with pytest.raises(IntegrityError):
        judge.handle_batch(
            [(price_change("ev-1", 70_000), SALES_EVENTS, 0, 1), (twin, SALES_EVENTS, 0, 2)]
        )
    for table in (schema.inbox, schema.findings, schema.cases, state.watermarks):
        assert count(engine, table) == 0, table.name
    assert count(engine, schema.events) == 1

    # The events on their own, as the consumer's fallback judges them: the clash alone fails.
    assert len(judge.handle(price_change("ev-1", 70_000), SALES_EVENTS, 0, 1).cases) == 2
    with pytest.raises(IntegrityError):
        judge.handle(twin, SALES_EVENTS, 0, 2)
    assert count(engine, schema.inbox) == 1


def test_the_same_id_from_two_sources_is_judged_as_two_events(fresh_db: FreshDb) -> None:
    """CloudEvent ids are unique per source only: each source's event is stored and judged,
    each with its own findings and cases."""
    engine = fresh_db()
    judge = catalogue_judge(engine)
    first = price_change("ev-1", 70_000)
    other = CloudEvent(
        type=first.type, source="/erp/other", subject=first.subject, data=first.data, id=first.id
    )
    judged = judge.handle_batch([(first, SALES_EVENTS, 0, 1), (other, SALES_EVENTS, 0, 2)])

    assert [j.duplicate for j in judged] == [False, False]
    mine, theirs = ({c.case_id for c in j.cases} for j in judged)
    assert len(mine) == len(theirs) == 2 and not mine & theirs
    with engine.connect() as conn:
        stored = set(conn.execute(select(schema.events.c.source, schema.events.c.event_id)))
    assert stored == {(first.source, first.id), ("/erp/other", first.id)}
    assert count(engine, schema.inbox) == 2


def catalogue_examples(cycles: int) -> list[CloudEvent]:
    """Every example event of the rule files the input topics carry, in event-time order,
    `cycles` times 400 days apart (fresh ids and ticket ids each time)."""
    raws = [
        (str(raw.get("type", rule.on)), raw)
        for rule in load_rules(RULES)
        for example in rule.examples
        for raw in example.get("events", ())
    ]
    templates = sorted(
        (
            (parse_time(str(raw["time"])), kind, str(raw.get("subject", "x")), raw)
            for kind, raw in raws
            if kind.startswith(("warden.sales.", "warden.aftersales."))
        ),
        key=lambda t: t[0],
    )
    events = []
    for cycle in range(cycles):
        for moment, kind, subject, raw in templates:
            data = dict(raw.get("data", {}))
            if "ticket_id" in data:
                data["ticket_id"] = f"{data['ticket_id']}-c{cycle}"
            events.append(
                CloudEvent(
                    type=kind,
                    source="/examples",
                    subject=subject,
                    data=data,
                    id=str(uuid.uuid4()),
                    time=moment + timedelta(days=400 * cycle),
                )
            )
    return events


def unanswered_tickets() -> list[CloudEvent]:
    """Twelve p1 tickets, every other one answered in time, then the customers of all of them
    writing again after the first response was due: that passes each stream's watermark over
    the unanswered tickets' deadlines, which are then missed."""
    events = []
    tickets = {f"S-{n:02d}": f"agent-{n % 4}" for n in range(12)}
    for n, (ticket, agent) in enumerate(tickets.items()):
        events.append(ticket_classified(ticket, agent))
        if n % 2:
            events.append(ticket_responded(ticket, agent))
    for ticket, agent in tickets.items():
        events.append(
            CloudEvent(
                type="warden.aftersales.customer.messaged",
                source="/enterprise/desk",
                subject=agent,
                time=FIRST_RESPONSE_DUE + timedelta(hours=1),
                data={"ticket_id": ticket, "customer_id": f"C-{ticket}", "message_id": ticket},
            )
        )
    return events


def delivered(events: list[CloudEvent]) -> list[tuple[CloudEvent, str, int, int]]:
    """The events as a consumer reads them: topic, partition (by key, as producers key;
    three partitions) and offset."""
    deliveries = []
    offsets: dict[tuple[str, int], int] = {}
    for event in events:
        sales = event.type.startswith("warden.sales.")
        topic = SALES_EVENTS if sales else AFTERSALES_EVENTS
        key = event.subject if sales else str(event.data.get("ticket_id") or event.subject)
        partition = sum(key.encode()) % 3
        offset = offsets.get((topic, partition), 0)
        offsets[(topic, partition)] = offset + 1
        deliveries.append((event, topic, partition, offset))
    return deliveries


def outcome(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What judging left in the database, apart from arrival times and random case ids."""
    deadlines, marks = state.deadlines, state.watermarks
    queries = {
        "inbox": select(schema.inbox.c.source, schema.inbox.c.event_id, schema.inbox.c.topic),
        "findings": select(
            schema.findings.c.finding_id,
            schema.findings.c.event_ids,
            schema.findings.c.reasons,
            schema.findings.c.employee_id,
        ),
        "cases": select(
            schema.cases.c.employee_id,
            schema.cases.c.clause,
            schema.cases.c.sanction_kind,
            schema.cases.c.sanction_amount_minor,
            schema.cases.c.sanction_days,
            schema.cases.c.proposal_reasoning,
        ),
        "deadlines": select(
            deadlines.c.deadline_id,
            deadlines.c.status,
            deadlines.c.settled_by,
            deadlines.c.due,
            deadlines.c.employee_id,
            deadlines.c.stream,
        ),
        "watermarks": select(marks.c.name, marks.c.time, marks.c.events),
    }
    with engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(q)) for name, q in queries.items()}


def test_every_catalogue_example_in_batches_is_judged_as_one_at_a_time(fresh_db: FreshDb) -> None:
    deliveries = delivered(unanswered_tickets() + catalogue_examples(cycles=2))
    alone, batched = fresh_db(), fresh_db()
    one_by_one = Judge.from_catalogue(alone, RULES)
    for delivery in deliveries:
        one_by_one.handle(*delivery)
    in_batches = Judge.from_catalogue(batched, RULES)
    for start in range(0, len(deliveries), 7):  # 7: batches split tickets and windows
        in_batches.handle_batch(deliveries[start : start + 7])

    expected, got = outcome(alone), outcome(batched)
    assert got == expected
    assert len(got["findings"]) > 100 and len(got["cases"]) > 100
    statuses = {row[1] for row in got["deadlines"]}
    assert statuses >= {"met", "missed"}, statuses
    with batched.connect() as conn:
        internal = select(func.count()).where(schema.inbox.c.topic == INTERNAL_TOPIC)
        assert conn.execute(internal.select_from(schema.inbox)).scalar_one() > 0
