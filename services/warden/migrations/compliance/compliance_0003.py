"""The console's server-side sessions: console_sessions

Revision ID: compliance_0003
Revises: compliance_0002
Create Date: 2026-12-07 02:10:00

A logged-in browser's cookie names a row here (by the SHA-256 of its random id), so logging
out on one compliance replica ends the session on all of them; the row keeps the SHA-256 of
the token that opened it, so a logged-out token cannot open another. The table is new and starts
empty: sessions opened before the upgrade were the token itself in the cookie, and those
browsers log in again (their cookie is refused as malformed, with the reason).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "compliance_0003"
down_revision = "compliance_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])
    op.create_index("ix_console_sessions_token_hash", "console_sessions", ["token_hash"])


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
