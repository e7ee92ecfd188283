"""Inboxes: cases.inbox and cases.due_at, and the configured inboxes (queues)

Revision ID: compliance_0009
Revises: compliance_0008
Create Date: 2026-12-07 13:00:00

Every case waits in an inbox and is due its inbox's SLA after it was opened
(compliance/domain/inboxes.py). Existing cases are placed by the inboxes as shipped (their
clause family: 4.1 sales, three days; 4.2 after-sales, two days; any other, five days),
decided ones too, so their due date is known; nothing else of a case changes, and no
decision is touched. The queues table starts empty: the service writes the configured
inboxes there when it starts.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from warden.platform.db import UtcDateTime

revision = "compliance_0009"
down_revision = "compliance_0008"
branch_labels = None
depends_on = None

# The shipped inboxes as this revision knows them (frozen: later defaults may differ).
_SHIPPED = (("4.1", "sales", timedelta(days=3)), ("4.2", "after-sales", timedelta(days=2)))
_OTHER = ("general", timedelta(days=5))


def _inbox_of(clause: str) -> tuple[str, timedelta]:
    for family, name, sla in _SHIPPED:
        if clause == family or clause.startswith(family + "."):
            return name, sla
    return _OTHER


def upgrade() -> None:
    # Nullable columns are added in place on both databases (no batch copy on SQLite).
    op.add_column("cases", sa.Column("inbox", sa.String(length=64), nullable=True))
    op.add_column("cases", sa.Column("due_at", UtcDateTime(timezone=True), nullable=True))
    op.create_index("ix_cases_inbox_due_at", "cases", ["inbox", "due_at"])
    op.create_table(
        "queues",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sla_seconds", sa.BigInteger(), nullable=False),
        sa.Column("clauses", sa.Text(), nullable=False),
        sa.Column("departments", sa.Text(), nullable=False),
        sa.Column("officers", sa.Text(), nullable=False),
        sa.Column("officer_limit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    cases = sa.table(
        "cases",
        sa.column("case_id", sa.String()),
        sa.column("clause", sa.String()),
        sa.column("opened_at", UtcDateTime(timezone=True)),
        sa.column("inbox", sa.String()),
        sa.column("due_at", UtcDateTime(timezone=True)),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(cases.c.case_id, cases.c.clause, cases.c.opened_at)).all()
    for case_id, clause, opened_at in rows:
        inbox, sla = _inbox_of(clause)
        conn.execute(
            cases.update()
            .where(cases.c.case_id == case_id)
            .values(inbox=inbox, due_at=opened_at + sla)
        )


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
