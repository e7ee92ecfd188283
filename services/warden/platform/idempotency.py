"""Idempotency keys: a repeated request returns its first result and changes nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Column, Connection, MetaData, String, Table, select

from warden.errors import AlreadyExists


def fingerprint(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


class IdempotencyKeys:
    def __init__(self, metadata: MetaData) -> None:
        self.table = Table(
            "idempotency_keys",
            metadata,
            Column("idempotency_key", String(200), primary_key=True),
            Column("operation", String(64), nullable=False),
            Column("fingerprint", String(64), nullable=False),
            Column("result_id", String(64), nullable=False),
        )

    def seen(
        self, conn: Connection, key: str, operation: str, request: dict[str, Any]
    ) -> str | None:
        """The result id of an earlier identical request, None for a new key.

        Raises AlreadyExists when the key was used for a different request."""
        if not key:
            return None
        row = conn.execute(select(self.table).where(self.table.c.idempotency_key == key)).first()
        if row is None:
            return None
        if row.operation != operation or row.fingerprint != fingerprint(request):
            raise AlreadyExists(
                f"idempotency_key {key!r} was already used for a different {row.operation} request"
            )
        return str(row.result_id)

    def remember(
        self, conn: Connection, key: str, operation: str, request: dict[str, Any], result_id: str
    ) -> None:
        if key:
            conn.execute(
                self.table.insert().values(
                    idempotency_key=key,
                    operation=operation,
                    fingerprint=fingerprint(request),
                    result_id=result_id,
                )
            )
