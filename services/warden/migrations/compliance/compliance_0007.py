"""Where signing began on each signed topic: signing_markers

Revision ID: compliance_0007
Revises: compliance_0006
Create Date: 2026-12-07 04:50:00

The compliance service records here, once per topic and signing key, the end offset each
partition of hr.penalty-decisions and warden.audit-anchors had when it first signed, and the
last audit anchor recorded unsigned; the signed marker it publishes carries the same
(compliance/review/cutover.py). The table is new and starts empty: a deployment upgraded from a
Warden that did not sign gets its markers when the service next starts, and the records it
published before are read as legacy from then on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.platform.db import UtcDateTime

revision = "compliance_0007"
down_revision = "compliance_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_markers",
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("legacy_before", sa.Text(), nullable=False),
        sa.Column("legacy_anchor_seq", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("topic", "key_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
