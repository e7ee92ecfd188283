"""Rule snoozes: the snoozes table and findings.snooze_id

Revision ID: compliance_0010
Revises: compliance_0009
Create Date: 2026-12-07 12:30:00

An officer may snooze one rule for one employee or customer from a decided case
(compliance/review/snoozes.py). The new table starts empty. A finding a snooze suppressed is
recorded without a case and names its snooze in findings.snooze_id; existing findings get
NULL (each opened its case).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.platform.db import UtcDateTime

revision = "compliance_0010"
down_revision = "compliance_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snoozes",
        sa.Column("snooze_id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("snoozed_by", sa.String(length=200), nullable=False),
        sa.Column("starts_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=200), nullable=False),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"]),
        sa.PrimaryKeyConstraint("snooze_id"),
    )
    op.create_index("ix_snoozes_case_id", "snoozes", ["case_id"])
    op.create_index("ix_snoozes_ends_at", "snoozes", ["ends_at"])
    # A nullable column is added in place on both databases (no batch copy on SQLite).
    op.add_column("findings", sa.Column("snooze_id", sa.String(length=64), nullable=True))
    op.create_index("ix_findings_snooze_id", "findings", ["snooze_id"])


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
