"""Alembic's environment for every Warden database: run by warden.migrations, never on its own.

The caller passes the connection, the service's metadata and its version table in the config's
attributes, so one file serves the three chains of revisions.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=config.attributes["metadata"],
    version_table=config.attributes["version_table"],
    # SQLite alters a table by copying it: Alembic's batch mode does that for us.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
