"""The consumer's intake: whatever fails in reading a record, it is dead-lettered once with its
reason, and the poll's readable events are judged (the application's `Judging` over fakes of
the judge and the dead-letter box)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.intake.decoding import Intake
from warden.compliance.judging.judge import Judged
from warden.compliance.judging.poll import Judging
from warden.platform.cloudevents import CloudEvent
from warden.platform.deadletter import DeadLetter
from warden.platform.topics import SALES_EVENTS


class Record:
    def __init__(self, offset: int, value: bytes | None, topic: str = SALES_EVENTS) -> None:
        self.topic, self.partition, self.offset = topic, 0, offset
        self.key, self.value = b"k", value


class FakeBox:
    """Dead letters by id, as the outbox keeps them; `away` times the database is unreachable."""

    def __init__(self, away: int = 0) -> None:
        self.letters: dict[str, DeadLetter] = {}
        self.away = away

    def add(self, letters: list[DeadLetter]) -> list[DeadLetter]:
        if self.away:
            self.away -= 1
            raise OperationalError("insert", {}, Exception("database gone"))
        fresh = [letter for letter in letters if letter.id not in self.letters]
        self.letters.update((letter.id, letter) for letter in fresh)
        return fresh


class FakeJudge:
    def __init__(self) -> None:
        self.judged: list[str] = []

    def handle_batch(self, batch: list[Any], inputs: Any) -> list[Judged]:
        self.judged.extend(event.id for event, *_ in batch)
        return [Judged(duplicate=False) for _ in batch]


def valid(event_id: str) -> bytes:
    return CloudEvent(
        type="com.example.unknown" if event_id == "unknown" else "warden.sales.expense.recorded",
        source="/warden/sales",
        subject="alice",
        data={},
        id=event_id,
        time=datetime(2026, 11, 2, tzinfo=UTC),
    ).to_bytes()


def consumer(box: FakeBox, intake: Intake | None = None) -> tuple[EventConsumer, FakeJudge]:
    judge = FakeJudge()
    judging = Judging(judge, box)  # type: ignore[arg-type]
    return EventConsumer(None, judging, intake=intake), judge


class AcceptsAll(Intake):
    """Reads every record as an expense, except the one whose reading raises KeyError."""

    def read(self, topic: str, value: bytes | None) -> CloudEvent:
        if value == b"boom":
            raise KeyError("a parser's own bug")
        return CloudEvent(type="t", source="/s", subject="a", data={}, id=(value or b"").decode())


def test_an_exception_of_any_kind_in_reading_a_record_dead_letters_it_with_its_reason() -> None:
    box = FakeBox()
    loop, judge = consumer(box, AcceptsAll())
    loop.process_batch([Record(0, b"e1"), Record(1, b"boom"), Record(2, b"e2")])
    assert judge.judged == ["e1", "e2"]
    (letter,) = box.letters.values()
    assert (letter.offset, letter.reason) == (1, 'unreadable: KeyError: "a parser\'s own bug"')
    assert loop.dead_lettered == 1


def test_a_redelivered_poll_dead_letters_nothing_again() -> None:
    box = FakeBox()
    loop, _judge = consumer(box)
    poll = [Record(0, b"\x00junk"), Record(1, None), Record(2, valid("unknown"))]
    loop.process_batch(poll)
    loop.process_batch(poll)
    assert sorted(box.letters) == [f"dead-letter:{SALES_EVENTS}:0:{n}" for n in range(3)]
    assert loop.dead_lettered == 3
    assert box.letters[f"dead-letter:{SALES_EVENTS}:0:2"].reason == (
        "unknown event type 'com.example.unknown'"
    )


def test_dead_letters_wait_for_the_database_and_are_then_recorded(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = FakeBox(away=2)
    loop, _judge = consumer(box)
    waits: list[float] = []
    monkeypatch.setattr(
        loop.judging.stopping, "wait", lambda seconds: waits.append(seconds) or False
    )
    loop.process_batch([Record(0, b"\x00junk")])
    assert waits == [2.0, 2.0]
    assert list(box.letters) == [f"dead-letter:{SALES_EVENTS}:0:0"]
    assert "database unavailable while dead-lettering; retrying" in caplog.text
