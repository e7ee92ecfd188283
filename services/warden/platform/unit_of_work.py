"""The unit of work the sales and after-sales use cases run in, and their idempotency step.

A use case opens a unit of work, reads and writes through its repositories, adds its events
to its outbox and commits; leaving the block without commit() keeps nothing. The abstract
ports here are what the use cases see; `SqlUnitOfWork` is the database's implementation, and
the unit tests give the use cases in-memory fakes of the same ports."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from warden.platform.cloudevents import CloudEvent
from warden.platform.idempotency import IdempotencyKeys
from warden.platform.outbox import Outbox

R = TypeVar("R")
U = TypeVar("U", bound="UnitOfWork")


@dataclass(frozen=True)
class Call:
    """One request that carries an idempotency key: its operation and what it asked."""

    operation: str
    key: str
    request: dict[str, Any]


class Requests(ABC):
    """The idempotency keys: which result a key's first request produced."""

    @abstractmethod
    def seen(self, call: Call) -> str | None:
        """The result id of an identical earlier call with this key, None for a new key
        (AlreadyExists when the key was used for a different request)."""

    @abstractmethod
    def remember(self, call: Call, result_id: str) -> None: ...


class Events(ABC):
    """The outbox of the service's topic: events written with the state they describe."""

    @abstractmethod
    def add(self, event: CloudEvent, key: str | None = None) -> None:
        """Add `event`, keyed by `key` (default: its subject)."""


class UnitOfWork(ABC):
    """One transaction over a service's repositories, its idempotency keys and its outbox."""

    requests: Requests
    outbox: Events
    # What the storage raises when a concurrent transaction stored the same unique key first.
    conflicts: tuple[type[Exception], ...] = ()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Discard what was not committed (nothing, after commit())."""

    def once(self, call: Call, act: Callable[[], tuple[R, str]], replay: Callable[[str], R]) -> R:
        """The idempotency step: a key seen before gives `replay(result id)` and changes
        nothing; otherwise `act()` runs, its result id is remembered under the key, and the
        unit of work commits."""
        earlier = self.requests.seen(call)
        if earlier is not None:
            return replay(earlier)
        result, result_id = act()
        self.requests.remember(call, result_id)
        self.commit()
        return result


def first_wins(
    new_uow: Callable[[], U], call: Call, attempt: Callable[[], R], replay: Callable[[U, str], R]
) -> R:
    """`attempt()`; when two requests with one new idempotency key ran at once and this one's
    key insert hit the other's (one of the unit of work's `conflicts`; its transaction rolled
    back), the first request's result, as `replay(uow, result id)` reads it. Any other
    conflict is raised."""
    conflicts = new_uow().conflicts
    try:
        return attempt()
    except conflicts:
        with new_uow() as uow:
            earlier = uow.requests.seen(call)
            if earlier is None:
                raise
            return replay(uow, earlier)


class SqlRequests(Requests):
    def __init__(self, keys: IdempotencyKeys, conn: Connection) -> None:
        self.keys, self.conn = keys, conn

    def seen(self, call: Call) -> str | None:
        return self.keys.seen(self.conn, call.key, call.operation, call.request)

    def remember(self, call: Call, result_id: str) -> None:
        self.keys.remember(self.conn, call.key, call.operation, call.request, result_id)


class SqlEvents(Events):
    def __init__(self, outbox: Outbox, topic: str, conn: Connection) -> None:
        self.outbox, self.topic, self.conn = outbox, topic, conn

    def add(self, event: CloudEvent, key: str | None = None) -> None:
        self.outbox.add(self.conn, self.topic, event, key=key)


class SqlUnitOfWork(UnitOfWork):
    """A database transaction on one connection; subclasses make their repositories in
    `repositories(conn)`."""

    conflicts = (IntegrityError,)

    def __init__(self, engine: Engine, keys: IdempotencyKeys, outbox: Outbox, topic: str) -> None:
        self.engine, self.keys, self.events, self.topic = engine, keys, outbox, topic
        self.conn: Connection | None = None

    @abstractmethod
    def repositories(self, conn: Connection) -> None:
        """Set the service's repositories on `self`, each working on `conn`."""

    def __enter__(self) -> Self:
        self.conn = self.engine.connect()
        self.conn.begin()
        self.requests = SqlRequests(self.keys, self.conn)
        self.outbox = SqlEvents(self.events, self.topic, self.conn)
        self.repositories(self.conn)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self.conn is not None
        try:
            self.rollback()
        finally:
            self.conn.close()
            self.conn = None

    def commit(self) -> None:
        assert self.conn is not None
        self.conn.commit()

    def rollback(self) -> None:
        assert self.conn is not None
        self.conn.rollback()
