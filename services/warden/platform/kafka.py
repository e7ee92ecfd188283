"""Kafka clients (kafka-python): producer, consumer and topic set-up, Tansu or a real cluster."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from kafka import (
    ConsumerRebalanceListener,
    KafkaAdminClient,
    KafkaConsumer,
    KafkaProducer,
    TopicPartition,
)
from kafka.admin import NewTopic
from kafka.errors import (
    InvalidRecordError,
    KafkaError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    TopicAlreadyExistsError,
)

from warden.config import Settings
from warden.platform.outbox import Message, Publisher, Refused
from warden.platform.topics import AUDIT_ANCHORS

log = logging.getLogger(__name__)

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN")
# kafka-python options that carry security settings, from Settings (client_options).
Security = Mapping[str, Any]
Client = TypeVar("Client")


class KafkaSettingRefused(RuntimeError):
    """A Kafka security setting is invalid or names a file that cannot be read."""


def client_options(settings: Settings) -> dict[str, Any]:
    """kafka-python's TLS and SASL options from Settings, for every producer, consumer and
    admin client (`_client`); KafkaSettingRefused naming the setting when one is wrong."""
    protocol = settings.kafka_security_protocol.strip().upper()
    if protocol not in SECURITY_PROTOCOLS:
        raise KafkaSettingRefused(
            f"WARDEN_KAFKA_SECURITY_PROTOCOL={settings.kafka_security_protocol!r}: "
            f"choose one of {', '.join(SECURITY_PROTOCOLS)}"
        )
    options: dict[str, Any] = {"security_protocol": protocol}
    if protocol.endswith("SSL"):
        options.update(_ssl_options(settings))
    elif settings.kafka_ssl_cafile or settings.kafka_ssl_certfile or settings.kafka_ssl_keyfile:
        raise KafkaSettingRefused(
            f"WARDEN_KAFKA_SSL_* files are set but WARDEN_KAFKA_SECURITY_PROTOCOL={protocol} "
            "does not use TLS: choose SSL or SASL_SSL"
        )
    if protocol.startswith("SASL"):
        options.update(_sasl_options(settings))
    elif settings.kafka_sasl_mechanism:
        raise KafkaSettingRefused(
            f"WARDEN_KAFKA_SASL_MECHANISM is set but WARDEN_KAFKA_SECURITY_PROTOCOL={protocol} "
            "does not use SASL: choose SASL_PLAINTEXT or SASL_SSL"
        )
    return options


def _ssl_options(settings: Settings) -> dict[str, Any]:
    files = {
        "ssl_cafile": ("WARDEN_KAFKA_SSL_CAFILE", settings.kafka_ssl_cafile),
        "ssl_certfile": ("WARDEN_KAFKA_SSL_CERTFILE", settings.kafka_ssl_certfile),
        "ssl_keyfile": ("WARDEN_KAFKA_SSL_KEYFILE", settings.kafka_ssl_keyfile),
    }
    if bool(settings.kafka_ssl_certfile) != bool(settings.kafka_ssl_keyfile):
        raise KafkaSettingRefused(
            "WARDEN_KAFKA_SSL_CERTFILE and WARDEN_KAFKA_SSL_KEYFILE go together: set both "
            "or neither"
        )
    options: dict[str, Any] = {"ssl_check_hostname": True}
    for option, (name, path) in files.items():
        if path:
            _readable(name, path)
            options[option] = path
    return options


def _readable(name: str, path: str) -> None:
    try:
        Path(path).read_bytes()
    except OSError as exc:
        raise KafkaSettingRefused(f"{name}={path}: cannot read it ({exc.strerror})") from None


def _sasl_options(settings: Settings) -> dict[str, Any]:
    mechanism = settings.kafka_sasl_mechanism.strip().upper()
    if mechanism not in SASL_MECHANISMS:
        raise KafkaSettingRefused(
            f"WARDEN_KAFKA_SASL_MECHANISM={settings.kafka_sasl_mechanism!r}: "
            f"choose one of {', '.join(SASL_MECHANISMS)}"
        )
    if not settings.kafka_sasl_username or not settings.kafka_sasl_password:
        raise KafkaSettingRefused(
            f"SASL {mechanism} needs WARDEN_KAFKA_SASL_USERNAME and WARDEN_KAFKA_SASL_PASSWORD"
        )
    return {
        "sasl_mechanism": mechanism,
        "sasl_plain_username": settings.kafka_sasl_username,
        "sasl_plain_password": settings.kafka_sasl_password,
    }


def _client(
    kind: Callable[..., Client], bootstrap: str, security: Security | None, **config: Any
) -> Client:
    """The one place Warden constructs a kafka-python client: with the security options."""
    return kind(bootstrap_servers=bootstrap, **dict(security or {}), **config)


class ClosedTransportRead(logging.Filter):
    """kafka-python 3.0.12 reads a socket its own IO thread may have just closed (a client
    closing, a broker going away): the read fails on the closed transport, it logs the error
    with a traceback at ERROR ("<KafkaTCPTransport [...] (closed)>: Error receiving network
    data closing socket", AttributeError: 'NoneType' object has no attribute 'recv') and
    then does what it would have done anyway, close. That record is logged at DEBUG, without
    its traceback; any other read error stays an ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if (
            isinstance(error, AttributeError)
            and "(closed)>" in record.getMessage()
            and "Error receiving network data" in record.getMessage()
        ):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.exc_info, record.exc_text = None, None
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


logging.getLogger("kafka.net.transport").addFilter(ClosedTransportRead())


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
        return _client(
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
TOPIC_CONFIGS: dict[str, dict[str, str]] = {
    AUDIT_ANCHORS: {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}
}


class Cancelled(KafkaError):  # type: ignore[misc]
    """A wait for an acknowledgement given up because the service is stopping."""


def ensure_topics(
    bootstrap: str,
    topics: tuple[str, ...],
    partitions: int = 3,
    security: Security | None = None,
    attempts: int = 50,
) -> None:
    """Create the topics that do not exist yet (idempotent), with their TOPIC_CONFIGS."""
    admin = _admin(bootstrap, security, attempts)
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(t, partitions, 1, topic_configs=TOPIC_CONFIGS.get(t, {}))
            for t in topics
            if t not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted)
    finally:
        admin.close()


def _admin(bootstrap: str, security: Security | None, attempts: int = 50) -> KafkaAdminClient:
    # One attempt (a renewed producer's check) waits a short while; start-up waits long.
    wait_ms = 30_000 if attempts > 1 else 2_000
    for attempt in range(attempts):
        try:
            return _client(
                KafkaAdminClient,
                bootstrap,
                security,
                request_timeout_ms=10_000,
                bootstrap_timeout_ms=wait_ms,
            )
        except KafkaError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


class _LogAssignment(ConsumerRebalanceListener):  # type: ignore[misc]
    """Logs the partitions this instance is given and loses at each rebalance: which replica
    judges which partitions is the first thing an operator asks when scaling out."""

    def __init__(self, group: str) -> None:
        self.group = group

    def on_partitions_revoked(self, revoked: Any) -> None:
        if revoked:
            log.info("consumer group %s: partitions revoked: %s", self.group, _names(revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        log.info("consumer group %s: partitions assigned: %s", self.group, _names(assigned))


def _names(partitions: Any) -> str:
    by_topic: dict[str, list[int]] = {}
    for tp in partitions:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return "; ".join(f"{t}[{','.join(map(str, sorted(p)))}]" for t, p in sorted(by_topic.items()))


def make_consumer(
    bootstrap: str,
    topics: tuple[str, ...],
    group: str,
    session_timeout_ms: int,
    fetch_max_wait_ms: int = 500,
    max_poll_records: int = 500,
    commit_interval_ms: int | None = None,
    security: Security | None = None,
) -> KafkaConsumer:
    """A consumer of `topics` in `group`. With `commit_interval_ms`, kafka-python commits the
    offsets of the records earlier polls returned, at the start of a poll once that long has
    passed, before each rebalance (synchronously, while this member still owns the
    partitions), and on close: a caller that processes each poll's records before polling
    again commits only what it processed. Without it, nothing is committed automatically."""
    consumer = _client(
        KafkaConsumer,
        bootstrap,
        security,
        group_id=group,
        enable_auto_commit=commit_interval_ms is not None,
        auto_commit_interval_ms=commit_interval_ms or 5000,
        auto_offset_reset="earliest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(500, session_timeout_ms // 6),
        fetch_max_wait_ms=fetch_max_wait_ms,
        max_poll_records=max_poll_records,
    )
    consumer.subscribe(list(topics), listener=_LogAssignment(group))
    return consumer


def read_topic(
    bootstrap: str,
    topic: str,
    timeout_s: float,
    expect: int = 1,
    security: Security | None = None,
) -> list[Any]:
    """Every record on `topic` from the beginning, without a consumer group; stops as soon as
    `expect` records were read or `timeout_s` passed. For the demo, tests and operators.
    OSError naming the servers when no broker answers within `timeout_s` (at least 1 s)."""
    try:
        consumer = _client(
            KafkaConsumer,
            bootstrap,
            security,
            group_id=None,
            enable_auto_commit=False,
            bootstrap_timeout_ms=max(1000, int(timeout_s * 1000)),
        )
    except KafkaError as exc:  # NoBrokersAvailable, KafkaTimeoutError: nobody answered
        raise OSError(
            f"no Kafka broker answered at {bootstrap} within {max(1.0, timeout_s):g} s "
            f"({type(exc).__name__})"
        ) from None
    try:
        deadline = time.monotonic() + timeout_s
        partitions: set[int] | None = None
        while partitions is None and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if partitions is None:
                time.sleep(0.1)
        if not partitions:
            return []
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        records: list[Any] = []
        while time.monotonic() < deadline and len(records) < expect:
            for batch in consumer.poll(timeout_ms=100).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def end_offsets(
    bootstrap: str, topic: str, security: Security | None = None, timeout_s: float = 30.0
) -> dict[int, int]:
    """The offset the next record of each partition of `topic` will have (its end now)."""
    consumer = _client(
        KafkaConsumer,
        bootstrap,
        security,
        group_id=None,
        enable_auto_commit=False,
        bootstrap_timeout_ms=max(1000, int(timeout_s * 1000)),
    )
    try:
        deadline = time.monotonic() + timeout_s
        partitions = consumer.partitions_for_topic(topic)
        while partitions is None and time.monotonic() < deadline:
            time.sleep(0.1)
            partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise OSError(f"topic {topic} has no partitions on {bootstrap}")
        ends = consumer.end_offsets([TopicPartition(topic, p) for p in sorted(partitions)])
        return {tp.partition: int(offset) for tp, offset in ends.items()}
    finally:
        consumer.close()
