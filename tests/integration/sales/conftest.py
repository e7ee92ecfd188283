"""The sales service alone on a real database: its app with a clock the test sets, and its gRPC
edge on a free port (no Kafka: its events are read back from the outbox)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import BACKENDS, fresh_database
from warden.platform.auth import ADMIN, CRM, SALES, AuthInterceptor, issue_token, with_token
from warden.platform.db import make_engine
from warden.platform.grpc_server import create_server
from warden.sales.app import SalesApp
from warden.sales.edge.servicer import SERVICE_NAME, SalesServicer
from warden.sales.storage import tables
from warden.v1 import sales_pb2_grpc

from .seed import World, seed

SECRET = "sales-tests-secret-long-enough-for-hs256"
# The tests' default caller: an administrator that is also a sales system (role crm), so that
# it may name the salespeople who acted; the events then carry it as recorded_by.
SYSTEM = "warden-tests"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def set(self, year: int, month: int, day: int, hour: int = 10) -> None:
        self.now = datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class Sales:
    app: SalesApp
    engine: Engine
    clock: Clock
    stub: sales_pb2_grpc.SalesServiceStub
    address: str
    channels: list[grpc.Channel] = field(default_factory=list)

    def as_(self, subject: str, *roles: str) -> sales_pb2_grpc.SalesServiceStub:
        """A stub calling with `subject`'s own token (role sales unless given): who acts."""
        self.channels.append(grpc.insecure_channel(self.address))
        token = issue_token(SECRET, subject, roles or (SALES,))
        return sales_pb2_grpc.SalesServiceStub(with_token(self.channels[-1], token))

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The CloudEvents in the outbox, oldest first, optionally of one type."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(tables.outbox.table.c.payload).order_by("seq")).all()
        found = [json.loads(row.payload) for row in rows]
        return [e for e in found if kind is None or e["type"] == kind]

    def counts(self) -> dict[str, int]:
        """Rows per table: equal before and after a refused request means nothing changed."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in tables.metadata.tables.items()
            }


@contextmanager
def serving(database_url: str) -> Iterator[Sales]:
    """The sales app and its gRPC server on `database_url` until the block ends."""
    engine = make_engine(database_url, tables.metadata)
    clock = Clock()
    app = SalesApp(engine, clock=clock)
    server, port, _ = create_server(
        "127.0.0.1:0",
        lambda s: sales_pb2_grpc.add_SalesServiceServicer_to_server(SalesServicer(app), s),
        [SERVICE_NAME],
        max_workers=4,
        auth=AuthInterceptor(SECRET),
    )
    server.start()
    address = f"127.0.0.1:{port}"
    channel = with_token(grpc.insecure_channel(address), issue_token(SECRET, SYSTEM, [ADMIN, CRM]))
    running = Sales(app, engine, clock, sales_pb2_grpc.SalesServiceStub(channel), address)
    try:
        yield running
    finally:
        channel.close()
        for opened in running.channels:
            opened.close()
        server.stop(0).wait()
        engine.dispose()


@pytest.fixture
def sales(database_url: str) -> Iterator[Sales]:
    """A fresh sales service on each backend."""
    with serving(database_url) as running:
        yield running


@pytest.fixture(scope="module", params=BACKENDS)
def shared_sales(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Sales, World]]:
    """One seeded sales service per backend for a module whose tests change nothing (each
    asserts so), which keeps dozens of refusal tests fast."""
    with (
        fresh_database(request.param, tmp_path_factory.mktemp("sales")) as url,
        serving(url) as running,
    ):
        yield running, seed(running.app)
