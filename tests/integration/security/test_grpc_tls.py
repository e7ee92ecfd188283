"""gRPC over TLS with a CA made in the test: the three services answer a real call over
mutual TLS (from Clients and from the CLI), and refuse plaintext clients, clients without a
certificate and clients whose certificate another CA signed; start-up refuses a missing
certificate, an unreadable or non-PEM key and a key that does not fit, naming the path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.pki import TestCA
from tests.system import System
from warden.cli import main
from warden.config import Settings
from warden.platform.auth import ADMIN
from warden.platform.tls import StartupRefused, open_channel, server_credentials
from warden.v1 import common_pb2, sales_pb2


def tls(ca: TestCA, mutual: bool = True) -> dict[str, object]:
    server = ca.issue("server")
    return {
        "grpc_tls_cert": str(server.cert),
        "grpc_tls_key": str(server.key),
        "grpc_tls_ca": str(ca.files.cert),
        "grpc_tls_client_auth": mutual,
    }


@pytest.fixture
def secured(broker: str, database_url: str, tmp_path: Path) -> Iterator[System]:
    with System.start(broker, database_url, tmp_path, **tls(TestCA(tmp_path / "pki"))) as system:
        yield system


def health_check(channel: grpc.Channel) -> int:
    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    return int(reply.status)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_call_over_mutual_tls_reaches_the_service_and_is_authorised(secured: System) -> None:
    assert secured.clients is not None
    reply = secured.clients.sales.SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100",
            name="pump",
            list_price=common_pb2.Money(amount_minor=100_000, currency="EUR"),
            floor_price=common_pb2.Money(amount_minor=85_000, currency="EUR"),
        ),
        timeout=10,
    )
    assert reply.product.product_id == "X100" and reply.product.floor_price.amount_minor == 85_000
    for runtime in secured.runtimes.values():
        with open_channel(runtime.address, secured.settings) as channel:
            assert health_check(channel) == health_pb2.HealthCheckResponse.SERVING


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_plaintext_clients_and_clients_without_a_trusted_certificate_are_refused(
    secured: System, tmp_path: Path
) -> None:
    address = secured.runtimes["sales"].address
    other = TestCA(tmp_path / "other", "another CA")
    stranger = other.issue("stranger")
    without_cert = replace(secured.settings, grpc_tls_cert="", grpc_tls_key="")
    foreign_cert = replace(
        secured.settings, grpc_tls_cert=str(stranger.cert), grpc_tls_key=str(stranger.key)
    )
    for channel in (
        grpc.insecure_channel(address),
        open_channel(address, without_cert),
        open_channel(address, foreign_cert),
    ):
        with channel, pytest.raises(grpc.RpcError) as refused:
            health_check(channel)
        assert refused.value.code() is grpc.StatusCode.UNAVAILABLE  # type: ignore[attr-defined]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cli_speaks_tls_with_the_configured_ca_and_certificate(
    secured: System, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("grpc_tls_cert", "grpc_tls_key", "grpc_tls_ca"):
        monkeypatch.setenv(f"WARDEN_{name.upper()}", str(getattr(secured.settings, name)))
    monkeypatch.setenv("WARDEN_DATA_DIR", str(secured.settings.data_dir))
    argv = ["sales", "price", "list", "X200", "--name", "valve", "--list-price", "50.00"]
    argv += ["--floor", "40.00", "--address", secured.runtimes["sales"].address]
    argv += ["--token", secured.token("ops", ADMIN)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "X200" in out
    monkeypatch.delenv("WARDEN_GRPC_TLS_CA")  # no CA: the CLI speaks plaintext, refused
    assert main(argv) == 1
    assert "error: UNAVAILABLE" in capsys.readouterr().err


def test_a_missing_certificate_is_refused_at_start_naming_the_path(tmp_path: Path) -> None:
    ca = TestCA(tmp_path / "pki")
    settings = Settings(**tls(ca), data_dir=tmp_path)  # type: ignore[arg-type]
    missing = tmp_path / "pki" / "gone.crt"
    with pytest.raises(StartupRefused) as refused:
        server_credentials(replace(settings, grpc_tls_cert=str(missing)))
    assert str(refused.value) == (
        f"WARDEN_GRPC_TLS_CERT={missing}: cannot read it (No such file or directory)"
    )


def test_an_unreadable_key_is_refused_at_start_naming_the_path_and_the_reason(
    tmp_path: Path,
) -> None:
    ca = TestCA(tmp_path / "pki")
    settings = Settings(**tls(ca), data_dir=tmp_path)  # type: ignore[arg-type]
    a_folder = tmp_path / "pki"
    with pytest.raises(StartupRefused) as refused:
        server_credentials(replace(settings, grpc_tls_key=str(a_folder)))
    assert str(refused.value) == f"WARDEN_GRPC_TLS_KEY={a_folder}: cannot read it (Is a directory)"
    garbage = tmp_path / "garbage.key"
    garbage.write_text("not a key\n")
    with pytest.raises(StartupRefused) as refused:
        server_credentials(replace(settings, grpc_tls_key=str(garbage)))
    assert str(refused.value) == f"WARDEN_GRPC_TLS_KEY={garbage}: not a PEM file"


def test_a_key_that_does_not_fit_the_certificate_is_refused_at_start(tmp_path: Path) -> None:
    ca = TestCA(tmp_path / "pki")
    settings = Settings(**tls(ca), data_dir=tmp_path)  # type: ignore[arg-type]
    other_key = ca.issue("other").key
    with pytest.raises(StartupRefused, match=rf"^WARDEN_GRPC_TLS_KEY={other_key} does not fit"):
        server_credentials(replace(settings, grpc_tls_key=str(other_key)))


def test_mutual_tls_without_a_ca_or_a_certificate_without_its_key_is_refused(
    tmp_path: Path,
) -> None:
    ca = TestCA(tmp_path / "pki")
    settings = Settings(**tls(ca), data_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(
        StartupRefused, match="WARDEN_GRPC_TLS_CLIENT_AUTH needs WARDEN_GRPC_TLS_CA"
    ):
        server_credentials(replace(settings, grpc_tls_ca=""))
    with pytest.raises(StartupRefused, match="set both or neither"):
        server_credentials(replace(settings, grpc_tls_key=""))


def test_warden_serve_refuses_a_missing_certificate_before_making_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_GRPC_TLS_CERT", str(tmp_path / "none.crt"))
    monkeypatch.setenv("WARDEN_GRPC_TLS_KEY", str(tmp_path / "none.key"))
    assert main(["serve", "sales"]) == 1
    err = capsys.readouterr().err
    assert f"error: WARDEN_GRPC_TLS_CERT={tmp_path / 'none.crt'}: cannot read it" in err
    assert "Traceback" not in err
    assert not (tmp_path / "sales.db").exists()
