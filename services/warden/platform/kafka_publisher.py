"""The Kafka producer Warden publishes with: acknowledged sends, renewal after failures."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from kafka import KafkaProducer
from kafka.errors import (
    InvalidRecordError,
    KafkaError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
)

from warden.platform.kafka import ensure_topics
from warden.platform.kafka_options import Security, client
from warden.platform.outbox import Message, Publisher, Refused

log = logging.getLogger(__name__)


class Cancelled(KafkaError):  # type: ignore[misc]
    """A wait for an acknowledgement given up because the service is stopping."""


class KafkaPublisher(Publisher):
    """Sends with acks=all and waits for each acknowledgement. kafka-python's producer is
    idempotent by default (acks=all, up to five requests in flight): a retried request
    cannot be written twice or land behind a later one of the same partition.

    A producer can fail for good while the broker is fine again: after a broker restart it
    keeps its producer id, which the broker no longer knows (`UnknownProducerIdError`), then
    fails every send on the id it cannot get back. So after `renew_after` failed calls in a
    row the producer is closed and made anew (logged); before the next send, the `topics`
    are created where missing, with `partitions` each, as the compliance service does at
    start-up: the embedded broker keeps topics in memory only, and would otherwise create
    them on first use with its own partition count. Waits for acknowledgements watch
    `cancel` (the service stopping): once it is set they give up within a fraction of a
    second (`Cancelled`), so stopping does not wait out `ack_timeout_s`."""

    transient = (KafkaError,)

    def __init__(
        self,
        bootstrap: str,
        topics: tuple[str, ...] = (),
        partitions: int = 3,
        cancel: threading.Event | None = None,
        renew_after: int = 2,
        ack_timeout_s: float = 15.0,
        security: Security | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.security = security
        self.topics = topics
        self.partitions = partitions
        self.cancel = cancel or threading.Event()
        self.renew_after = renew_after
        self.ack_timeout_s = ack_timeout_s
        self.producer = self._make(bootstrap_timeout_ms=30_000)
        self.max_bytes = int(self.producer.config["max_request_size"])
        self.renewed = 0  # producers made anew
        self._failures = 0  # failed calls in a row
        self._topics_checked = True

    def _make(self, bootstrap_timeout_ms: int) -> Any:
        return client(
            KafkaProducer,
            self.bootstrap,
            self.security,
            acks="all",
            linger_ms=0,
            retries=5,
            max_block_ms=10_000,
            bootstrap_timeout_ms=bootstrap_timeout_ms,
        )

    def send(
        self, topic: str, key: str, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        with self._watched():
            future = self.producer.send(topic, key=key.encode(), value=value, headers=headers or [])
            self._await(future)

    def send_all(self, messages: Sequence[Message]) -> Iterator[None]:
        """Hand every message to the producer at once (it batches them per partition), then
        wait for the acknowledgements in order. A message the producer refuses outright (one
        larger than `max_request_size`, say) ends the batch there: those before it are still
        awaited, then its error is raised. It is raised as `Refused` when sending it again
        cannot help: the producer refuses it for its size (`MessageSizeTooLargeError`), or
        the broker finds the record invalid (`InvalidRecordError`)."""
        with self._watched():
            sent: list[Any] = []
            refused: Exception | None = None
            for topic, key, value, *headers in messages:
                try:
                    sent.append(
                        self.producer.send(
                            topic,
                            key=key.encode(),
                            value=value,
                            headers=headers[0] if headers else [],
                        )
                    )
                except MessageSizeTooLargeError as exc:
                    refused = Refused(f"{len(value)} bytes, over the {self.max_bytes} byte limit")
                    refused.__cause__ = exc
                    break
                except KafkaError as exc:
                    refused = exc
                    break
            for future in sent:
                try:
                    self._await(future)
                except InvalidRecordError as exc:  # the broker's validation of this record
                    raise Refused(f"invalid record: {exc}") from exc
                yield
            if refused is not None:
                raise refused

    @contextlib.contextmanager
    def _watched(self) -> Iterator[None]:
        """Count the calls that fail for Kafka's reasons (not `Refused`); renew the producer
        after `renew_after` of them in a row. First, after a renewal, make the topics."""
        if not self._topics_checked:
            if self.topics:
                ensure_topics(
                    self.bootstrap, self.topics, self.partitions, self.security, attempts=1
                )
            self._topics_checked = True
        try:
            yield
        except KafkaError as exc:
            self._failures += 1
            if self._failures >= self.renew_after and not self.cancel.is_set():
                self.renew(exc)
            raise
        self._failures = 0

    def _await(self, future: Any) -> None:
        """Wait for one acknowledgement, up to `ack_timeout_s`, or until `cancel` is set."""
        deadline = time.monotonic() + self.ack_timeout_s
        while True:
            try:
                future.get(timeout=0.25)
                return
            except KafkaTimeoutError:
                if future.is_done:
                    raise  # the broker's own timeout, not this wait's
                if self.cancel.is_set():
                    raise Cancelled("the service is stopping") from None
                if time.monotonic() >= deadline:
                    raise KafkaTimeoutError(
                        f"no acknowledgement in {self.ack_timeout_s:g} s"
                    ) from None

    def renew(self, reason: BaseException) -> None:
        """Close the producer and make a new one (a new producer id); the old one is closed
        without waiting for what it still holds (those rows are unmarked, sent again)."""
        log.warning(
            "Kafka producer failed %d time(s) in a row (%s: %s): closing it, making a new one",
            self._failures,
            type(reason).__name__,
            reason,
        )
        try:
            fresh = self._make(bootstrap_timeout_ms=2_000)
        except KafkaError as exc:
            log.warning("no new Kafka producer yet (%s); trying again at the next failure", exc)
            return
        old, self.producer = self.producer, fresh
        self._close(old, timeout_s=0)
        self.renewed += 1
        self._failures = 0
        self._topics_checked = False

    @staticmethod
    def _close(producer: Any, timeout_s: float) -> None:
        """Close `producer` within about `timeout_s`. kafka-python flushes before closing and
        raises when what it holds is not acknowledged in time, leaving the producer open (its
        thread running, and a traceback when it is collected): then its sender is told to
        abort what it holds, and it is closed again."""
        try:
            producer.close(timeout=timeout_s)
            return
        except KafkaTimeoutError:
            log.info("a Kafka producer still held unacknowledged records: aborting them")
        except Exception as exc:  # noqa: BLE001 - best effort: whatever close raises, its sender is aborted next
            log.info("closing a Kafka producer: %s: %s", type(exc).__name__, exc)
        sender = getattr(producer, "_sender", None)
        if sender is not None:
            sender.force_close()
            sender.join(1.0)
        try:
            producer.close(timeout=1.0)
        except Exception as exc:  # noqa: BLE001 - the last attempt: nothing more can be done for it
            log.warning("a Kafka producer did not close: %s: %s", type(exc).__name__, exc)

    def close(self, timeout_s: float = 2.0) -> None:
        """Close within `timeout_s`: what the producer still holds after it is abandoned
        (outbox rows stay unmarked and are sent again by the next process)."""
        self.cancel.set()
        self._close(self.producer, timeout_s)


# The audit anchors are evidence for as long as the audit chain is kept: never deleted by age
# or size (an anchor missing from the topic fails `warden audit verify --anchors`).
