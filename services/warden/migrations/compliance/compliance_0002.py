"""Events are identified by (source, id); a case records when it was opened apart from when
the violation happened

Revision ID: compliance_0002
Revises: compliance_0001

- events: the key (event_id) becomes (event_id, source): CloudEvent ids are unique per source
  only, and a second source's event with an id another had used was refused.
- held_judgements: a held event is referenced by (event_id, source); existing rows take their
  stored event's source.
- cases: `occurred_at`, the violation's time. Until now `opened_at` held that time, so existing
  cases keep it in both columns; new cases are opened at processing time.
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import op

from warden.platform.db import JsonText, UtcDateTime

revision = "compliance_0002"
down_revision = "compliance_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rekey("events", ["event_id", "source"])

    op.add_column("held_judgements", sa.Column("source", sa.String(200), nullable=True))
    op.execute(
        "UPDATE held_judgements SET source = (SELECT e.source FROM events e "
        "WHERE e.event_id = held_judgements.event_id)"
    )
    op.execute("UPDATE held_judgements SET source = '' WHERE source IS NULL")  # event gone
    with op.batch_alter_table("held_judgements") as batch:
        batch.alter_column("source", existing_type=sa.String(200), nullable=False)
    _rekey("held_judgements", ["event_id", "source"])

    op.add_column("cases", sa.Column("occurred_at", UtcDateTime(timezone=True), nullable=True))
    op.execute("UPDATE cases SET occurred_at = opened_at")
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("occurred_at", existing_type=UtcDateTime(timezone=True), nullable=False)


def _rekey(table: str, columns: list[str]) -> None:
    """Give `table` the primary key `columns`. SQLite cannot alter a key: the table is copied
    (Alembic's batch mode) from its reflected definition with the new key; the indexes on
    expressions, which SQLite's reflection does not see, are made again after."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with warnings.catch_warnings():  # the expression indexes, made again below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            current = sa.Table(table, sa.MetaData(), autoload_with=bind)
        copy = sa.Table(
            table,
            sa.MetaData(),
            *(
                sa.Column(c.name, c.type, nullable=c.nullable, primary_key=c.name in columns)
                for c in current.columns
            ),
            *(
                sa.Index(i.name, *(c.name for c in i.columns), unique=bool(i.unique))
                for i in list(current.indexes)
            ),
        )
        with op.batch_alter_table(table, copy_from=copy, recreate="always"):
            pass
        if table == "events":
            payload = sa.Table("events", sa.MetaData(), sa.Column("payload", sa.Text)).c.payload
            for path in ("data.customer_id", "data.ticket_id", "data.accessor_id"):
                name = f"ix_events_{path.replace('.', '_')}"
                sa.Index(name, JsonText(payload, path)).create(bind)
        return
    old = sa.inspect(bind).get_pk_constraint(table)["name"]
    op.drop_constraint(old, table, type_="primary")
    op.create_primary_key(old, table, columns)


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
