"""Deadlines in event time survive a restart: the compliance service stopped while a ticket's
resolution deadline is still ahead, later events arriving meanwhile, finds the breach exactly
once when it comes back. A stream's watermark is not moved by another stream's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.integration.compliance.conftest import FreshDb
from tests.system import _per_service_urls, eventually
from warden.bootstrap import build_compliance
from warden.compliance import store
from warden.compliance.judging import Judge
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent, format_time
from warden.platform.db import make_engine
from warden.platform.kafka import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS

T0 = datetime(2026, 11, 16, 8, tzinfo=UTC)


def ticket_event(kind: str, ticket: str, at: datetime, **data: Any) -> CloudEvent:
    return CloudEvent(
        type=f"warden.aftersales.{kind}",
        source="/warden/aftersales",
        subject="dave",
        time=at,
        id=f"{ticket}-{kind}",
        data={"ticket_id": ticket, "customer_id": "C-1", "agent_id": "dave", **data},
    )


def classified(ticket: str, at: datetime) -> CloudEvent:
    return ticket_event(
        "ticket.classified",
        ticket,
        at,
        category="defect",
        priority="p2",
        first_response_due=format_time(at + timedelta(hours=4)),
        resolution_due=format_time(at + timedelta(days=2)),
        classified_by="dave",
    )


def responded(ticket: str, at: datetime) -> CloudEvent:
    return ticket_event(
        "ticket.responded",
        ticket,
        at,
        first_response=True,
        first_response_due=format_time(T0 + timedelta(hours=4)),
        late=False,
    )


def received(ticket: str, at: datetime) -> CloudEvent:
    return ticket_event("ticket.received", ticket, at, product_id="X100", channel="phone")


def chased(ticket: str, at: datetime, n: int) -> CloudEvent:
    """The customer writes again (same ticket, so the same partition as its other events)."""
    event = ticket_event("customer.messaged", ticket, at, message_id=f"M-{n}")
    return CloudEvent(**{**event.__dict__, "id": f"{ticket}-message-{n}"})


def late_resolutions(database_url: str) -> list[Any]:
    engine = make_engine(database_url, store.metadata)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(store.findings).where(store.findings.c.rule_id == "resolution-late")
            ).all()
    finally:
        engine.dispose()


def test_a_deadline_passed_while_the_service_was_down_is_found_once_on_restart(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    url = _per_service_urls(database_url, tmp_path)["compliance"]
    settings = Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=url,
        consumer_group=f"warden-test-{tmp_path.name}",
    )
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
