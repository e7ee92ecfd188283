"""Fixtures of the after-sales tests: the app on a real database with a clock the test moves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import BACKENDS, fresh_database
from tests.integration.aftersales.month import FakeClock, Month, run
from warden.aftersales.app import AfterSalesApp
from warden.aftersales.storage import tables
from warden.platform.db import make_engine


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 10, 1, 8, tzinfo=UTC))


@pytest.fixture
def app(database_url: str, clock: FakeClock) -> Iterator[AfterSalesApp]:
    engine = make_engine(database_url, tables.metadata)
    yield AfterSalesApp(engine, clock=clock)
    engine.dispose()


@pytest.fixture
def month(app: AfterSalesApp, clock: FakeClock) -> Month:
    return run(app, clock)


@contextmanager
def module_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AfterSalesApp, FakeClock]]:
    """An app on a fresh database of the requested backend, for a module-scoped fixture."""
    with fresh_database(request.param, tmp_path_factory.mktemp("as")) as url:
        engine = make_engine(url, tables.metadata)
        clock = FakeClock(datetime(2026, 10, 1, 8, tzinfo=UTC))
        try:
            yield AfterSalesApp(engine, clock=clock), clock
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def shared_month(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Month]:
    """One month per backend, shared by the tests that only read it (the suite stays fast)."""
    with module_app(request, tmp_path_factory) as (app, clock):
        yield run(app, clock)


def outbox_events(app: AfterSalesApp) -> list[dict[str, Any]]:
    """Every event the service wrote to its outbox, in order."""
    table = tables.outbox.table
    with app.engine.connect() as conn:
        rows = conn.execute(select(table.c.payload, table.c.key).order_by(table.c.seq)).all()
    return [{**json.loads(row.payload), "_key": row.key} for row in rows]


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == f"warden.aftersales.{kind}"]
