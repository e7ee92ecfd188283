"""The Kafka loop of the compliance service, a translator: poll, decode each record or
dead-letter it (once each, whatever fails in reading it), hand the poll to the application in
one call (judging/poll.py `Judging.take`), commit. What is judged when, holds, quiet passes
and retries are the application's; this loop knows the broker (partitions, positions, end
offsets), and nothing of the database."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kafka.errors import CommitFailedError, KafkaError

from warden.compliance.intake.decoding import Intake
from warden.compliance.judging.poll import Judging, Poll, Read
from warden.compliance.judging.quiet import QuietStreams
from warden.compliance.operations.metrics import JudgingMetrics
from warden.platform.cloudevents import CloudEvent, MalformedEvent
from warden.platform.deadletter import DeadLetter

log = logging.getLogger(__name__)

LAG_INTERVAL_S = 5.0  # how often the loop measures its partitions' lag (metrics)


class EventConsumer:
    """Reads the input topics with a consumer group and hands each poll's events to the
    application, to be judged in one transaction.

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
        judging: Judging,
        quiet: QuietStreams | None = None,
        metrics: JudgingMetrics | None = None,
        intake: Intake | None = None,
    ) -> None:
        self.consumer = consumer
        self.judging = judging
        self.intake = intake or Intake()
        # Partitions with no traffic have their deadlines judged by the clock (`Poll.quiet`);
        # None: only by later events.
        self.quiet = quiet
        self.metrics = metrics or judging.metrics

    def process_batch(self, records: list[Any], look_for_quiet: bool = False) -> None:
        """Take one poll: decode each record or make its dead letter, then one call to the
        application (`Judging.take`) with the decoded events in offset order per partition,
        the input partitions, and, when `look_for_quiet`, the quiet streams read to their
        end."""
        read: list[Read] = []
        refused: list[DeadLetter] = []
        if self.quiet is not None:
            for stream in {f"{r.topic}:{r.partition}" for r in records}:
                self.quiet.heard(stream)
        for record in records:
            event, reason = self._read(record)
            if event is None:
                refused.append(self._letter(record, reason))
            else:
                where = (record.topic, record.partition, record.offset, record.key, record.value)
                read.append(Read(event, *where, getattr(record, "timestamp", None)))
        quiet = self._quiet_read_to_end() if look_for_quiet else None
        inputs = self.inputs() if read or quiet is not None else None
        self.judging.take(Poll(tuple(read), tuple(refused), inputs, quiet))

    # The application's running counts (moved as each is stored, within a poll).
    @property
    def judged(self) -> int:
        return self.judging.judged

    @property
    def dead_lettered(self) -> int:
        return self.judging.dead_lettered

    @property
    def quiet_passes(self) -> int:
        return self.judging.quiet_passes

    def pass_quiet_time(self) -> None:
        """A poll of no records that looks for quiet streams (`process_batch`)."""
        self.process_batch([], look_for_quiet=True)

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

    def _read(self, record: Any) -> tuple[CloudEvent | None, str]:
        """The record's event, or None and why it is refused: any failure to read it is the
        record's, and must not stop the loop."""
        try:
            return self.intake.read(record.topic, record.value), ""
        except MalformedEvent as exc:
            return None, str(exc)
        except Exception as exc:  # noqa: BLE001 - whatever reading raises, the record is refused
            return None, f"unreadable: {type(exc).__name__}: {exc}"

    @staticmethod
    def _letter(record: Any, reason: str) -> DeadLetter:
        return DeadLetter(
            record.topic, record.partition, record.offset, record.key, record.value, reason
        )

    def _quiet_read_to_end(self) -> tuple[str, ...]:
        """The streams that brought no event for the quiet period and that this instance has
        read to their end (its position at the end offset the broker gives now): they are
        complete up to now less the lateness an event may arrive with (judged so by the
        application). A partition with events still to read is not quiet, whatever the time
        since its last one; and while the broker does not answer, none is (the services
        cannot publish either: their events would come late)."""
        if self.quiet is None:
            return ()
        assignment = {f"{tp.topic}:{tp.partition}": tp for tp in self.consumer.assignment()}
        self.quiet.assigned(assignment)
        candidates = self.quiet.quiet()
        if not candidates:
            return ()
        return tuple(self._read_to_end([assignment[s] for s in candidates]))

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

    def _final_commit(self) -> None:
        try:
            self.consumer.commit()
        except (CommitFailedError, KafkaError) as exc:
            log.warning("last offsets not committed (redelivered, then skipped): %s", exc)

    def run(self, stop: threading.Event) -> None:
        self.judging.stopping = stop  # a retry's wait ends when the loop stops
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
                look = self.quiet is not None and self.quiet.check_due()
                if batches or look:
                    # One call for the poll (one transaction for its events): a crash before
                    # its offsets are committed redelivers what the inbox then skips.
                    self.process_batch([r for rs in batches.values() for r in rs], look)
                    polled = polled or bool(batches)
            if polled:
                self._final_commit()
        finally:
            # Never commit on the way out: leaving on an error (the database still away at
            # shutdown), the last poll's records were returned but not judged.
            self.consumer.close(autocommit=False)
