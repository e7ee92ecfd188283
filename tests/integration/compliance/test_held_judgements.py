"""A rule whose violation is an absence waits for the other partitions.

`customer-data-read-without-relation` flags a read of a customer's data when the reader has no
ticket or opportunity for that customer. The read is keyed by employee, the ticket by ticket:
they travel on different partitions. Judged as it arrived, a read whose ticket's partition was
read later (a lagging consumer, a restart, a rebalance) was flagged although the ticket was
there before it: a false accusation of a privacy leak. Now the read is held until every input
partition is complete up to its time (compliance/judging/holding.py), then judged against everything
dated before it.

`customer-expenses-over-window` sums one customer's expenses over every salesperson, each on
their own partition: judged as they arrived, another salesperson's expense read late moved the
finding to a later expense, or hid it. It waits the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer, TopicPartition
from sqlalchemy import Engine, func, select

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.kafka_records import Record
from tests.system import TEST_SOURCES, eventually, intake_for_tests
from warden.bootstrap import build_compliance
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.judging import holding
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.poll import Judging
from warden.compliance.judging.quiet import QuietStreams
from warden.compliance.rule_testing import backtest
from warden.compliance.storage import inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.deadletter import DeadLetterBox
from warden.platform.kafka import read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import OutboxRelay
from warden.platform.topics import AFTERSALES_EVENTS, DEAD_LETTER, SALES_EVENTS

RULES = Path(__file__).resolve().parents[3] / "rules"
RULE = "customer-data-read-without-relation"
TICKETS = f"{AFTERSALES_EVENTS}:0"  # the ticket's partition
READS = f"{AFTERSALES_EVENTS}:1"  # the reader's partition
INPUTS = frozenset({TICKETS, READS})
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)  # the read


def ticket_received(at: datetime, ticket: str = "T-1", agent: str = "dave") -> CloudEvent:
    return builders.ticket_received(ticket, agent=agent, event_id=f"ev-{ticket}", at=at)


def data_read(at: datetime, reader: str = "dave") -> CloudEvent:
    return builders.customer_data_read(reader, event_id=f"ev-read-{reader}", at=at)


def flagged(engine: Engine, rule: str = RULE) -> list[tuple[str, int, list[str]]]:
    """(employee, rule version, events cited) of each finding of the rule."""
    findings = schema.findings
    with engine.connect() as conn:
        rows = conn.execute(
            select(findings.c.employee_id, findings.c.rule_version, findings.c.event_ids).where(
                findings.c.rule_id == rule
            )
        ).all()
    return sorted((row.employee_id, row.rule_version, json.loads(row.event_ids)) for row in rows)


def held(engine: Engine) -> int:
    with engine.connect() as conn:
        return holding.waiting(conn)[0]


def test_a_read_whose_ticket_is_read_later_from_its_partition_is_not_flagged(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    # The read's partition is read first; the ticket's partition lags behind.
    assert judge.handle(data_read(T0), AFTERSALES_EVENTS, 1, 0, INPUTS).cases == ()
    assert held(engine) == 1
    assert judge.release(INPUTS).events == 0  # the ticket's partition has no watermark yet
    judge.handle(ticket_received(T0 - timedelta(days=1)), AFTERSALES_EVENTS, 0, 0, INPUTS)
    assert judge.release(INPUTS).events == 0  # complete only up to the day before the read
    # The ticket's partition moves past the read (another ticket of another agent, later).
    judge.handle(
        ticket_received(T0 + timedelta(hours=1), "T-2", "frank"), AFTERSALES_EVENTS, 0, 1, INPUTS
    )
    # The read's own partition stands at the read's moment: another event of that very moment
    # may still follow it there, so it too must move past.
    assert judge.release(INPUTS).events == 0
    judge.handle(
        ticket_received(T0 + timedelta(minutes=1), "T-3", "grace"), AFTERSALES_EVENTS, 1, 1, INPUTS
    )
    released = judge.release(INPUTS)
    assert (released.events, released.cases) == (1, ())
    assert held(engine) == 0
    assert flagged(engine) == []
    assert judge.release(INPUTS).events == 0


def test_judged_at_once_the_same_read_was_a_false_accusation(fresh_db: FreshDb) -> None:
    """The same order without the hold (no input partitions given, as before): flagged."""
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    (case,) = judge.handle(data_read(T0), AFTERSALES_EVENTS, 1, 0).cases
    judge.handle(ticket_received(T0 - timedelta(days=1)), AFTERSALES_EVENTS, 0, 0)
    assert case.findings[0].rule_id == RULE
    assert held(engine) == 0


def test_a_read_with_no_relation_is_flagged_once_every_partition_is_past_it_and_only_once(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    other_instance = Judge.from_catalogue(engine, RULES)
    judge.handle(data_read(T0, "erin"), AFTERSALES_EVENTS, 1, 0, INPUTS)
    # A redelivery of the held read changes nothing.
    assert judge.handle(data_read(T0, "erin"), AFTERSALES_EVENTS, 1, 0, INPUTS).duplicate
    assert held(engine) == 1
    # The ticket partition never brought an event: only the clock, once it is quiet and read
    # to its end, says it is complete (compliance/judging/quiet.py); up to before the read, not yet.
    judge.pass_time([TICKETS], T0 - timedelta(minutes=1))
    assert judge.release(INPUTS).events == 0
    judge.pass_time([TICKETS, READS], T0 + timedelta(minutes=1))
    released = judge.release(INPUTS)
    assert released.events == 1
    (case,) = released.cases
    assert case.findings[0].employee_id == "erin"
    assert case.findings[0].event_ids[0] == "ev-read-erin"
    assert flagged(engine) == [("erin", 2, ["ev-read-erin"])]
    # Another instance releasing the same partitions finds nothing left.
    assert other_instance.release(INPUTS).events == 0
    assert judge.release(INPUTS).events == 0
    assert len(flagged(engine)) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.cases)).scalar_one() == 1


def test_a_partition_of_the_inputs_that_is_unknown_holds_everything(fresh_db: FreshDb) -> None:
    """A release is only as complete as the partitions it is given: one never read and never
    found quiet has no watermark, and nothing is released while it is among the inputs."""
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    judge.handle(data_read(T0, "erin"), AFTERSALES_EVENTS, 1, 0, INPUTS)
    judge.pass_time([TICKETS, READS], T0 + timedelta(hours=1))
    third = f"{AFTERSALES_EVENTS}:2"
    assert judge.release(INPUTS | {third}).events == 0
    assert judge.release(frozenset()).events == 0
    assert held(engine) == 1
    assert judge.release(INPUTS).events == 1


SUM_RULE = "customer-expenses-over-window"
ALICE, BOB = f"{SALES_EVENTS}:0", f"{SALES_EVENTS}:1"  # each salesperson's partition
SALES_INPUTS = frozenset({ALICE, BOB})


def gift(
    expense: str, salesperson: str, day: int, customer: str = "C-7", amount_minor: int = 20000
) -> CloudEvent:
    """A gift for the customer (200 EUR unless said), recorded in October 2026."""
    return builders.expense_recorded(
        expense,
        subject=salesperson,
        at=datetime(2026, 10, day, 12, tzinfo=UTC),
        event_id=f"ev-{expense}",
        customer_id=customer,
        amount_minor=amount_minor,
        description="wine",
    )


def alice_then_bob(judge: Judge, inputs: frozenset[str] | None) -> None:
    """Alice's partition read first: her gifts of 1, 20 and 25 October for C-7. Bob's partition
    lags: his gift of 10 October for C-7 is read after them, then one of 31 October for
    another customer. In event time the sum for C-7 crosses 500 EUR on Alice's gift of the
    20th: 200 + 200 (Bob) + 200."""
    for offset, (expense, day) in enumerate((("G-1", 1), ("G-3", 20), ("G-4", 25))):
        judge.handle(gift(expense, "alice", day), SALES_EVENTS, 0, offset, inputs)
    judge.handle(gift("G-2", "bob", 10), SALES_EVENTS, 1, 0, inputs)
    judge.handle(gift("G-9", "bob", 31, customer="C-8"), SALES_EVENTS, 1, 1, inputs)


def test_a_sum_over_salespeople_is_judged_on_the_expense_that_crosses_it_in_event_time(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    alice_then_bob(judge, SALES_INPUTS)
    assert flagged(engine, SUM_RULE) == []
    released = judge.release(SALES_INPUTS)
    # Everything before 25 October, where Alice's partition stands: her gift of that day
    # waits for her partition to pass it, and Bob's 31 October for her too.
    assert released.events == 3 and held(engine) == 2
    (case,) = released.cases
    (finding,) = case.findings
    assert finding.event_ids == ("ev-G-3", "ev-G-1", "ev-G-2")
    assert "spent on the customer within 90 days: 600.00 EUR > threshold 500.00 EUR" in (
        finding.explanation
    )
    assert flagged(engine, SUM_RULE) == [("alice", 2, ["ev-G-3", "ev-G-1", "ev-G-2"])]


@pytest.mark.parametrize("bob_first", [True, False], ids=["bob-read-first", "alice-read-first"])
def test_of_two_expenses_at_one_moment_the_one_read_later_crosses_the_sum_as_in_a_replay(
    fresh_db: FreshDb, bob_first: bool
) -> None:
    """Alice's and Bob's 300 EUR gifts for C-7 bear the same time: together 600 EUR, over the
    threshold. Held until both partitions pass that moment, both are stored when either is
    judged; taken in the order a backtest replays them, (time, topic, partition, offset),
    exactly one crosses: Bob's, on the later partition, whichever was consumed first (and
    although its id, G-1, sorts before Alice's G-2). A replay of the stored events agrees."""
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    gifts = [
        (gift("G-2", "alice", 1, amount_minor=30000), 0),
        (gift("G-1", "bob", 1, amount_minor=30000), 1),
    ]
    for event, partition in reversed(gifts) if bob_first else gifts:
        judge.handle(event, SALES_EVENTS, partition, 0, SALES_INPUTS)
    # Both partitions move past the gifts (a gift for another customer on each).
    judge.handle(gift("G-8", "alice", 2, customer="C-8"), SALES_EVENTS, 0, 1, SALES_INPUTS)
    judge.handle(gift("G-9", "bob", 2, customer="C-8"), SALES_EVENTS, 1, 1, SALES_INPUTS)
    assert judge.release(SALES_INPUTS).events == 2
    assert flagged(engine, SUM_RULE) == [("bob", 2, ["ev-G-1", "ev-G-2"])]

    replayed = fresh_db()
    replay = Judge.from_catalogue(replayed, RULES)
    october = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    with backtest.read_only(engine) as conn:
        for stored in backtest.stored_events(conn, *october):
            replay.handle(stored.event, stored.topic, stored.partition, stored.offset)
    assert flagged(replayed, SUM_RULE) == flagged(engine, SUM_RULE)


def test_judged_at_once_the_late_expense_moved_the_finding_to_a_later_one(
    fresh_db: FreshDb,
) -> None:
    """The same order without the hold: the sum crossed on the 25th without Bob's gift, and
    the 20th, where it truly crossed, was never flagged."""
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    alice_then_bob(judge, None)
    assert flagged(engine, SUM_RULE) == [("alice", 2, ["ev-G-4", "ev-G-1", "ev-G-3"])]
    assert held(engine) == 0


@pytest.fixture
def producer(broker: str) -> Iterator[KafkaProducer]:
    sender = KafkaProducer(bootstrap_servers=broker)
    yield sender
    sender.close()


def send(
    producer: KafkaProducer, event: CloudEvent, partition: int, topic: str = AFTERSALES_EVENTS
) -> None:
    producer.send(topic, event.to_bytes(), key=b"k", partition=partition).get(10)


def stage_changed(at: datetime, partition: int) -> CloudEvent:
    """A sales event that breaks no rule: it moves a sales partition on."""
    return CloudEvent(
        type="warden.sales.opportunity.stage_changed",
        source="/test/crm",
        subject="alice",
        id=f"ev-stage-{partition}",
        time=at,
        data={
            "opportunity_id": f"O-{partition}",
            "customer_id": "C-9",
            "salesperson_id": "alice",
            "from_stage": "lead",
            "to_stage": "visit",
            "skipped": False,
            "backwards": False,
            "changed_by": "alice",
            "reason": "",
        },
    )


def service_settings(broker: str, database_url: str, tmp_path: Path) -> Settings:
    """A compliance service on two partitions a topic, quiet partitions judged by the clock
    after a second, with 60 s of lateness: the clock never passes the reads of these tests."""
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        consumer_group=f"warden-held-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        kafka_partitions=2,
        console_port=0,
        quiet_partition_s=1.0,
        event_lateness_s=60.0,
    )


def test_the_service_waits_for_a_lagging_partition_before_judging_a_read(
    broker: str, database_url: str, tmp_path: Path, producer: KafkaProducer
) -> None:
    """Over the embedded broker: the read is consumed and held; the ticket entitling it reaches
    its partition seconds later (dated an hour before the read), and the read is not flagged.
    A read with no ticket, consumed with it, is flagged once both partitions pass it."""
    settings = service_settings(broker, database_url, tmp_path)
    runtime, _review, consumer = build_compliance(settings, port=0)
    runtime.start()
    engine = make_engine(database_url, schema.metadata)
    try:
        eventually(lambda: len(consumer.consumer.assignment()) > 0, 60, "partitions assigned")
        now = datetime.now(UTC).replace(microsecond=0)
        send(producer, data_read(now, "dave"), 1)
        send(producer, data_read(now, "erin"), 1)
        eventually(lambda: held(engine) == 2, 60, "both reads consumed and held")
        # Quiet passes meanwhile judge the ticket partition complete only up to now - 60 s.
        passes = consumer.quiet_passes
        eventually(lambda: consumer.quiet_passes >= passes + 2, 30, "two quiet passes")
        assert held(engine) == 2 and flagged(engine) == []
        send(producer, ticket_received(now - timedelta(hours=1)), 0)
        send(producer, ticket_received(now + timedelta(seconds=1), "T-2", "frank"), 0)
        # The reads' own partition moves past them too (an event of their very moment could
        # still have followed them there).
        send(producer, ticket_received(now + timedelta(seconds=1), "T-3", "grace"), 1)
        assert held(engine) == 2  # the sales partitions are inputs too, and not past the reads
        for partition in (0, 1):
            send(
                producer,
                stage_changed(now + timedelta(seconds=1), partition),
                partition,
                SALES_EVENTS,
            )
        eventually(lambda: held(engine) == 0, 60, "the reads judged")
        assert flagged(engine) == [("erin", 2, ["ev-read-erin"])]
    finally:
        runtime.stop()
        engine.dispose()


def split(consumers: list[EventConsumer]) -> bool:
    """Each consumer owns partitions, none owns another's, and together they own all four."""
    owned = [set(c.consumer.assignment()) for c in consumers]
    return all(owned) and len(set().union(*owned)) == sum(len(o) for o in owned) == 4


def test_reads_held_by_an_instance_that_stops_are_judged_once_by_the_one_left(
    broker: str, database_url: str, tmp_path: Path, producer: KafkaProducer
) -> None:
    """Two instances in one consumer group: the one that consumed two reads holds them and
    stops before any partition has passed them. The other takes its partitions; once the
    ticket entitling one read arrives and every partition moves on, it judges both: the read
    with no relation flagged once, the other not at all."""
    settings = service_settings(broker, database_url, tmp_path)
    first_runtime, _review, first = build_compliance(settings, port=0)
    second_runtime, _review, second = build_compliance(settings, port=0)
    instances = {first: first_runtime.start(), second: second_runtime.start()}
    engine = make_engine(database_url, schema.metadata)
    try:
        eventually(lambda: split(list(instances)), 60, "the group's four partitions split")
        reads = TopicPartition(AFTERSALES_EVENTS, 1)
        (holder,) = [c for c in instances if reads in c.consumer.assignment()]
        (other,) = [c for c in instances if c is not holder]
        now = datetime.now(UTC).replace(microsecond=0)
        send(producer, data_read(now, "dave"), 1)
        send(producer, data_read(now, "erin"), 1)
        # The count of judged events moves just after the transaction commits: wait for both.
        eventually(
            lambda: held(engine) == 2 and holder.judged == 2, 60, "both reads consumed and held"
        )
        assert other.judged == 0
        instances.pop(holder).stop(grace_s=0.5)
        assert held(engine) == 2 and flagged(engine) == []

        send(producer, ticket_received(now - timedelta(hours=1)), 0)  # dave's, read late
        later = now + timedelta(seconds=1)
        send(producer, ticket_received(later, "T-2", "frank"), 0)
        send(producer, ticket_received(later, "T-3", "grace"), 1)
        for partition in (0, 1):
            send(producer, stage_changed(later, partition), partition, SALES_EVENTS)
        eventually(lambda: held(engine) == 0, 90, "the reads judged by the instance left")
        assert other.judged >= 5  # the ticket and the four later events, after the stop
        assert flagged(engine) == [("erin", 2, ["ev-read-erin"])]
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.cases)).scalar_one() == 1
            reads = select(func.count()).where(schema.inbox.c.event_id.like("ev-read-%"))
            assert conn.execute(reads).scalar_one() == 2
    finally:
        for runtime in instances.values():
            runtime.stop(grace_s=0.5)
        engine.dispose()


class Topics:
    """The Kafka consumer's view of the input topics' partitions (no broker is read here)."""

    def subscription(self) -> set[str]:
        return {AFTERSALES_EVENTS}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0, 1}


def later_ticket(ticket: str, agent: str) -> CloudEvent:
    return ticket_received(T0 + timedelta(minutes=1), ticket, agent)


def test_a_held_event_whose_judgement_fails_is_dead_lettered_and_holds_up_nothing(
    fresh_db: FreshDb, broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    judged_later = judge._open

    def breaks_on_erin(
        tx: Any, event: CloudEvent, payload: Any = None, skip: Any = None, read_at: Any = None
    ) -> Any:
        if event.id == "ev-read-erin" and read_at is not None:
            raise RuntimeError("rule host broke")
        return judged_later(tx, event, payload, skip or frozenset(), read_at)

    monkeypatch.setattr(judge, "_open", breaks_on_erin)
    dead_letters = DeadLetterBox(engine, schema.outbox.table)
    publisher = KafkaPublisher(broker)
    try:
        judging = Judging(judge, dead_letters)
        consumer = EventConsumer(Topics(), judging, QuietStreams(30.0), intake=intake_for_tests())
        poll = [
            Record(AFTERSALES_EVENTS, 1, 7, b"erin", data_read(T0, "erin").to_bytes()),
            Record(AFTERSALES_EVENTS, 1, 8, b"dave", data_read(T0, "dave").to_bytes()),
            Record(AFTERSALES_EVENTS, 0, 3, b"T-2", ticket_received(T0, "T-2", "frank").to_bytes()),
            # Both partitions move past the reads.
            Record(AFTERSALES_EVENTS, 0, 4, b"T-3", later_ticket("T-3", "grace").to_bytes()),
            Record(AFTERSALES_EVENTS, 1, 9, b"T-4", later_ticket("T-4", "heidi").to_bytes()),
        ]
        consumer.process_batch(poll)
        assert OutboxRelay(engine, schema.outbox.table, publisher).publish_pending() == 1
    finally:
        publisher.close()
    (letter,) = eventually(
        lambda: read_topic(broker, DEAD_LETTER, timeout_s=1.0), 30, "the dead letter"
    )
    headers = dict(letter.headers)
    assert headers["warden.dlq.reason"] == (
        b"held for other partitions, then judging failed: RuntimeError('rule host broke')"
    )
    assert (headers["warden.dlq.topic"], headers["warden.dlq.partition"]) == (
        AFTERSALES_EVENTS.encode(),
        b"1",
    )
    assert headers["warden.dlq.offset"] == b"7"
    assert json.loads(letter.value)["id"] == "ev-read-erin"
    assert consumer.dead_lettered == 1
    assert held(engine) == 0
    # The read after it was judged: dave has no ticket for the customer either.
    assert flagged(engine) == [("dave", 2, ["ev-read-dave"])]


def test_one_id_held_from_two_sources_is_released_per_source(fresh_db: FreshDb) -> None:
    """Held rows are claimed by (source, id): releasing one source's event leaves the other's
    held, though the claim looks them up by id."""
    engine = fresh_db()
    early = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    late = early + timedelta(hours=1)
    first = CloudEvent(
        "warden.aftersales.customer_data.accessed", "/desk/a", "dave", {}, "e-1", early
    )
    second = CloudEvent(
        "warden.aftersales.customer_data.accessed", "/desk/b", "dave", {}, "e-1", late
    )
    with engine.begin() as conn:
        conn.execute(
            schema.events.insert(), [inbox_store.event_row(first), inbox_store.event_row(second)]
        )
        holding.hold(
            conn,
            [
                {"event_id": e.id, "source": e.source, "time": e.time,
                 "stream": "aftersales.events:0", "offset": n, "held_at": early}
                for n, e in enumerate((first, second))
            ],
        )  # fmt: skip
    with engine.begin() as conn:
        released = holding.release(conn, early + timedelta(minutes=30))
    assert [(h.event.source, h.event.id) for h in released] == [("/desk/a", "e-1")]
    with engine.connect() as conn:
        assert holding.waiting(conn) == (1, late)
    with engine.begin() as conn:
        taken = holding.take(conn, "/desk/b", "e-1")
    assert taken is not None and taken.event.source == "/desk/b"
    with engine.connect() as conn:
        assert holding.waiting(conn)[0] == 0


def test_a_release_claiming_ids_and_sources_apart_puts_back_a_pair_it_did_not_want(
    fresh_db: FreshDb,
) -> None:
    """The claim's DELETE matches ids and sources apart: with (a, 1) and (b, 2) wanted, a held
    (a, 2) not yet due matches too, and is put back as it was."""
    engine = fresh_db()
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    later = at + timedelta(days=1)
    rows = [("/a", "1", at), ("/b", "2", at), ("/a", "2", later)]
    with engine.begin() as conn:
        for n, (source, event_id, time) in enumerate(rows):
            event = CloudEvent("warden.sales.expense.recorded", source, "x", {}, event_id, time)
            conn.execute(schema.events.insert(), [inbox_store.event_row(event)])
            holding.hold(
                conn,
                [{"event_id": event_id, "source": source, "time": time,
                  "stream": "sales.events:0", "offset": n, "held_at": at}],
            )  # fmt: skip
    with engine.begin() as conn:
        released = holding.release(conn, at + timedelta(hours=1))
    assert sorted((h.event.source, h.event.id) for h in released) == [("/a", "1"), ("/b", "2")]
    with engine.connect() as conn:
        kept = conn.execute(select(holding.held)).all()
    assert [(r.source, r.event_id, r.time, r.offset) for r in kept] == [("/a", "2", later, 2)]
