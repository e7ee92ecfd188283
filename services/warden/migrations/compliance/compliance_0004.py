"""Evidence names each event by (source, id); the inbox is purged oldest first

Revision ID: compliance_0004
Revises: compliance_0003

- findings, shadow_findings: `event_sources`, the source of each of `event_ids` in order. An
  existing row takes, for each id, the source of the one stored event with that id; where no
  stored event or several have it, the source is "" (not known), and the evidence is looked up
  by id alone, as before.
- rule_deadlines: `started_by_source` and `settled_by_source`, filled the same way.
- inbox: an index on `received_at`, which the retention purge reads oldest first.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "compliance_0004"
down_revision = "compliance_0003"
branch_labels = None
depends_on = None

_BATCH = 500

# The source of the one stored event with this id, NULL when none or several have it.
_ONLY_SOURCE = (
    "(SELECT MIN(e.source) FROM events e WHERE e.event_id = rule_deadlines.{column} "
    "HAVING COUNT(*) = 1)"
)


def upgrade() -> None:
    for table in ("findings", "shadow_findings"):
        op.add_column(table, sa.Column("event_sources", sa.Text(), nullable=True))
        _fill_event_sources(table)
    for column in ("started_by_source", "settled_by_source"):
        op.add_column("rule_deadlines", sa.Column(column, sa.String(200), nullable=True))
    op.execute(
        "UPDATE rule_deadlines SET started_by_source = " + _ONLY_SOURCE.format(column="started_by")
    )
    op.execute(
        "UPDATE rule_deadlines SET settled_by_source = "
        + _ONLY_SOURCE.format(column="settled_by")
        + " WHERE settled_by IS NOT NULL"
    )
    op.create_index("ix_inbox_received_at", "inbox", ["received_at"])


def _fill_event_sources(name: str) -> None:
    """Each row's sources, resolved from the stored events, in batches of rows."""
    bind = op.get_bind()
    table = sa.table(
        name, sa.column("finding_id"), sa.column("event_ids"), sa.column("event_sources")
    )
    events = sa.table("events", sa.column("event_id"), sa.column("source"))
    after = ""
    while True:
        rows = bind.execute(
            sa.select(table.c.finding_id, table.c.event_ids)
            .where(table.c.finding_id > after)
            .order_by(table.c.finding_id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        ids_of = {row.finding_id: [str(i) for i in json.loads(row.event_ids)] for row in rows}
        sources = _sources(bind, events, {i for ids in ids_of.values() for i in ids})
        bind.execute(
            table.update()
            .where(table.c.finding_id == sa.bindparam("fid"))
            .values(event_sources=sa.bindparam("sources")),
            [
                {"fid": fid, "sources": json.dumps([sources.get(i, "") for i in ids])}
                for fid, ids in ids_of.items()
            ],
        )
        after = rows[-1].finding_id


def _sources(bind: Any, events: Any, ids: set[str]) -> dict[str, str]:
    """id -> source, for the ids exactly one stored event has."""
    seen: dict[str, set[str]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        query = sa.select(events.c.event_id, events.c.source).where(events.c.event_id.in_(chunk))
        for event_id, source in bind.execute(query):
            seen.setdefault(event_id, set()).add(source)
    return {i: next(iter(s)) for i, s in seen.items() if len(s) == 1}


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
