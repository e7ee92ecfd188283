"""The embedded broker stopped and started again on its port while the services publish: every
outbox row (sales events, an HR decision) is published once it is back, and no service is
restarted. Tansu keeps topics and records in memory only: what was published before the restart
is gone with it, and the topics are made again (the renewed producers create them where missing)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from tests.system import System, eventually, hr_decisions
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent, parse
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import read_topic
from warden.platform.topics import HR_PENALTY_DECISIONS, SALES_EVENTS
from warden.sales.storage import tables as sales_tables
from warden.v1 import common_pb2
from warden.v1 import sales_pb2 as pb


def open_opportunities(system: System, *customers: str) -> None:
    """An opportunity for each customer: an outbox row each."""
    for customer in customers:
        system.clients.sales.CreateOpportunity(
            pb.CreateOpportunityRequest(
                customer_id=customer,
                salesperson_id="alice",
                title="valves",
                estimated_value=common_pb2.Money(amount_minor=60_000, currency="EUR"),
            )
        )


def outbox_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(sales_tables.outbox.table.c.event_id)).scalars())


def decide(engine: Engine, name: str) -> None:
    """An HR decision in the compliance outbox, as an officer's decision writes it."""
    event = CloudEvent(
        id=name,
        type="warden.test.decided",
        source="/warden/compliance",
        subject="emp-1",
        time=datetime.now(UTC),
        data={},
    )
    with engine.begin() as conn:
        schema.outbox.add(conn, HR_PENALTY_DECISIONS, event)


def unpublished_decisions(engine: Engine) -> list[str]:
    table = schema.outbox.table
    with engine.connect() as conn:
        query = select(table.c.event_id).where(table.c.published_at.is_(None))
        return list(conn.execute(query).scalars())


def unpublished(engine: Engine) -> list[str]:
    table = sales_tables.outbox.table
    with engine.connect() as conn:
        query = select(table.c.event_id).where(table.c.published_at.is_(None))
        return list(conn.execute(query).scalars())


def test_every_outbox_row_is_published_after_the_broker_restarts_without_restarting_a_service(
    database_url: str, tmp_path: Path
) -> None:
    broker = EmbeddedBroker().start()
    try:
        with System.start(broker.bootstrap, database_url, tmp_path) as system:
            engine = system.sales.engine
            system.clients.sales.RegisterSalesperson(
                pb.RegisterSalespersonRequest(
                    salesperson=pb.Salesperson(
                        salesperson_id="alice", name="alice", role="sales_rep", team="north"
                    )
                )
            )
            open_opportunities(system, "before-1", "before-2")
            eventually(lambda: not unpublished(engine), what="the first rows published")
            published_before = outbox_ids(engine)
            broker.stop()
            open_opportunities(system, "during-1", "during-2", "during-3")
            decide(system.review.engine, "decision-during")
            time.sleep(2.0)  # the relays fail meanwhile
            assert len(unpublished(engine)) == 3
            assert unpublished_decisions(system.review.engine) == ["decision-during"]
            broker.start()  # the same port, empty: no topic, no producer id
            open_opportunities(system, "after-1", "after-2")
            eventually(lambda: not unpublished(engine), timeout_s=90, what="every row published")
            eventually(
                lambda: not unpublished_decisions(system.review.engine),
                timeout_s=90,
                what="the HR decision published",
            )
            (decision,) = hr_decisions(broker.bootstrap, timeout_s=20)
            assert parse(decision.value).id == "decision-during"
            wanted = outbox_ids(engine) - published_before
            assert len(wanted) == 5
            records = read_topic(broker.bootstrap, SALES_EVENTS, timeout_s=20, expect=5)
            assert wanted <= {parse(r.value).id for r in records}
            # The compliance consumer, still the same, judges the events of the new topic.
            eventually(
                lambda: system.consumer.judged >= 7, timeout_s=180, what="every event judged"
            )
            for runtime in system.runtimes.values():
                assert runtime.failure is None and not runtime.ended.is_set()
    finally:
        broker.stop()
