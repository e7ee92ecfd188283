"""Dead letters of input records: recorded once per (topic, partition, offset) in the service's
outbox, in a transaction of their own, and published from there to warden.dead-letter by the
outbox relay, with the reason and origin as headers and the record's bytes as the value."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, Table, select
from sqlalchemy.exc import IntegrityError

from warden.platform.topics import DEAD_LETTER

# A dead letter's value is the record's bytes up to this size (the relay's producer refuses a
# request over 1 MiB); a larger record is cut to its first bytes there, and the whole of it
# stays in the outbox row the dead letter names.
VALUE_LIMIT = 512 * 1024

# A reason longer than this (an exception quoting a huge value) is cut.
REASON_LIMIT = 2000

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class DeadLetter:
    """An input record refused, and why: its origin identifies it (one dead letter each)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str

    @property
    def id(self) -> str:
        return f"dead-letter:{self.topic}:{self.partition}:{self.offset}"

    def headers(self, value_limit: int = VALUE_LIMIT) -> Headers:
        value = self.value or b""
        headers = [
            ("warden.dlq.reason", _cut(self.reason, REASON_LIMIT).encode()),
            ("warden.dlq.topic", self.topic.encode()),
            ("warden.dlq.partition", str(self.partition).encode()),
            ("warden.dlq.offset", str(self.offset).encode()),
            ("warden.dlq.id", self.id.encode()),
            ("warden.dlq.size", str(len(value)).encode()),
            ("warden.dlq.sha256", hashlib.sha256(value).hexdigest().encode()),
        ]
        if self.value is None:
            headers.append(("warden.dlq.tombstone", b"the record had no value"))
        if len(value) > value_limit:
            cut = f"value cut to its first {value_limit} of {len(value)} bytes; all of them are "
            cut += f"kept in the compliance database (outbox event_id {self.id})"
            headers.append(("warden.dlq.cut", cut.encode()))
        return headers


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def envelope(letter: DeadLetter, value_limit: int = VALUE_LIMIT) -> str:
    """The outbox payload of a dead letter: its key, headers and whole value, as JSON text
    (a record's bytes need not be UTF-8, so key and value are in base64)."""
    return json.dumps(
        {
            "key": base64.b64encode(letter.key or b"").decode(),
            "headers": [[n, v.decode()] for n, v in letter.headers(value_limit)],
            "value": base64.b64encode(letter.value or b"").decode(),
            "value_limit": value_limit,
        },
        separators=(",", ":"),
    )


def message(payload: str, topic: str = DEAD_LETTER) -> tuple[str, str, bytes, Headers]:
    """The Kafka message of an outbox row `envelope` wrote: topic, key, value cut to its
    limit, headers."""
    doc = json.loads(payload)
    value = base64.b64decode(doc["value"])[: doc["value_limit"]]
    key = base64.b64decode(doc["key"]).decode(errors="replace")
    headers = [(name, text.encode()) for name, text in doc["headers"]]
    return topic, key, value, headers


def stored_value(payload: str) -> bytes:
    """The whole value of a dead letter's outbox row (a cut one's too)."""
    return base64.b64decode(json.loads(payload)["value"])


class DeadLetterBox:
    """Records dead letters in the outbox `table` for its relay to publish: a record already
    dead-lettered (its topic, partition and offset; the outbox's unique event_id) is not
    recorded again, so a record redelivered after a crash, whether or not its dead letter was
    published meanwhile, gets no second one."""

    def __init__(self, engine: Engine, table: Table, value_limit: int = VALUE_LIMIT) -> None:
        self.engine = engine
        self.table = table
        self.value_limit = value_limit

    def add(self, letters: Sequence[DeadLetter]) -> list[DeadLetter]:
        """Record `letters` in one transaction; return those not recorded before. A concurrent
        instance recording the same ones (a rebalance) makes this try once more."""
        for attempt in (1, 2):
            try:
                return self._add(letters)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _add(self, letters: Sequence[DeadLetter]) -> list[DeadLetter]:
        if not letters:
            return []
        with self.engine.begin() as conn:
            ids = list({letter.id for letter in letters})
            seen = set(
                conn.execute(
                    select(self.table.c.event_id).where(self.table.c.event_id.in_(ids))
                ).scalars()
            )
            fresh = []
            for letter in letters:
                if letter.id not in seen:
                    seen.add(letter.id)
                    fresh.append(letter)
            if fresh:
                now = datetime.now(UTC)
                conn.execute(
                    self.table.insert(),
                    [
                        {
                            "event_id": letter.id,
                            "topic": DEAD_LETTER,
                            "key": "",
                            "payload": envelope(letter, self.value_limit),
                            "created_at": now,
                        }
                        for letter in fresh
                    ],
                )
        return fresh
