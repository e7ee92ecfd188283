"""The application's entry for one poll (`judging/poll.py` `Judging.take`), over a fake judge and
dead-letter box: the order events are judged in, the fall-back to one event at a time, dead
letters, releases of held events, quiet passes, and the retries while the database is away,
which end in the application's own error (never a storage exception) when the loop stops."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from warden.compliance.judging.holding import Held, HeldJudgementFailed
from warden.compliance.judging.judge import Judged, Released
from warden.compliance.judging.poll import Judging, JudgingUnavailable, Poll, Read
from warden.platform.cloudevents import CloudEvent
from warden.platform.deadletter import DeadLetter
from warden.platform.runtime import Patience, WorkerGaveUp

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def gone() -> OperationalError:
    return OperationalError("select", {}, Exception("database gone"))


def read(event_id: str, partition: int, offset: int, minutes: int) -> Read:
    event = CloudEvent(
        type="warden.sales.expense.recorded",
        source="/warden/sales",
        subject="alice",
        data={},
        id=event_id,
        time=T0 + timedelta(minutes=minutes),
    )
    return Read(event, "sales.events", partition, offset, b"k", event.to_bytes())


class FakeJudge:
    """Records what it is asked; `away` batches fail as if the database were unreachable,
    a batch holding an event of `poison` fails as a bug would, and so does that event alone."""

    def __init__(self, away: int = 0, poison: Iterable[str] = ()) -> None:
        self.away = away
        self.poison = set(poison)
        self.batches: list[list[str]] = []
        self.alone: list[str] = []
        self.releases: list[frozenset[str]] = []
        self.passed: list[tuple[list[str], datetime]] = []
        self.unheld: list[tuple[str, str]] = []
        self.release_fails: HeldJudgementFailed | None = None

    def clock(self) -> datetime:
        return NOW

    def handle_batch(self, batch: list[Any], inputs: Any = None) -> list[Judged]:
        if self.away:
            self.away -= 1
            raise gone()
        ids = [event.id for event, *_ in batch]
        if self.poison & set(ids):
            raise RuntimeError("rule host broke")
        self.batches.append(ids)
        return [Judged(duplicate=False) for _ in batch]

    def handle(self, event: CloudEvent, *where: Any) -> Judged:
        if event.id in self.poison:
            raise RuntimeError("rule host broke")
        self.alone.append(event.id)
        return Judged(duplicate=False)

    def release(self, inputs: frozenset[str]) -> Released:
        self.releases.append(inputs)
        if self.release_fails is not None:
            failed, self.release_fails = self.release_fails, None
            raise failed
        return Released()

    def unhold(self, source: str, event_id: str) -> None:
        self.unheld.append((source, event_id))

    def pass_time(self, streams: list[str], moment: datetime) -> tuple[Any, ...]:
        self.passed.append((streams, moment))
        return ()


class FakeBox:
    def __init__(self) -> None:
        self.letters: dict[str, DeadLetter] = {}

    def add(self, letters: list[DeadLetter]) -> list[DeadLetter]:
        fresh = [letter for letter in letters if letter.id not in self.letters]
        self.letters.update((letter.id, letter) for letter in fresh)
        return fresh


def judging(judge: FakeJudge, box: FakeBox | None = None, **options: Any) -> Judging:
    made = Judging(judge, box or FakeBox(), **options)  # type: ignore[arg-type]
    made.stopping.wait = lambda seconds: False  # type: ignore[method-assign]
    return made


INPUTS = frozenset({"sales.events:0", "sales.events:1"})


def test_a_poll_is_judged_in_one_batch_each_partition_in_order_merged_by_event_time() -> None:
    judge = FakeJudge()
    poll = Poll(
        (read("a", 0, 1, 5), read("b", 0, 2, 2), read("x", 1, 7, 1), read("y", 1, 8, 6)),
        inputs=INPUTS,
    )
    outcome = judging(judge).take(poll)
    assert judge.batches == [["x", "a", "b", "y"]]
    assert judge.releases == [INPUTS]  # held events looked at once, after the batch
    assert (outcome.judged, outcome.dead_lettered, outcome.quiet_pass) == (4, 0, False)


def test_a_failing_batch_is_judged_one_at_a_time_and_the_poison_event_dead_lettered() -> None:
    judge, box = FakeJudge(poison={"b"}), FakeBox()
    outcome = judging(judge, box).take(Poll((read("a", 0, 1, 1), read("b", 0, 2, 2))))
    assert judge.batches == [] and judge.alone == ["a"]
    (letter,) = box.letters.values()
    assert (letter.offset, letter.reason) == (2, "processing failed: RuntimeError: rule host broke")
    assert (outcome.judged, outcome.dead_lettered) == (1, 1)
    assert judge.releases == []  # no input partitions given: nothing waits for them


def test_refused_records_are_dead_lettered_once_whatever_the_redeliveries() -> None:
    box = FakeBox()
    letter = DeadLetter("sales.events", 0, 3, b"k", b"junk", "not a CloudEvent")
    taking = judging(FakeJudge(), box)
    assert taking.take(Poll(refused=(letter,))).dead_lettered == 1
    assert taking.take(Poll(refused=(letter,))).dead_lettered == 0
    assert list(box.letters) == ["dead-letter:sales.events:0:3"]


def test_the_database_away_is_waited_for_then_the_poll_judged() -> None:
    judge = FakeJudge(away=2)
    taking = judging(judge)
    waits: list[float] = []
    taking.stopping.wait = lambda seconds: waits.append(seconds) or False  # type: ignore[method-assign]
    assert taking.take(Poll((read("a", 0, 1, 1),))).judged == 1
    assert waits == [2.0, 2.0] and judge.batches == [["a"]]


def test_a_loop_stopping_while_the_database_is_away_gets_the_applications_error() -> None:
    judge, box = FakeJudge(away=5), FakeBox()
    taking = Judging(judge, box)  # type: ignore[arg-type]
    taking.stopping.set()  # the wait between tries returns at once: the loop is stopping
    with pytest.raises(JudgingUnavailable) as raised:
        taking.take(Poll((read("a", 0, 1, 1),)))
    assert isinstance(raised.value.__cause__, OperationalError)
    assert judge.alone == [] and box.letters == {}  # not judged one by one, not dead-lettered


def test_a_database_away_longer_than_the_patience_ends_the_worker() -> None:
    ticks = iter([0.0, 5.0, 11.0])
    taking = judging(FakeJudge(away=5))
    taking.patience = Patience("the event consumer", 10.0, clock=lambda: next(ticks))
    with pytest.raises(WorkerGaveUp, match="the event consumer kept failing for 11 s"):
        taking.take(Poll((read("a", 0, 1, 1),)))


def test_quiet_streams_are_judged_by_the_clock_less_the_lateness_then_releases_follow() -> None:
    judge = FakeJudge()
    taking = judging(judge, lateness=timedelta(minutes=5))
    outcome = taking.take(Poll(inputs=INPUTS, quiet=("sales.events:1",)))
    assert judge.passed == [(["sales.events:1"], NOW - timedelta(minutes=5))]
    assert outcome.quiet_pass and taking.quiet_passes == 1
    assert judge.releases == [INPUTS]
    # A look that found no quiet stream read to its end passes nothing, and still releases.
    assert not taking.take(Poll(inputs=INPUTS, quiet=())).quiet_pass
    assert len(judge.passed) == 1 and len(judge.releases) == 2
    # A poll with nothing to judge and no look does nothing.
    taking.take(Poll(inputs=INPUTS))
    assert len(judge.releases) == 2


def test_a_held_event_whose_judgement_fails_is_dead_lettered_then_taken_out() -> None:
    judge, box = FakeJudge(), FakeBox()
    event = read("held-1", 1, 9, 1).event
    held = Held(event, "sales.events", 1, 9)
    judge.release_fails = HeldJudgementFailed(held, RuntimeError("rule host broke"))
    outcome = judging(judge, box).take(Poll((read("a", 0, 1, 1),), inputs=INPUTS))
    (letter,) = box.letters.values()
    assert (letter.topic, letter.partition, letter.offset) == ("sales.events", 1, 9)
    assert letter.reason == (
        "held for other partitions, then judging failed: RuntimeError('rule host broke')"
    )
    assert judge.unheld == [(event.source, "held-1")]
    assert len(judge.releases) == 2  # the release after it goes on
    assert outcome.dead_lettered == 1
