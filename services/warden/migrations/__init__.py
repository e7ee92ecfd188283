"""Each service's database schema and its chain of Alembic revisions (docs/migrations.md).

A service checks its database at start-up (`ensure_current`): an empty one is created at the
newest revision; one at an older revision, or made before Warden had migrations, is refused
with the command that upgrades it (`warden db upgrade`); one at a revision this code does not
know is refused too. Nothing is written in either refusal.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).parent
VERSIONS = HERE  # each service's revisions are in a folder of its name here
SERVICES = ("sales", "aftersales", "compliance")

# The modules whose tables make up each service's metadata (some add tables to a store's).
_MODULES = {
    "sales": ("warden.sales.storage.tables",),
    "aftersales": ("warden.aftersales.storage.tables",),
    "compliance": (
        "warden.compliance.storage.schema",
        "warden.compliance.judging.state",
        "warden.compliance.rules.catalogue",
    ),
}


class SchemaError(RuntimeError):
    """The database's schema is not the one this code needs; nothing was written."""


class SchemaBehind(SchemaError):
    """The database is at an older revision (or has none): `warden db upgrade` brings it on."""


class SchemaAhead(SchemaError):
    """The database is at a revision this code does not know: a newer Warden migrated it."""


@dataclass(frozen=True)
class Status:
    service: str
    current: str | None  # None: no revision recorded
    head: str
    tables: int  # the service's tables the database has

    @property
    def state(self) -> str:
        if self.current == self.head:
            return "current"
        if self.current is None:
            return "empty" if self.tables == 0 else "unversioned"
        if self.current not in _known(self.service):
            return "ahead"
        return "behind"


def metadata(service: str) -> MetaData:
    """The service's tables as the code defines them (every module that adds some imported)."""
    modules = [importlib.import_module(name) for name in _MODULES[_checked(service)]]
    found: MetaData = modules[0].metadata
    return found


def service_of(tables: MetaData) -> str | None:
    """The service whose metadata `tables` is, if any."""
    return next((s for s in SERVICES if metadata(s) is tables), None)


def version_table(service: str) -> str:
    # One version table per service, so that services sharing one database keep apart.
    return f"alembic_version_{_checked(service)}"


def config(service: str, connection: Connection | None = None) -> Config:
    """Alembic's configuration for the service's chain, bound to `connection` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("version_locations", str(VERSIONS / _checked(service)))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes.update(
        connection=connection,
        metadata=metadata(service),
        version_table=version_table(service),
    )
    return cfg


def head(service: str) -> str:
    found = ScriptDirectory.from_config(config(service)).get_current_head()
    assert found is not None, f"no revisions for {service}"
    return found


def _known(service: str) -> set[str]:
    script = ScriptDirectory.from_config(config(service))
    return {rev.revision for rev in script.walk_revisions()}


def status(engine: Engine, service: str) -> Status:
    """Where the service's database stands, read without writing anything."""
    with engine.connect() as conn:
        return _status(conn, service)


def _status(conn: Connection, service: str) -> Status:
    context = MigrationContext.configure(conn, opts={"version_table": version_table(service)})
    names = set(inspect(conn).get_table_names())
    ours = sum(1 for name in metadata(service).tables if name in names)
    return Status(service, context.get_current_revision(), head(service), ours)


def ensure_current(engine: Engine, service: str) -> None:
    """Create an empty database at the newest revision; refuse any other that is not current
    (SchemaBehind or SchemaAhead, naming both revisions and what to run)."""
    with engine.begin() as conn:
        _serialise(conn, service)
        found = _status(conn, service)
        if found.state == "empty":
            metadata(service).create_all(conn)
            MigrationContext.configure(conn, opts={"version_table": version_table(service)}).stamp(
                ScriptDirectory.from_config(config(service)), found.head
            )
            return
    _refuse_unless_current(found)


def _refuse_unless_current(found: Status) -> None:
    service, state = found.service, found.state
    if state == "current":
        return
    if state == "ahead":
        raise SchemaAhead(
            f"the {service} database is at revision {found.current}, which this Warden does "
            f"not know (its newest is {found.head}): a newer Warden migrated it; run that "
            "release, or restore a backup taken before the upgrade"
        )
    was = "has no revision (made before Warden had migrations)"
    if state == "behind":
        was = f"is at revision {found.current}"
    raise SchemaBehind(
        f"the {service} database {was}; this Warden needs {found.head}: back it up, then run "
        f"`warden db upgrade {service}`"
    )


def upgrade(
    url: str, service: str, to: str = "head", say: Callable[[str], None] = lambda _: None
) -> Status:
    """Apply the service's revisions up to `to` in one transaction (PostgreSQL and SQLite both
    roll a failed upgrade back whole). A database made before migrations is first brought to
    the baseline and stamped; an empty one is built by the revisions from the start."""
    with _migration_engine(url) as engine, engine.begin() as conn:
        _serialise(conn, service)
        found = _status(conn, service)
        if found.state == "ahead":
            _refuse_unless_current(found)
        cfg = config(service, conn)
        if found.state == "unversioned":
            say(f"{service}: tables without a revision: bringing them to the baseline")
        for step in ScriptDirectory.from_config(cfg).iterate_revisions(to, found.current):
            say(f"{service}: applying {step.revision} ({step.doc})")
        command.upgrade(cfg, to)
        done = _status(conn, service)
    return done


@contextmanager
def _migration_engine(url: str) -> Iterator[Engine]:
    """An engine for migrating: on SQLite the driver's own transaction handling is switched off
    and each transaction begins with BEGIN IMMEDIATE, so DDL is transactional there too (the
    driver would otherwise commit schema changes one by one); foreign keys are not enforced
    while tables are copied, and checked afterwards by the revisions that copy."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _autocommit_driver(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            dbapi_connection.execute("PRAGMA busy_timeout=30000")

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        yield engine
    finally:
        engine.dispose()


def _serialise(conn: Connection, service: str) -> None:
    """One replica at a time creates or migrates a database: on PostgreSQL a transaction-scoped
    advisory lock per service (SQLite's write lock does the same there)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": service})


def _checked(service: str) -> str:
    if service not in SERVICES:
        raise ValueError(f"no such service: {service!r} (one of {', '.join(SERVICES)})")
    return service
