"""Kafka TLS and SASL: client_options builds kafka-python's options from Settings, refusing a
wrong setting by name, and every producer, consumer and admin client Warden makes receives
them. The embedded broker speaks plaintext only, so this reaches the clients' constructors
(and kafka-python's own configuration of them), not a TLS or SASL handshake."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer

from warden.config import Settings
from warden.platform import kafka, kafka_publisher
from warden.platform.kafka_options import KafkaSettingRefused, client_options

ROOT = Path(__file__).resolve().parents[3]


def sasl_ssl(tmp_path: Path, **overrides: Any) -> Settings:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    values: dict[str, Any] = {
        "kafka_security_protocol": "SASL_SSL",
        "kafka_ssl_cafile": str(ca),
        "kafka_sasl_mechanism": "SCRAM-SHA-512",
        "kafka_sasl_username": "warden",
        "kafka_sasl_password": "pw",
    }
    return Settings(data_dir=tmp_path, **{**values, **overrides})


def test_plaintext_by_default() -> None:
    assert client_options(Settings()) == {"security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"])
def test_sasl_over_tls_gives_the_mechanism_the_credentials_and_the_ca(
    tmp_path: Path, mechanism: str
) -> None:
    options = client_options(sasl_ssl(tmp_path, kafka_sasl_mechanism=mechanism.lower()))
    assert options == {
        "security_protocol": "SASL_SSL",
        "ssl_check_hostname": True,
        "ssl_cafile": str(tmp_path / "ca.pem"),
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "warden",
        "sasl_plain_password": "pw",
    }


def test_mutual_tls_gives_the_clients_certificate_and_key(tmp_path: Path) -> None:
    (tmp_path / "c.pem").write_text("cert")
    (tmp_path / "k.pem").write_text("key")
    settings = Settings(
        kafka_security_protocol="SSL",
        kafka_ssl_certfile=str(tmp_path / "c.pem"),
        kafka_ssl_keyfile=str(tmp_path / "k.pem"),
    )
    options = client_options(settings)
    assert options["ssl_certfile"] == str(tmp_path / "c.pem")
    assert options["ssl_keyfile"] == str(tmp_path / "k.pem")
    assert "sasl_mechanism" not in options


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kafka_security_protocol": "TLS"}, "WARDEN_KAFKA_SECURITY_PROTOCOL='TLS': choose one of"),
        ({"kafka_sasl_mechanism": "GSSAPI"}, "WARDEN_KAFKA_SASL_MECHANISM='GSSAPI': choose one"),
        ({"kafka_sasl_password": ""}, "SASL SCRAM-SHA-512 needs WARDEN_KAFKA_SASL_USERNAME and"),
        ({"kafka_sasl_mechanism": ""}, "WARDEN_KAFKA_SASL_MECHANISM='': choose one of"),
        (
            {"kafka_ssl_cafile": "/nonexistent/ca.pem"},
            r"WARDEN_KAFKA_SSL_CAFILE=/nonexistent/ca.pem: cannot read it \(No such file",
        ),
        ({"kafka_ssl_certfile": "/x.pem"}, "CERTFILE and WARDEN_KAFKA_SSL_KEYFILE go together"),
        (
            {"kafka_security_protocol": "PLAINTEXT", "kafka_ssl_cafile": ""},
            "WARDEN_KAFKA_SASL_MECHANISM is set but WARDEN_KAFKA_SECURITY_PROTOCOL=PLAINTEXT",
        ),
        (
            {"kafka_security_protocol": "SASL_PLAINTEXT"},
            "WARDEN_KAFKA_SSL_\\* files are set but WARDEN_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
        ),
    ],
    ids=[
        "unknown-protocol",
        "unknown-mechanism",
        "no-password",
        "no-mechanism",
        "unreadable-ca",
        "cert-without-key",
        "sasl-on-plaintext",
        "tls-files-without-tls",
    ],
)
def test_a_wrong_kafka_security_setting_is_refused_by_name(
    tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(KafkaSettingRefused, match=message):
        client_options(sasl_ssl(tmp_path, **overrides))


class Recorder:
    """Stands in for a kafka-python client class: records the configuration it is given."""

    made: list[tuple[str, dict[str, Any]]] = []

    def __init__(self, **config: Any) -> None:
        Recorder.made.append((type(self).__name__, config))
        self.config = {"max_request_size": 1_048_576}

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: {} if name == "list_topics" else None


def test_every_producer_consumer_and_admin_client_receives_the_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Recorder.made = []
    monkeypatch.setattr(kafka_publisher, "KafkaProducer", type("KafkaProducer", (Recorder,), {}))
    for name in ("KafkaConsumer", "KafkaAdminClient"):
        monkeypatch.setattr(kafka, name, type(name, (Recorder,), {}))
    options = client_options(sasl_ssl(tmp_path))
    kafka_publisher.KafkaPublisher("k:9093", security=options)
    kafka.make_consumer("k:9093", ("t",), "g", 6000, security=options)
    kafka.ensure_topics("k:9093", (), 1, options)
    kafka.read_topic("k:9093", "t", 0.0, security=options)
    kinds = [kind for kind, _ in Recorder.made]
    assert kinds == ["KafkaProducer", "KafkaConsumer", "KafkaAdminClient", "KafkaConsumer"]
    for _, config in Recorder.made:
        assert config["bootstrap_servers"] == "k:9093"
        assert {k: config[k] for k in options} == options


def test_kafka_python_takes_the_options_as_its_configuration(tmp_path: Path) -> None:
    options = client_options(sasl_ssl(tmp_path, kafka_ssl_cafile=""))
    consumer = KafkaConsumer(
        bootstrap_servers="127.0.0.1:1", api_version=(2, 8), **options
    )  # no connection is made before a poll
    try:
        assert {k: consumer.config[k] for k in options} == options
    finally:
        consumer.close()


def test_no_module_constructs_a_kafka_client_except_through_the_one_helper() -> None:
    direct = re.compile(r"\b(KafkaProducer|KafkaConsumer|KafkaAdminClient)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "services" / "warden").rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []
