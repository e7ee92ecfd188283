"""What the compliance consumer reads of a Kafka record, for tests that hand it polls."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    """A Kafka record as the consumer reads it: where it was, its key and its value."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes
