"""The Kafka loop of the compliance service: decode, judge, commit; bad messages dead-lettered
(once each, whatever fails in reading them)."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kafka.errors import CommitFailedError, KafkaError
from sqlalchemy.exc import OperationalError

from warden.compliance.intake.decoding import Intake
from warden.compliance.judging.holding import HeldJudgementFailed
from warden.compliance.judging.judge import Judge, Judged
from warden.compliance.judging.quiet import QuietStreams
from warden.compliance.operations.metrics import (
    HELD_JUDGING_FAILED,
    JUDGING_FAILED,
    MALFORMED,
    JudgingMetrics,
)
from warden.platform.cloudevents import CloudEvent, MalformedEvent
from warden.platform.deadletter import DeadLetter, DeadLetterBox
from warden.platform.metrics import ServiceMetrics
from warden.platform.runtime import Patience

log = logging.getLogger(__name__)

# Releases of held events per call (each judges up to holding.RELEASE_LIMIT, or sets a failing
# one aside): the rest wait for the next poll, so a long hold does not stall the loop.
_RELEASES_PER_CALL = 20
LAG_INTERVAL_S = 5.0  # how often the loop measures its partitions' lag (metrics)


@dataclass(frozen=True)
class HeldRecord:
    """What `dead_letter` reads of a record, for an event that was held (its key not kept)."""

    topic: str
    partition: int
    offset: int
    value: bytes
    key: bytes = b""


def in_event_time(decoded: list[tuple[Any, CloudEvent]]) -> list[tuple[Any, CloudEvent]]:
    """A poll's (record, event) pairs with each partition's records in the order given (their
    offsets) and the partitions merged by event time, ties to the partition first given.

    A stateful rule can read events of other partitions: whether someone reading a customer's
    data has a ticket for that customer is decided by ticket events, keyed by ticket, beside
    the access event, keyed by employee. Judged partition after partition, a poll holding
    both judged the access before the ticket assigned an hour earlier whenever the access's
    partition came first, and flagged a read that was in order. A poll's order is the only
    one this can fix: events of another partition that arrive in a later poll are judged
    after, which is why that rule waits for every partition to pass the read's time
    (`inputs`, compliance/judging/holding.py)."""
    partitions: dict[tuple[str, int], list[tuple[Any, CloudEvent]]] = {}
    for pair in decoded:
        partitions.setdefault((pair[0].topic, pair[0].partition), []).append(pair)
    if len(partitions) < 2:
        return decoded
    return list(heapq.merge(*partitions.values(), key=lambda pair: pair[1].time))


class EventConsumer:
    """Reads the input topics with a consumer group and hands each poll's events to the app,
    to be judged in one transaction.

    Offsets are committed only after the events' effects (or their dead letters) are stored,
    so a crash redelivers, and the app's inbox makes the redelivery harmless. The Kafka
    consumer commits them (`make_consumer`'s `commit_interval_ms`) at the start of a poll
    once the interval has passed, before a rebalance (which kafka-python also runs inside a
    poll) and when the loop stops: always the records of earlier polls, which this loop has
    judged before it polls again. Committing after every poll instead makes the embedded
    broker answer some polls late, and costs each cycle a request. A crash
    redelivers at most the interval's events, which the inbox skips."""

    def __init__(
        self,
        consumer: Any,
        judge: Judge,
        dead_letters: DeadLetterBox,
        quiet: QuietStreams | None = None,
        lateness: timedelta = timedelta(0),
        metrics: JudgingMetrics | None = None,
        intake: Intake | None = None,
    ) -> None:
        self.consumer = consumer
        self.judge = judge
        # Refused records are recorded there, once each, for the outbox relay to publish.
        self.dead_letters = dead_letters
        self.intake = intake or Intake()
        # Partitions with no traffic have their deadlines judged by the clock, less `lateness`
        # (`pass_quiet_time`); None: only by later events.
        self.quiet = quiet
        self.lateness = lateness
        self.quiet_passes = 0  # times quiet partitions were judged by the clock
        self.judged = 0
        self.dead_lettered = 0
        self.attempts = 3
        self.metrics = metrics or JudgingMetrics(ServiceMetrics("compliance"))
        # How long failures that are no event's fault (the database away) are retried before
        # the loop gives up and ends the process (`Patience`); None: for ever.
        self.patience: Patience | None = None
        self._stop = threading.Event()

    def process(self, record: Any) -> None:
        """Judge one record in its own transaction (retried, then dead-lettered)."""
        event = self.decode(record)
        if event is not None:
            inputs = self.inputs()
            self.judge_one(record, event, inputs)
            self.release_held(inputs)

    def process_batch(self, records: list[Any]) -> None:
        """Judge a poll's records in one transaction; bad messages are dead-lettered first.
        Each partition's records keep their offset order, and the partitions are merged by
        event time (`in_event_time`). When the transaction fails for anything but an
        unreachable database (a poison event, a concurrent replica's inbox row), nothing of it
        was stored, and each event is judged on its own, as `process` does: the poison event
        is retried and dead-lettered with its reason, the rest judged."""
        if self.quiet is not None:
            for stream in {f"{r.topic}:{r.partition}" for r in records}:
                self.quiet.heard(stream)
        read: list[tuple[Any, CloudEvent]] = []
        refused: list[DeadLetter] = []
        for record in records:
            event, reason = self._read(record)
            if event is None:
                refused.append(self._letter(record, reason))
            else:
                read.append((record, event))
        self.record_dead_letters(refused, MALFORMED)
        decoded = in_event_time(read)
        if not decoded:
            return
        batch = [(event, r.topic, r.partition, r.offset) for r, event in decoded]
        inputs = self.inputs()
        one_at_a_time = False
        while True:
            try:
                results = self.judge.handle_batch(batch, inputs)
                self.judged += len(batch)
                self._count(results, [record for record, _ in decoded])
                self._succeeded()
                break
            except OperationalError as exc:
                log.exception("database unavailable while judging %d events; retrying", len(batch))
                self._failed(exc)
                if self._stop.wait(2.0):
                    raise
            except Exception:  # one poison event must not hold up the others
                log.warning(
                    "judging %d events in one transaction failed; judging them one at a time",
                    len(batch),
                    exc_info=True,
                )
                one_at_a_time = True
                break
        if one_at_a_time:
            for record, event in decoded:
                self.judge_one(record, event, inputs)
        self.release_held(inputs)

    def inputs(self) -> frozenset[str] | None:
        """Every partition of the input topics (`topic:partition`), this instance's or not,
        for the rules that wait for other partitions (compliance/judging/holding.py): they judge an
        event once all of them are complete past its time. Empty while the broker has not
        described a topic yet (events are held, none released). None when quiet partitions
        are not judged by the clock: a partition without traffic would then hold those
        judgements forever, so they are made as events arrive (docs/compliance.md)."""
        if self.quiet is None:
            return None
        streams: set[str] = set()
        for topic in sorted(self.consumer.subscription() or ()):
            partitions = self.consumer.partitions_for_topic(topic)
            if not partitions:
                return frozenset()
            streams.update(f"{topic}:{p}" for p in partitions)
        return frozenset(streams)

    def release_held(self, inputs: frozenset[str] | None) -> None:
        """Judge the held events all input partitions are now complete past (a full release
        is followed by another). A held event whose judgement fails is taken out of the hold
        and dead-lettered with the reason, so it does not hold up the ones after it; any
        other failure (the database away) leaves them held, tried again at the next poll."""
        if not inputs:
            return
        for _ in range(_RELEASES_PER_CALL):  # the rest at the next poll
            try:
                released = self.judge.release(inputs)
                self.metrics.released.inc(released.events)
                self.metrics.opened(released.cases)
                if not released.full:
                    return
            except HeldJudgementFailed as failed:
                log.exception("judging held event %s failed", failed.held.event.id)
                self._dead_letter_held(failed)
            except Exception as exc:  # the events stay held; the loop goes on
                log.warning("judging the events held for other partitions failed", exc_info=True)
                self._failed(exc)
                return

    def _dead_letter_held(self, failed: HeldJudgementFailed) -> None:
        """Dead-letter the held event, then take it out of the hold (in that order: a failure
        between the two leaves it held, to fail and be dead-lettered again, not lost)."""
        held = failed.held
        record = HeldRecord(held.topic, held.partition, held.offset, held.event.to_bytes())
        reason = f"held for other partitions, then judging failed: {failed.cause!r}"
        self.dead_letter(record, reason, HELD_JUDGING_FAILED)
        self.judge.unhold(held.event.source, held.event.id)

    def decode(self, record: Any) -> CloudEvent | None:
        """The record's event, or None when it is not one (it is dead-lettered then)."""
        event, reason = self._read(record)
        if event is None:
            self.dead_letter(record, reason, MALFORMED)
        return event

    def _read(self, record: Any) -> tuple[CloudEvent | None, str]:
        """The record's event, or None and why it is refused: any failure to read it is the
        record's, and must not stop the loop."""
        try:
            return self.intake.read(record.topic, record.value), ""
        except MalformedEvent as exc:
            return None, str(exc)
        except Exception as exc:  # noqa: BLE001 - whatever reading raises, the record is refused
            return None, f"unreadable: {type(exc).__name__}: {exc}"

    def judge_one(
        self, record: Any, event: CloudEvent, inputs: frozenset[str] | None = None
    ) -> None:
        failures = 0
        while True:
            try:
                judged = self.judge.handle(
                    event, record.topic, record.partition, record.offset, inputs
                )
                self.judged += 1
                self._count([judged], [record])
                self._succeeded()
                return
            except OperationalError as exc:
                # The database is unreachable: not the event's fault. Retry within `patience`;
                # on shutdown the offset stays uncommitted and the event is redelivered.
                log.exception("database unavailable while judging %s; retrying", event.id)
                self._failed(exc)
                if self._stop.wait(2.0):
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
                    self.dead_letter(record, why, JUDGING_FAILED)
                    return

    def dead_letter(self, record: Any, reason: str, kind: str) -> None:
        """Dead-letter one record; `kind` is its reason's class for the metrics."""
        self.record_dead_letters([self._letter(record, reason)], kind)

    @staticmethod
    def _letter(record: Any, reason: str) -> DeadLetter:
        return DeadLetter(
            record.topic, record.partition, record.offset, record.key, record.value, reason
        )

    def record_dead_letters(self, letters: list[DeadLetter], kind: str) -> None:
        """Record the dead letters in their own transaction (a database away is waited for,
        as when judging); one recorded before, the record redelivered, is not recorded again."""
        if not letters:
            return
        while True:
            try:
                fresh = self.dead_letters.add(letters)
                self._succeeded()
                break
            except OperationalError as exc:
                log.exception("database unavailable while dead-lettering; retrying")
                self._failed(exc)
                if self._stop.wait(2.0):
                    raise
        recorded = {letter.id for letter in fresh}
        for letter in letters:
            where = f"{letter.topic}[{letter.partition}]@{letter.offset}"
            if letter.id in recorded:
                log.warning("dead-lettering %s: %s", where, letter.reason[:500])
            else:
                log.info("%s was dead-lettered before: not again", where)
        self.dead_lettered += len(fresh)
        self.metrics.dead_lettered.labels(kind).inc(len(fresh))

    def pass_quiet_time(self) -> None:
        """Judge by the clock the deadlines of the partitions that brought no event for the
        quiet period and that this instance has read to their end (its position at the end
        offset the broker gives now): they are complete up to now less the lateness an event
        may arrive with. A partition with events still to read is not quiet, whatever the
        time since its last one; and while the broker does not answer, nothing is judged by
        the clock (the services cannot publish either: their events would come late)."""
        if self.quiet is None:
            return
        assignment = {f"{tp.topic}:{tp.partition}": tp for tp in self.consumer.assignment()}
        self.quiet.assigned(assignment)
        candidates = self.quiet.quiet()
        if not candidates:
            return
        complete = self._read_to_end([assignment[s] for s in candidates])
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

    def _read_to_end(self, partitions: list[Any]) -> list[str]:
        """The streams of `partitions` this consumer has read to the end offset the broker
        reports now (one request); none when the broker does not answer."""
        try:
            ends = self.consumer.end_offsets(partitions, timeout_ms=2000)
        except KafkaError as exc:
            log.info("quiet partitions not judged by the clock now: %s", exc)
            return []
        complete = []
        for tp in partitions:
            try:
                position = self.consumer.position(tp, timeout_ms=1000)
            except KafkaError:  # taken away meanwhile (IllegalStateError), or unknown yet
                continue
            if position is not None and tp in ends and position >= ends[tp]:
                complete.append(f"{tp.topic}:{tp.partition}")
        return sorted(complete)

    def _count(self, results: list[Judged], records: list[Any]) -> None:
        """Metrics of a poll's events: how many were judged (redeliveries skipped are not)
        and held for other partitions, and each case opened with its event's latency."""
        judged = held = 0
        for result, record in zip(results, records, strict=True):
            judged += not result.duplicate
            held += result.held
            if result.cases:
                self.metrics.opened(result.cases, getattr(record, "timestamp", None))
        self.metrics.judged.inc(judged)
        self.metrics.held.inc(held)

    def measure_lag(self) -> None:
        """Each assigned partition's lag (its end offset as the last fetch saw it, less this
        consumer's position) for the metrics; partitions not fetched yet are left out."""
        lags = {}
        for tp in self.consumer.assignment():
            end = self.consumer.highwater(tp)
            try:
                position = self.consumer.position(tp, timeout_ms=100)
            except KafkaError:
                continue
            if end is not None and position is not None:
                lags[(tp.topic, tp.partition)] = max(0, end - position)
        self.metrics.lags(lags)

    def _failed(self, error: Exception) -> None:
        if self.patience is not None:
            self.patience.failed(error)

    def _succeeded(self) -> None:
        if self.patience is not None:
            self.patience.succeeded()

    def _final_commit(self) -> None:
        try:
            self.consumer.commit()
        except (CommitFailedError, KafkaError) as exc:
            log.warning("last offsets not committed (redelivered, then skipped): %s", exc)

    def run(self, stop: threading.Event) -> None:
        self._stop = stop
        polled = False
        lag_due = 0.0
        self.metrics.polled({})  # the stall check counts from the loop's start
        try:
            while not stop.is_set():
                # Commits, when due, the offsets of the polls judged so far (make_consumer).
                batches = self.consumer.poll(timeout_ms=200)
                self.metrics.polled(batches)
                if time.monotonic() >= lag_due:
                    self.measure_lag()
                    lag_due = time.monotonic() + LAG_INTERVAL_S
                if batches:
                    # One transaction for the poll (each partition in offset order, merged by
                    # event time): a crash before its offsets are committed redelivers what
                    # the inbox then skips.
                    self.process_batch([r for records in batches.values() for r in records])
                    polled = True
                if self.quiet is not None and self.quiet.check_due():
                    self.pass_quiet_time()
                    # Partitions of other instances, or found quiet here, may have moved.
                    self.release_held(self.inputs())
            if polled:
                self._final_commit()
        finally:
            # Never commit on the way out: leaving on an error (the database still away at
            # shutdown), the last poll's records were returned but not judged.
            self.consumer.close(autocommit=False)
