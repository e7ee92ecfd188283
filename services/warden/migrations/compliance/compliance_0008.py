"""Decisions recorded on paper: cases.on_behalf_of and decisions.on_behalf_of

Revision ID: compliance_0008
Revises: compliance_0007
Create Date: 2026-12-07 05:00:00

An admin may record a decision an officer took on paper; each signature then keeps both the
caller (decided_by) and the officer named (on_behalf_of, a JSON list aligned with
decided_by). Existing cases and decisions get NULL: every one of them was signed by its
officers themselves. A pending proposal keeps its officer in its JSON as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "compliance_0008"
down_revision = "compliance_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column is added in place on both databases (no batch copy on SQLite).
    for table in ("cases", "decisions"):
        op.add_column(table, sa.Column("on_behalf_of", sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
