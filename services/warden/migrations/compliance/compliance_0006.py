"""Outcome labels of decided cases: case_labels

Revision ID: compliance_0006
Revises: compliance_0005
Create Date: 2026-12-07 05:00:00

An officer labels a decided case a true violation, a false positive or inconclusive; the rules
page counts each rule version's precision from these. The table is new and starts empty: cases
decided before the upgrade have no label until an officer gives one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.platform.db import UtcDateTime

revision = "compliance_0006"
down_revision = "compliance_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_labels",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("labelled_by", sa.String(length=200), nullable=False),
        sa.Column("labelled_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
