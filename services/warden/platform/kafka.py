"""Kafka clients (kafka-python): producer, consumer and topic set-up, Tansu or a real cluster."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
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
    MessageSizeTooLargeError,
    TopicAlreadyExistsError,
)

from warden.config import Settings
from warden.platform.outbox import Message, Publisher, Refused

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


def _client(kind: type[Client], bootstrap: str, security: Security | None, **config: Any) -> Client:
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
    cannot be written twice or land behind a later one of the same partition."""

    def __init__(self, bootstrap: str, security: Security | None = None) -> None:
        self.producer = _client(
            KafkaProducer, bootstrap, security, acks="all", linger_ms=0, retries=5
        )
        self.max_bytes = int(self.producer.config["max_request_size"])

    def send(
        self, topic: str, key: str, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        self.producer.send(topic, key=key.encode(), value=value, headers=headers or []).get(
            timeout=30
        )

    def send_all(self, messages: Sequence[Message]) -> Iterator[None]:
        """Hand every message to the producer at once (it batches them per partition), then
        wait for the acknowledgements in order. A message the producer refuses outright (one
        larger than `max_request_size`, say) ends the batch there: those before it are still
        awaited, then its error is raised. It is raised as `Refused` when sending it again
        cannot help: the producer refuses it for its size (`MessageSizeTooLargeError`), or
        the broker finds the record invalid (`InvalidRecordError`)."""
        sent: list[Any] = []
        refused: Exception | None = None
        for topic, key, value in messages:
            try:
                sent.append(self.producer.send(topic, key=key.encode(), value=value))
            except MessageSizeTooLargeError as exc:
                refused = Refused(f"{len(value)} bytes, over the {self.max_bytes} byte limit")
                refused.__cause__ = exc
                break
            except KafkaError as exc:
                refused = exc
                break
        for future in sent:
            try:
                future.get(timeout=30)
            except InvalidRecordError as exc:  # the broker's validation of this record
                raise Refused(f"invalid record: {exc}") from exc
            yield
        if refused is not None:
            raise refused

    def close(self) -> None:
        self.producer.close(timeout=5)


def ensure_topics(
    bootstrap: str,
    topics: tuple[str, ...],
    partitions: int = 3,
    security: Security | None = None,
) -> None:
    """Create the topics that do not exist yet (idempotent)."""
    admin = _admin(bootstrap, security)
    try:
        existing = set(admin.list_topics())
        wanted = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted)
    finally:
        admin.close()


def _admin(bootstrap: str, security: Security | None, attempts: int = 50) -> KafkaAdminClient:
    for attempt in range(attempts):
        try:
            return _client(KafkaAdminClient, bootstrap, security, request_timeout_ms=10_000)
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
