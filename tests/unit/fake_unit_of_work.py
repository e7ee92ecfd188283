"""In-memory fakes of the ports every unit of work has: idempotency keys and the outbox."""

from __future__ import annotations

from typing import Any

from warden.errors import AlreadyExists
from warden.platform.cloudevents import CloudEvent
from warden.platform.idempotency import fingerprint
from warden.platform.unit_of_work import Call, Events, Requests


class FakeRequests(Requests):
    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str, str]] = {}

    def seen(self, call: Call) -> str | None:
        if not call.key or call.key not in self.keys:
            return None
        operation, printed, result_id = self.keys[call.key]
        if operation != call.operation or printed != fingerprint(call.request):
            raise AlreadyExists(
                f"idempotency_key {call.key!r} was already used for a different {operation} request"
            )
        return result_id

    def remember(self, call: Call, result_id: str) -> None:
        if call.key:
            self.keys[call.key] = (call.operation, fingerprint(call.request), result_id)


class FakeEvents(Events):
    def __init__(self) -> None:
        self.added: list[tuple[CloudEvent, str]] = []

    def add(self, event: CloudEvent, key: str | None = None) -> None:
        self.added.append((event, key or event.subject))

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event.data for event, _ in self.added if event.type.endswith(kind)]
