"""Deadlines in event time survive a restart: the compliance service stopped while a ticket's
resolution deadline is still ahead, later events arriving meanwhile, finds the breach exactly
once when it comes back. A stream's watermark is not moved by another stream's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from tests.system import TEST_SOURCES, _per_service_urls, eventually
from warden.bootstrap import build_compliance
from warden.compliance.judging import deadline_rows, holding
from warden.compliance.judging.judge import Judge
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent, format_time
from warden.platform.db import make_engine
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS

T0 = datetime(2026, 11, 16, 8, tzinfo=UTC)


def published(ticket: str, kind: str) -> dict[str, Any]:
    """The envelope of the after-sales service's own events of one ticket, here."""
    return {"customer": "C-1", "source": "/warden/aftersales", "event_id": f"{ticket}-{kind}"}


def classified(ticket: str, at: datetime) -> CloudEvent:
    return builders.ticket_classified(ticket, at=at, **published(ticket, "ticket.classified"))


def responded(ticket: str, at: datetime) -> CloudEvent:
    due = T0 + timedelta(hours=4)
    return builders.ticket_responded(
        ticket, due=due, at=at, **published(ticket, "ticket.responded")
    )


def resolved(ticket: str, at: datetime) -> CloudEvent:
    return builders.ticket_event(
        "ticket.resolved",
        ticket,
        at=at,
        resolution="replaced seal",
        resolution_due=format_time(T0 + timedelta(days=2)),
        late=False,
        **published(ticket, "ticket.resolved"),
    )


def received(ticket: str, at: datetime) -> CloudEvent:
    return builders.ticket_received(ticket, at=at, **published(ticket, "ticket.received"))


def chased(ticket: str, at: datetime, n: int) -> CloudEvent:
    """The customer writes again (same ticket, so the same partition as its other events)."""
    envelope = {**published(ticket, "customer.messaged"), "event_id": f"{ticket}-message-{n}"}
    return builders.ticket_event(
        "customer.messaged", ticket, at=at, message_id=f"M-{n}", **envelope
    )


def late_resolutions(database_url: str) -> list[Any]:
    engine = make_engine(database_url, schema.metadata)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(schema.findings).where(schema.findings.c.rule_id == "resolution-late")
            ).all()
    finally:
        engine.dispose()


def service_settings(
    broker: str, database_url: str, tmp_path: Path, **overrides: Any
) -> tuple[str, Settings]:
    """The compliance service's database URL and settings on the test's broker."""
    url = _per_service_urls(database_url, tmp_path)["compliance"]
    settings = Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=url,
        consumer_group=f"warden-test-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        **overrides,
    )
    return url, settings


def test_a_deadline_passed_while_the_service_was_down_is_found_once_on_restart(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    # Found by the later event, not by the clock (the next test): the ticket is ten days old.
    url, settings = service_settings(broker, database_url, tmp_path, quiet_partition_s=0.0)
    publisher = KafkaPublisher(broker)
    try:
        runtime, _, consumer = build_compliance(settings, port=0)
        runtime.start()
        for event in (classified("T-1", T0), responded("T-1", T0 + timedelta(hours=1))):
            publisher.send(AFTERSALES_EVENTS, "T-1", event.to_bytes())
        eventually(lambda: consumer.judged >= 2, what="the ticket's events judged")
        runtime.stop(grace_s=0.5)
        assert late_resolutions(url) == []

        # While the service is down: three days pass in event time, nobody resolves T-1.
        later = chased("T-1", T0 + timedelta(days=3), 1)
        publisher.send(AFTERSALES_EVENTS, "T-1", later.to_bytes())

        runtime, _, consumer = build_compliance(settings, port=0)
        runtime.start()
        try:
            (found,) = eventually(lambda: late_resolutions(url), what="the missed resolution")
            evenlater = chased("T-1", T0 + timedelta(days=4), 2)
            publisher.send(AFTERSALES_EVENTS, "T-1", evenlater.to_bytes())
            eventually(lambda: consumer.judged >= 2, what="the later events judged")
        finally:
            runtime.stop(grace_s=0.5)
    finally:
        publisher.close()
    assert len(late_resolutions(url)) == 1
    assert found.employee_id == "dave"
    assert "T-1-ticket.classified" in found.event_ids
    assert "2026-11-18 08:00:00 UTC" in found.reasons


def test_deadline_state_lives_in_the_database_not_in_the_judge(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    Judge.from_directory(engine, Settings().rules_dir).handle(classified("T-1", T0), "t", 0, 1)

    restarted = Judge.from_directory(engine, Settings().rules_dir)
    assert restarted.sweep() == ()
    opened = restarted.handle(received("T-2", T0 + timedelta(days=3)), "t", 0, 2).cases
    assert sorted(c.findings[0].rule_id for c in opened) == [
        "first-response-late",
        "resolution-late",
    ]
    again = Judge.from_directory(engine, Settings().rules_dir)
    assert again.sweep() == ()
    assert again.handle(received("T-3", T0 + timedelta(days=5)), "t", 0, 3).cases == ()


def test_a_stream_replaying_the_past_is_not_judged_by_another_streams_now(
    fresh_db: FreshDb,
) -> None:
    judge = Judge.from_directory(fresh_db(), Settings().rules_dir)
    judge.handle(received("T-9", T0 + timedelta(days=30)), "aftersales.events", 1, 1)
    opened = judge.handle(classified("T-1", T0), "aftersales.events", 0, 1).cases
    opened += judge.handle(
        responded("T-1", T0 + timedelta(hours=1)), "aftersales.events", 0, 2
    ).cases
    assert opened == ()
    late = judge.handle(chased("T-1", T0 + timedelta(days=3), 1), "aftersales.events", 0, 3)
    assert [c.findings[0].rule_id for c in late.cases] == ["resolution-late"]


def started_by(case: Any) -> str:
    """The event that started the missed deadline of a deadline case."""
    (started,) = [e for e in case.findings[0].event_ids if e.endswith("ticket.classified")]
    return started


def watermark_of(engine: Any, stream: str) -> datetime | None:
    with engine.connect() as conn:
        return deadline_rows.watermark(conn, stream)


def test_passing_time_on_a_quiet_stream_judges_its_due_deadlines_once(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.handle(classified("T-1", T0), "aftersales.events", 0, 1)  # due T0+4h and T0+2d
    judge.handle(classified("T-2", T0), "aftersales.events", 1, 1)

    # Up to T0+5h: the first response of T-1 is late; T-2's stream is not passed.
    opened = judge.pass_time(["aftersales.events:0"], T0 + timedelta(hours=5))
    assert [c.findings[0].rule_id for c in opened] == ["first-response-late"]
    assert started_by(opened[0]) == "T-1-ticket.classified"
    assert watermark_of(engine, "aftersales.events:0") == T0 + timedelta(hours=5)
    assert watermark_of(engine, "aftersales.events:1") == T0

    # Again, and with an earlier moment: nothing new, the watermark is not lowered.
    assert judge.pass_time(["aftersales.events:0"], T0 + timedelta(hours=5)) == ()
    assert judge.pass_time(["aftersales.events:0"], T0 + timedelta(hours=1)) == ()
    assert watermark_of(engine, "aftersales.events:0") == T0 + timedelta(hours=5)

    # Nothing due before the moment on either stream: nothing judged, nothing written.
    assert (
        judge.pass_time(["aftersales.events:0", "aftersales.events:1"], T0 + timedelta(hours=3))
        == ()
    )
    assert watermark_of(engine, "aftersales.events:1") == T0

    later = judge.pass_time(
        ["aftersales.events:0", "aftersales.events:1", "aftersales.events:5"],
        T0 + timedelta(days=3),
    )
    assert sorted((c.findings[0].rule_id, started_by(c)) for c in later) == [
        ("first-response-late", "T-2-ticket.classified"),
        ("resolution-late", "T-1-ticket.classified"),
        ("resolution-late", "T-2-ticket.classified"),
    ]
    assert watermark_of(engine, "aftersales.events:5") is None  # a stream never read: no row


def test_history_replayed_onto_a_partition_the_clock_found_quiet_is_judged_in_its_own_time(
    fresh_db: FreshDb,
) -> None:
    """The clock marks an idle partition complete for the judgements held for every partition
    (compliance/judging/holding.py), but leaves its watermark alone: a ticket of last month replayed
    onto it later is judged in event time, its response in time is in time. (Raising the
    watermark instead flagged every replayed ticket's first response as late.)"""
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    stream = "aftersales.events:3"
    assert judge.pass_time([stream], T0 + timedelta(days=30)) == ()  # never read, now quiet
    assert watermark_of(engine, stream) is None
    with engine.connect() as conn:
        assert holding.complete_up_to(conn, [stream]) == T0 + timedelta(days=30)
    assert judge.handle(classified("T-1", T0), "aftersales.events", 3, 0).cases == ()
    answered = judge.handle(responded("T-1", T0 + timedelta(hours=1)), "aftersales.events", 3, 1)
    assert answered.cases == ()
    assert watermark_of(engine, stream) == T0 + timedelta(hours=1)


def test_an_event_later_than_the_lateness_does_not_undo_a_deadline_the_clock_judged(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.handle(classified("T-1", T0), "aftersales.events", 0, 1)
    (late,) = judge.pass_time(["aftersales.events:0"], T0 + timedelta(hours=5))
    # The response made at T0+1h reaches Kafka after the stream was judged complete to T0+5h:
    # it is judged, but the missed first response stands (docs/compliance.md#deadlines).
    assert (
        judge.handle(responded("T-1", T0 + timedelta(hours=1)), "aftersales.events", 0, 2).cases
        == ()
    )
    assert late.findings[0].rule_id == "first-response-late"
    assert judge.pass_time(["aftersales.events:0"], T0 + timedelta(hours=6)) == ()


def deadline_findings(database_url: str, ticket: str = "T-7") -> list[tuple[str, bool]]:
    """The deadline findings: (rule, whether they cite the ticket's classification)."""
    engine = make_engine(database_url, schema.metadata)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(schema.findings.c.rule_id, schema.findings.c.event_ids).where(
                    schema.findings.c.rule_id.in_(["first-response-late", "resolution-late"])
                )
            ).all()
    finally:
        engine.dispose()
    started = f"{ticket}-ticket.classified"
    return sorted((row.rule_id, started in row.event_ids) for row in rows)


def test_a_quiet_partition_has_its_deadlines_judged_by_the_clock_once(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    """The service on the embedded broker: a ticket classified last week, nothing after it on
    its partition. Its two missed deadlines are found by the clock, once each, with no later
    event; the next checks find nothing more."""
    url, settings = service_settings(
        broker, database_url, tmp_path, quiet_partition_s=1.0, event_lateness_s=60.0
    )
    last_week = datetime.now(UTC) - timedelta(days=7)
    publisher = KafkaPublisher(broker)
    runtime, _, consumer = build_compliance(settings, port=0)
    runtime.start()
    try:
        publisher.send(AFTERSALES_EVENTS, "T-7", classified("T-7", last_week).to_bytes())
        eventually(lambda: consumer.judged >= 1, what="the classification judged")
        found = eventually(lambda: deadline_findings(url), what="the missed deadlines")
        passes = consumer.quiet_passes
        eventually(lambda: consumer.quiet_passes >= passes + 2, what="two more clock checks")
    finally:
        runtime.stop(grace_s=0.5)
        publisher.close()
    assert consumer.judged == 1  # the findings came from the clock, not from a later event
    expected = [("first-response-late", True), ("resolution-late", True)]
    assert deadline_findings(url) == expected
    assert found in (expected, expected[:1])  # both at once, or the first response first
