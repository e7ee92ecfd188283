"""The application's entry for the event path: one consumer poll, already decoded, judged in one
call (`Judging.take`). Here live what the consumer does not decide: the order events are
judged in (each partition's offsets, the partitions merged by event time), one transaction for
the poll and, when it fails, one per event so a poison event is dead-lettered alone; the
release of held events; the quiet partitions' deadlines judged by the clock; and the retries
while the database is away. Database errors stay here: the caller sees `JudgingUnavailable`
(the loop is stopping while the database is away) or `WorkerGaveUp` (it stayed away longer
than the worker's patience), never a storage exception."""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from warden.compliance.judging.holding import HeldJudgementFailed
from warden.compliance.judging.judge import Judge, Judged
from warden.compliance.operations.metrics import (
    HELD_JUDGING_FAILED,
    JUDGING_FAILED,
    MALFORMED,
    JudgingMetrics,
)
from warden.platform.cloudevents import CloudEvent
from warden.platform.deadletter import DeadLetter, DeadLetterBox
from warden.platform.metrics import ServiceMetrics
from warden.platform.runtime import Patience, WorkerGaveUp

log = logging.getLogger(__name__)

# Releases of held events per poll (each judges up to holding.RELEASE_LIMIT, or sets a failing
# one aside): the rest wait for the next poll, so a long hold does not stall the loop.
RELEASES_PER_POLL = 20
RETRY_WAIT_S = 2.0  # between tries while the database is away
T = TypeVar("T")


class JudgingUnavailable(Exception):
    """The database stayed away until the loop was asked to stop: the poll was not judged
    (its offsets must not be committed; it is redelivered)."""


@dataclass(frozen=True)
class Read:
    """One record of a poll, decoded once: its event, where it was read, its key and value
    (for a dead letter) and the broker's timestamp in ms (the latency metric)."""

    event: CloudEvent
    topic: str
    partition: int
    offset: int
    key: bytes | None = b""
    value: bytes | None = b""
    timestamp: int | None = None

    @property
    def stream(self) -> str:
        return f"{self.topic}:{self.partition}"


@dataclass(frozen=True)
class Poll:
    """What a consumer hands over for one poll: the records it decoded (each partition's in
    offset order), the dead letters of those it refused, every input partition
    (`topic:partition`; None when quiet partitions are not judged by the clock, so no rule
    waits for them: judging/holding.py), and, when it was time to look, the quiet streams
    it has read to their end (`quiet`; None: not looked this poll)."""

    read: tuple[Read, ...] = ()
    refused: tuple[DeadLetter, ...] = ()
    inputs: frozenset[str] | None = None
    quiet: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    """What taking one poll did: events judged (a redelivery skipped counts), records
    dead-lettered for the first time, and whether quiet streams were judged by the clock."""

    judged: int = 0
    dead_lettered: int = 0
    quiet_pass: bool = False


def in_event_time(read: list[Read]) -> list[Read]:
    """A poll's records with each partition's in the order given (their offsets) and the
    partitions merged by event time, ties to the partition first given.

    A stateful rule can read events of other partitions: whether someone reading a customer's
    data has a ticket for that customer is decided by ticket events, keyed by ticket, beside
    the access event, keyed by employee. Judged partition after partition, a poll holding
    both judged the access before the ticket assigned an hour earlier whenever the access's
    partition came first, and flagged a read that was in order. A poll's order is the only
    one this can fix: events of another partition that arrive in a later poll are judged
    after, which is why that rule waits for every partition to pass the read's time
    (judging/holding.py)."""
    partitions: dict[str, list[Read]] = {}
    for one in read:
        partitions.setdefault(one.stream, []).append(one)
    if len(partitions) < 2:
        return read
    return list(heapq.merge(*partitions.values(), key=lambda one: one.event.time))


class Judging:
    """Takes a consumer's polls: dead letters recorded, events judged, held ones released,
    quiet streams judged by the clock (less `lateness`, the delay an event may arrive with)."""

    def __init__(
        self,
        judge: Judge,
        dead_letters: DeadLetterBox,
        lateness: timedelta = timedelta(0),
        metrics: JudgingMetrics | None = None,
    ) -> None:
        self.judge = judge
        # Refused records are recorded there, once each, for the outbox relay to publish.
        self.dead_letters = dead_letters
        self.lateness = lateness
        self.metrics = metrics or JudgingMetrics(ServiceMetrics("compliance"))
        self.attempts = 3  # tries of an event judged alone before it is dead-lettered
        # How long failures that are no event's fault (the database away) are retried before
        # `WorkerGaveUp` ends the process; None: for ever.
        self.patience: Patience | None = None
        # Set when the loop stops: a wait between retries ends then (JudgingUnavailable).
        self.stopping = threading.Event()
        # Running counts, each moved as soon as what it counts is stored (tests and the
        # consumer's own counts read them while a poll is still being taken).
        self.judged = 0  # events judged (a redelivery skipped counts)
        self.dead_lettered = 0  # dead letters recorded for the first time
        self.quiet_passes = 0  # times quiet streams were judged by the clock

    def take(self, poll: Poll) -> Outcome:
        """Judge one poll: its dead letters, then its events in one transaction (one at a
        time when that fails for anything but the database), then the held events now
        released; then, when `poll.quiet` names streams, their deadlines by the clock, and
        the releases that may have made."""
        before = (self.judged, self.dead_lettered, self.quiet_passes)
        self._record(list(poll.refused), MALFORMED)
        if poll.read:
            self._judge(in_event_time(list(poll.read)), poll.inputs)
            self._release(poll.inputs)
        if poll.quiet is not None:
            self._pass_quiet_time(list(poll.quiet))
            # Partitions of other instances, or found quiet here, may have moved.
            self._release(poll.inputs)
        return Outcome(
            self.judged - before[0],
            self.dead_lettered - before[1],
            self.quiet_passes > before[2],
        )

    def _judge(self, ordered: list[Read], inputs: frozenset[str] | None) -> None:
        """Judge the poll's events in one transaction; when it fails for anything but an
        unreachable database (a poison event, a concurrent replica's inbox row), nothing of
        it was stored, and each event is judged on its own: the poison event is retried and
        dead-lettered with its reason, the rest judged."""
        batch = [(r.event, r.topic, r.partition, r.offset) for r in ordered]
        try:
            results = self._retrying(
                f"judging {len(batch)} events", lambda: self.judge.handle_batch(batch, inputs)
            )
        except (JudgingUnavailable, WorkerGaveUp):
            raise
        except Exception:  # one poison event must not hold up the others
            log.warning(
                "judging %d events in one transaction failed; judging them one at a time",
                len(batch),
                exc_info=True,
            )
        else:
            self.judged += len(batch)
            self._count(results, ordered)
            return
        for one in ordered:
            self._judge_one(one, inputs)

    def _judge_one(self, one: Read, inputs: frozenset[str] | None) -> None:
        """Judge one event in its own transaction, tried `attempts` times, then dead-lettered."""
        event = one.event
        failures = 0
        while True:
            try:
                result = self._retrying(
                    f"judging {event.id}",
                    lambda: self.judge.handle(event, one.topic, one.partition, one.offset, inputs),
                )
            except (JudgingUnavailable, WorkerGaveUp):
                raise
            except Exception as exc:  # a poison event is dead-lettered; it must not stop the loop
                failures += 1
                log.exception(
                    "judging %s failed (attempt %s)",
                    event.id,
                    failures,
                    extra={"event_id": event.id},
                )
                if failures >= self.attempts:
                    why = f"processing failed: {type(exc).__name__}: {exc}"
                    letter = DeadLetter(
                        one.topic, one.partition, one.offset, one.key, one.value, why
                    )
                    self._record([letter], JUDGING_FAILED)
                    return
            else:
                self.judged += 1
                self._count([result], [one])
                return

    def _release(self, inputs: frozenset[str] | None) -> None:
        """Judge the held events all input partitions are now complete past (a full release
        is followed by another). A held event whose judgement fails is taken out of the hold
        and dead-lettered with the reason, so it does not hold up the ones after it; any
        other failure (the database away) leaves them held, tried again at the next poll."""
        if not inputs:
            return
        for _ in range(RELEASES_PER_POLL):  # the rest at the next poll
            try:
                released = self.judge.release(inputs)
                self.metrics.released.inc(released.events)
                self.metrics.opened(released.cases)
                if not released.full:
                    return
            except HeldJudgementFailed as failed:
                log.exception("judging held event %s failed", failed.held.event.id)
                self._set_aside(failed)
            except Exception as exc:  # the events stay held; the loop goes on
                log.warning("judging the events held for other partitions failed", exc_info=True)
                self._failed(exc)
                return

    def _set_aside(self, failed: HeldJudgementFailed) -> None:
        """Dead-letter the held event, then take it out of the hold (in that order: a failure
        between the two leaves it held, to fail and be dead-lettered again, not lost)."""
        held = failed.held
        reason = f"held for other partitions, then judging failed: {failed.cause!r}"
        letter = DeadLetter(
            held.topic, held.partition, held.offset, b"", held.event.to_bytes(), reason
        )
        self._record([letter], HELD_JUDGING_FAILED)
        source, event_id = held.event.source, held.event.id
        self._retrying("taking a held event out", lambda: self.judge.unhold(source, event_id))

    def _pass_quiet_time(self, complete: list[str]) -> None:
        """Judge by the clock the deadlines of `complete`, quiet streams the consumer has read
        to their end: they are complete up to now less the lateness an event may arrive
        with. A failure is tried again at the next check."""
        if not complete:
            return
        moment = self.judge.clock() - self.lateness
        try:
            opened = self.judge.pass_time(complete, moment)
        except Exception as exc:  # tried again at the next check; the loop goes on
            log.warning("judging the deadlines of quiet partitions failed", exc_info=True)
            self._failed(exc)
            return
        self.quiet_passes += 1
        self.metrics.opened(opened)
        if opened:
            log.info("%d deadline case(s) opened by the clock on quiet partitions", len(opened))

    def _record(self, letters: list[DeadLetter], kind: str) -> None:
        """Record the dead letters in their own transaction (a database away is waited for,
        as when judging); one recorded before, the record redelivered, is not recorded again.
        `kind` is their reason's class for the metrics."""
        if not letters:
            return
        fresh = self._retrying("dead-lettering", lambda: self.dead_letters.add(letters))
        recorded = {letter.id for letter in fresh}
        for letter in letters:
            where = f"{letter.topic}[{letter.partition}]@{letter.offset}"
            if letter.id in recorded:
                log.warning("dead-lettering %s: %s", where, letter.reason[:500])
            else:
                log.info("%s was dead-lettered before: not again", where)
        self.dead_lettered += len(fresh)
        self.metrics.dead_lettered.labels(kind).inc(len(fresh))

    def _count(self, results: list[Judged], read: list[Read]) -> None:
        """Metrics of a poll's events: how many were judged (redeliveries skipped are not)
        and held for other partitions, and each case opened with its event's latency."""
        judged = held = 0
        for result, one in zip(results, read, strict=True):
            judged += not result.duplicate
            held += result.held
            if result.cases:
                self.metrics.opened(result.cases, one.timestamp)
        self.metrics.judged.inc(judged)
        self.metrics.held.inc(held)

    def _retrying(self, what: str, attempt: Callable[[], T]) -> T:
        """`attempt()`, tried again every RETRY_WAIT_S while the database is unreachable (not
        the event's fault): within `patience`, and until the loop stops, when the poll is
        given up (JudgingUnavailable: its offsets uncommitted, it is redelivered)."""
        while True:
            try:
                result = attempt()
            except OperationalError as exc:
                log.exception("database unavailable while %s; retrying", what)
                self._failed(exc)
                if self.stopping.wait(RETRY_WAIT_S):
                    raise JudgingUnavailable(f"database unavailable while {what}") from exc
                continue
            self._succeeded()
            return result

    def _failed(self, error: Exception) -> None:
        if self.patience is not None:
            self.patience.failed(error)

    def _succeeded(self) -> None:
        if self.patience is not None:
            self.patience.succeeded()
