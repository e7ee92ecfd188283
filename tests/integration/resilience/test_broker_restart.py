"""The embedded broker stopped and started again on its port while the services publish: every
outbox row is published once it is back, and no service is restarted. Tansu keeps topics and
records in memory only: what was published before the restart is gone with it, and the topics
are made again (the relay's renewed producer creates them where missing)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, select

from tests.system import System, eventually
from warden.platform.cloudevents import parse
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import read_topic
from warden.platform.topics import SALES_EVENTS
from warden.sales import store as sales_store
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
        return set(conn.execute(select(sales_store.outbox.table.c.event_id)).scalars())


def unpublished(engine: Engine) -> list[str]:
    table = sales_store.outbox.table
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
            time.sleep(2.0)  # the relay fails meanwhile
            assert len(unpublished(engine)) == 3
            broker.start()  # the same port, empty: no topic, no producer id
            open_opportunities(system, "after-1", "after-2")
            eventually(lambda: not unpublished(engine), timeout_s=90, what="every row published")
            wanted = outbox_ids(engine) - published_before
            assert len(wanted) == 5
            records = read_topic(broker.bootstrap, SALES_EVENTS, timeout_s=20, expect=5)
            assert wanted <= {parse(r.value).id for r in records}
            for runtime in system.runtimes.values():
                assert runtime.failure is None and not runtime.ended.is_set()
    finally:
        broker.stop()
