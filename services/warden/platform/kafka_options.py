"""kafka-python's security options from Settings, and the one place clients are constructed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from warden.config import Settings

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN")
# kafka-python options that carry security settings, from Settings (client_options).
Security = Mapping[str, Any]
Client = TypeVar("Client")


class KafkaSettingRefused(RuntimeError):
    """A Kafka security setting is invalid or names a file that cannot be read."""


def client_options(settings: Settings) -> dict[str, Any]:
    """kafka-python's TLS and SASL options from Settings, for every producer, consumer and
    admin client (`client`); KafkaSettingRefused naming the setting when one is wrong."""
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


def client(
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
