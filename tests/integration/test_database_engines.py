"""Database engines on real SQLite and PostgreSQL: a database made before migrations, and
before an index was added to one of its tables, gets the index when it is brought to the
baseline (`warden db upgrade`); PostgreSQL sessions plan each statement for its values."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    event,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from tests.integration.test_migrations import baseline_tables
from warden import migrations
from warden.compliance.judging import judge as judging  # noqa: F401 - judging adds the rule state tables
from warden.money import Money
from warden.platform.db import BulkInsert, UtcDateTime, index_names, make_engine
from warden.sales.app import SalesApp

NEW_INDEXES = [
    ("events", "ix_events_type_time"),
    ("events", "ix_events_data_customer_id"),  # on an expression: the payload's customer id
    ("inbox", "ix_inbox_event_id"),
    ("decisions", "ix_decisions_employee_id"),
]


def present(url: str) -> list[bool]:
    engine = make_engine(url)
    try:
        return [name in index_names(engine, table) for table, name in NEW_INDEXES]
    finally:
        engine.dispose()


def _made_before_migrations(url: str, service: str) -> None:
    """Tables as a Warden before migrations made them: the baseline's, no revision recorded."""
    engine = make_engine(url)
    baseline_tables(service).create_all(engine)
    engine.dispose()


def test_an_older_database_gets_the_indexes_added_since(database_url: str) -> None:
    _made_before_migrations(database_url, "compliance")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for _table, name in NEW_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
    engine.dispose()
    assert present(database_url) == [False] * len(NEW_INDEXES)

    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        migrations.upgrade(database_url, "compliance", to="compliance_0001")  # the adoption
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert present(database_url) == [True] * len(NEW_INDEXES)
    made = [s for s in statements if s.startswith("CREATE INDEX")]
    assert len(made) == len(NEW_INDEXES), made
    migrations.upgrade(database_url, "compliance")  # the later revisions keep them
    assert present(database_url) == [True] * len(NEW_INDEXES)


def test_an_invalid_index_is_reported_with_its_repair(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A concurrent build that failed (before migrations, indexes were built CONCURRENTLY)
    leaves an invalid index, which queries do not use."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite builds its indexes in a transaction: none is left invalid")
    _made_before_migrations(database_url, "compliance")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE pg_index SET indisvalid = false "
            "WHERE indexrelid = 'ix_events_data_customer_id'::regclass"
        )
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="warden.migrations.adopt"):
        migrations.upgrade(database_url, "compliance")
    warned = [r.getMessage() for r in caplog.records if r.name == "warden.migrations.adopt"]
    assert len(warned) == 1, warned
    assert "index ix_events_data_customer_id is invalid" in warned[0]
    assert "REINDEX INDEX CONCURRENTLY ix_events_data_customer_id" in warned[0]


def test_postgresql_sessions_plan_each_statement_for_its_values(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        if engine.dialect.name != "postgresql":
            assert engine.dialect.name == "sqlite"
            return
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
    finally:
        engine.dispose()


def test_a_bulk_insert_writes_what_an_orm_insert_would(database_url: str) -> None:
    """BulkInsert (the judging transaction's writes) against SQLAlchemy's own insert of the
    same rows: a UTC datetime, a boolean, a reserved word as a column name, a default for a
    column a row leaves out, and a NULL."""
    meta = MetaData()
    table = Table(
        "bulk_probe",
        meta,
        Column("id", String(20), primary_key=True),
        Column("offset", Integer, nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("flag", Boolean, nullable=True),
        Column("note", Text, nullable=False, default="none given"),
    )
    engine = make_engine(database_url, meta)
    at = datetime(2026, 11, 27, 10, 30, 1, 250, tzinfo=timezone(timedelta(hours=8)))
    rows: list[dict[str, object]] = [
        {"id": "a", "offset": 1, "at": at, "flag": True, "note": "Zoë 张三"},
        {"id": "b", "offset": 2, "at": at, "flag": None},
    ]
    try:
        with engine.begin() as conn:
            BulkInsert(table)(conn, [r | {"id": f"bulk-{r['id']}"} for r in rows])
            for row in rows:
                conn.execute(table.insert(), row | {"id": f"orm-{row['id']}"})
            BulkInsert(table)(conn, [])  # nothing to write: no statement
        with engine.connect() as conn:
            got = {r.id: tuple(r)[1:] for r in conn.execute(select(table))}
            raw = {r[0]: r[1] for r in conn.execute(select(table.c.id, cast(table.c.at, Text)))}
        assert got["bulk-a"] == got["orm-a"] == (1, at.astimezone(UTC), True, "Zoë 张三")
        assert got["bulk-b"] == got["orm-b"] == (2, at.astimezone(UTC), None, "none given")
        assert raw["bulk-a"] == raw["orm-a"]  # stored alike, not only read back alike
        if engine.dialect.name == "sqlite":  # as SQLAlchemy's SQLite DATETIME writes it
            assert raw["bulk-a"] == "2026-11-27 02:30:01.000250"
        with engine.begin() as conn, pytest.raises(IntegrityError):
            BulkInsert(table)(conn, [rows[0] | {"id": "bulk-a"}])  # the key is still the key
    finally:
        meta.drop_all(engine)
        engine.dispose()


THIRTY_MILLION = Money(3_000_000_000, "EUR")  # 30,000,000.00 EUR: beyond a 32-bit integer


def test_money_beyond_32_bits_is_stored_and_an_older_databases_columns_are_widened(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A price of 21,474,836.48 or more failed on PostgreSQL (integer out of range, an INTERNAL
    error to the caller); SQLite's integers were 64-bit already."""
    _made_before_migrations(database_url, "sales")
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":  # as a database made before the columns widened
        with engine.begin() as conn:
            for column in ("list_price_minor", "floor_price_minor", "current_price_minor"):
                conn.exec_driver_sql(f"ALTER TABLE products ALTER COLUMN {column} TYPE INTEGER")
    with caplog.at_level(logging.INFO, logger="warden.migrations.adopt"):
        migrations.upgrade(database_url, "sales")
    widened = [r.getMessage() for r in caplog.records if "widening" in r.getMessage()]
    if engine.dialect.name == "postgresql":
        assert widened == [
            f"widening products.{c} to a 64-bit integer (its existing rows too)"
            for c in ("list_price_minor", "floor_price_minor", "current_price_minor")
        ]
    else:
        assert widened == []
    try:
        app = SalesApp(engine)
        app.set_list_price("TURBINE", "gas turbine", THIRTY_MILLION, THIRTY_MILLION)
        assert app.get_product("TURBINE").list_price == THIRTY_MILLION
    finally:
        engine.dispose()
