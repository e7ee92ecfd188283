"""What every sales use case shares: the engine, the price policy, the clock, the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from warden.errors import NotFound
from warden.platform.cloudevents import CloudEvent
from warden.platform.topics import SALES_EVENTS
from warden.sales.domain import prices as domain
from warden.sales.domain.prices import Salesperson
from warden.sales.storage import store


class UseCases:
    def __init__(
        self,
        engine: Engine,
        authority_bp: dict[str, int] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.authority = dict(authority_bp or domain.DEFAULT_AUTHORITY_BP)
        self.clock = clock

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    @staticmethod
    def emit(conn: Connection, *events: CloudEvent) -> None:
        for event in events:
            store.outbox.add(conn, SALES_EVENTS, event)

    @staticmethod
    def earlier(conn: Connection, key: str, operation: str, request: dict[str, Any]) -> str | None:
        """The result id of an identical earlier request with this key (AlreadyExists when the
        key was used for a different one)."""
        return store.idempotency.seen(conn, key, operation, request)

    @staticmethod
    def remember(
        conn: Connection, key: str, operation: str, request: dict[str, Any], result_id: str
    ) -> None:
        store.idempotency.remember(conn, key, operation, request, result_id)

    @staticmethod
    def salesperson(
        conn: Connection, salesperson_id: str, field: str = "salesperson"
    ) -> Salesperson:
        person = store.get_salesperson(conn, salesperson_id)
        if person is None:
            raise NotFound(
                field if field == "salesperson" else f"{field}: salesperson", salesperson_id
            )
        return person
