"""gRPC servers listen on 127.0.0.1 unless WARDEN_GRPC_HOST says otherwise: from another
address of this machine nothing answers."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.system import System


def an_address_off_loopback() -> str | None:
    """One of this machine's addresses that is not loopback (None when it has none)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # a UDP "connect" sends nothing: it picks a route
        address = str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_services_listen_on_loopback_only_by_default(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    elsewhere = an_address_off_loopback()
    if elsewhere is None:
        pytest.skip("this machine has no address off loopback to try")
    with System.start(broker, database_url, tmp_path) as system:
        for runtime in system.runtimes.values():
            socket.create_connection(("127.0.0.1", runtime.port), timeout=5).close()
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((elsewhere, runtime.port), timeout=5)
