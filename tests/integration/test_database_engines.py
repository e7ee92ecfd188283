"""Database engines on real SQLite and PostgreSQL: a database made before an index was added
to one of its tables gets the index when a service opens it (create_all makes only missing
tables), and opening it again changes nothing; PostgreSQL sessions plan each statement for
its values."""

from __future__ import annotations

from sqlalchemy import inspect, text

from warden.compliance import judging, store  # noqa: F401 - judging adds the rule state tables
from warden.platform.db import make_engine

NEW_INDEXES = {
    "events": "ix_events_type_time",
    "inbox": "ix_inbox_event_id",
    "decisions": "ix_decisions_employee_id",
}


def indexes(url: str) -> dict[str, set[str]]:
    engine = make_engine(url)
    try:
        found = inspect(engine)
        return {table: {ix["name"] for ix in found.get_indexes(table)} for table in NEW_INDEXES}
    finally:
        engine.dispose()


def test_an_older_database_gets_the_indexes_added_since(database_url: str) -> None:
    make_engine(database_url, store.metadata).dispose()
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for name in NEW_INDEXES.values():
            conn.execute(text(f"DROP INDEX {name}"))
    engine.dispose()
    assert all(name not in indexes(database_url)[t] for t, name in NEW_INDEXES.items())

    make_engine(database_url, store.metadata).dispose()
    assert all(name in indexes(database_url)[t] for t, name in NEW_INDEXES.items())
    make_engine(database_url, store.metadata).dispose()  # nothing missing: nothing to do
    assert all(name in indexes(database_url)[t] for t, name in NEW_INDEXES.items())


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
