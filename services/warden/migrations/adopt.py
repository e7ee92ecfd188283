"""Bringing a database made before migrations to the baseline: Warden then created missing
tables at each start, and added later indexes and 64-bit columns to existing tables by hand.
The baseline revisions call this, inside the upgrade's transaction."""

from __future__ import annotations

import logging

from sqlalchemy import BigInteger, Connection, Index, Integer, MetaData, inspect
from sqlalchemy.schema import CreateIndex

from warden.platform.db import index_names

log = logging.getLogger(__name__)


def index(metadata: MetaData, table: str, name: str, *columns: str, unique: bool = False) -> None:
    """Add index `name` on `columns` of `table` to a baseline's frozen metadata."""
    Index(name, *(metadata.tables[table].c[c] for c in columns), unique=unique)


def create_baseline(conn: Connection, metadata: MetaData) -> None:
    """A baseline revision's upgrade: an empty database gets every table; one made before
    migrations keeps its tables and rows, and gets what the releases before the baseline
    added to them (tables, indexes, widths)."""
    metadata.create_all(conn, checkfirst=True)
    adopt_indexes_and_widths(conn, metadata)


def adopt_indexes_and_widths(conn: Connection, metadata: MetaData) -> None:
    """Create the indexes of `metadata` that an existing table lacks, and widen to 64 bits the
    columns that were 32-bit when their table was made (PostgreSQL: money in minor units over
    21,474,836.47 did not fit; SQLite's integers are 64-bit already)."""
    for table in metadata.sorted_tables:
        present = index_names(conn, table.name)
        for index in table.indexes:
            if index.name not in present:
                log.info("creating index %s on %s (its existing rows too)", index.name, table)
                conn.execute(CreateIndex(index))
    if conn.dialect.name == "postgresql":
        _widen_integer_columns(conn, metadata)
        _warn_invalid_indexes(conn, metadata)


def _warn_invalid_indexes(conn: Connection, metadata: MetaData) -> None:
    """An index an earlier concurrent build left invalid is not used by queries, and counts as
    present here: say so, with the command that repairs it."""
    names = sorted(index.name for table in metadata.sorted_tables for index in table.indexes)
    invalid = conn.exec_driver_sql(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE NOT i.indisvalid AND c.relname = ANY(%(names)s) "
        "AND c.relnamespace = current_schema()::regnamespace",
        {"names": names},
    ).scalars()
    for name in invalid:
        log.warning(
            "index %s is invalid (an earlier build of it failed) and queries do not use it; "
            "repair it with: REINDEX INDEX CONCURRENTLY %s",
            name,
            name,
        )


def _widen_integer_columns(conn: Connection, metadata: MetaData) -> None:
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        wide = {c.name for c in table.columns if isinstance(c.type, BigInteger)}
        narrow = [
            column["name"]
            for column in inspector.get_columns(table.name)
            if column["name"] in wide
            and isinstance(column["type"], Integer)
            and not isinstance(column["type"], BigInteger)
        ]
        for name in narrow:
            log.info("widening %s.%s to a 64-bit integer (its existing rows too)", table.name, name)
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ALTER COLUMN "{name}" TYPE BIGINT')
