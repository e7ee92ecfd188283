"""The console's local accounts and failed logins: console_accounts, console_login_failures

Revision ID: compliance_0005
Revises: compliance_0004
Create Date: 2026-12-07 04:40:00

Officers log in to the console as people: an account holds an Argon2id hash of the password
(`warden users` manages them), and each failed login is a row, so the rate limit counts the
same failures on every compliance replica. Both tables are new and start empty; no existing
row changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.platform.db import UtcDateTime

revision = "compliance_0005"
down_revision = "compliance_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_accounts",
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("employee_id", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    op.create_table(
        "console_login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_console_login_failures_key", "console_login_failures", ["key"])
    op.create_index("ix_console_login_failures_at", "console_login_failures", ["at"])


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
