"""gRPC clients of the three services, and waiting for a service to report SERVING."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from warden.config import Settings
from warden.platform.tls import open_channel
from warden.v1 import aftersales_pb2_grpc, compliance_pb2_grpc, rules_pb2_grpc, sales_pb2_grpc


def wait_serving(address: str, timeout_s: float = 30.0, settings: Settings | None = None) -> None:
    """Block until the server at `address` answers its health check with SERVING (over TLS
    when `settings` name a CA)."""
    deadline = time.monotonic() + timeout_s
    with open_channel(address, settings or Settings()) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"no SERVING health check from {address} in {timeout_s}s")
            time.sleep(0.1)


@dataclass
class Clients:
    sales: sales_pb2_grpc.SalesServiceStub
    aftersales: aftersales_pb2_grpc.AfterSalesServiceStub
    compliance: compliance_pb2_grpc.ComplianceServiceStub
    # The compliance service's rule catalogue (same server as `compliance`).
    rules: rules_pb2_grpc.RuleCatalogServiceStub
    channels: list[grpc.Channel]
    addresses: tuple[str, str, str] = ("", "", "")
    # Issues a token for (subject, role), so that each person acts with their own (the demo).
    token_for: Callable[[str, str], str] | None = None
    settings: Settings | None = None

    @classmethod
    def connect(
        cls,
        sales: str,
        aftersales: str,
        compliance: str,
        token: str = "",
        token_for: Callable[[str, str], str] | None = None,
        settings: Settings | None = None,
    ) -> Clients:
        """Channels to the three services; every call carries `token` as a bearer token, over
        TLS when `settings` name a CA (platform/tls.py)."""
        channels = [
            open_channel(a, settings or Settings(), token) for a in (sales, aftersales, compliance)
        ]
        return cls(
            sales_pb2_grpc.SalesServiceStub(channels[0]),
            aftersales_pb2_grpc.AfterSalesServiceStub(channels[1]),
            compliance_pb2_grpc.ComplianceServiceStub(channels[2]),
            rules_pb2_grpc.RuleCatalogServiceStub(channels[2]),
            channels,
            (sales, aftersales, compliance),
            token_for,
            settings,
        )

    def acting_as(self, subject: str, role: str) -> Clients:
        """Clients calling with `subject`'s own token: no one acts in another's name. Their
        channels close with these."""
        if self.token_for is None:
            raise ValueError("these clients were connected without a way to issue tokens")
        other = Clients.connect(
            *self.addresses, token=self.token_for(subject, role), settings=self.settings
        )
        self.channels.extend(other.channels)
        return other

    def close(self) -> None:
        for channel in self.channels:
            channel.close()
