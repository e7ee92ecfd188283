"""The whole system in-process for tests: real gRPC servers, real broker, real databases."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from warden.aftersales.app import AfterSalesApp
from warden.bootstrap import build_aftersales, build_compliance, build_sales
from warden.clients import Clients
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.intake.decoding import Intake
from warden.compliance.review.cases import Review
from warden.compliance.review.cutover import is_marker
from warden.config import Settings
from warden.platform.auth import (
    ADMIN,
    AFTERSALES,
    API,
    CRM,
    OFFICER,
    SALES,
    issue_token,
    secret_for,
)
from warden.platform.kafka import read_topic
from warden.platform.runtime import Runtime
from warden.platform.topics import HR_PENALTY_DECISIONS
from warden.sales.app import SalesApp
from warden.v1 import aftersales_pb2_grpc, compliance_pb2_grpc, sales_pb2_grpc

T = TypeVar("T")

# The enterprise systems the tests stand in for, allowed as a deployment would configure them.
TEST_SOURCES = (
    "sales.events=/erp/sales,sales.events=/enterprise/sales,sales.events=/test/crm,"
    "aftersales.events=/enterprise/desk,aftersales.events=/test/desk"
)


def _per_service_urls(database_url: str, tmp_path: Path) -> dict[str, str]:
    """One database per service, as in production: SQLite files, or PostgreSQL schemas."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return {
            s: f"sqlite:///{tmp_path / f'{s}.db'}" for s in ("sales", "aftersales", "compliance")
        }
    engine = create_engine(url)
    urls = {}
    with engine.begin() as conn:
        for service in ("sales", "aftersales", "compliance"):
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {service}"))
            urls[service] = url.update_query_dict(
                {"options": f"-csearch_path={service}"}
            ).render_as_string(hide_password=False)
    engine.dispose()
    return urls


def intake_for_tests() -> Intake:
    """What a compliance consumer of these tests accepts: the services' and TEST_SOURCES."""
    return Intake.from_settings(Settings(allowed_sources=TEST_SOURCES))


@dataclass
class System:
    settings: Settings
    runtimes: dict[str, Runtime] = field(default_factory=dict)
    review: Review | None = None
    sales: SalesApp | None = None
    aftersales: AfterSalesApp | None = None
    consumer: EventConsumer | None = None
    clients: Clients | None = None
    others: list[Clients] = field(default_factory=list)  # clients_as other callers

    @classmethod
    def start(cls, broker: str, database_url: str, tmp_path: Path, **overrides: Any) -> System:
        urls = _per_service_urls(database_url, tmp_path)
        settings = Settings(
            data_dir=tmp_path,
            kafka_bootstrap=broker,
            sales_db_url=urls["sales"],
            aftersales_db_url=urls["aftersales"],
            compliance_db_url=urls["compliance"],
            relay_interval_s=0.02,
            consumer_group=f"warden-test-{tmp_path.name}",
            **{"allowed_sources": TEST_SOURCES, **overrides},
        )
        system = cls(settings)
        runtime, system.sales = build_sales(settings, port=0)
        system.runtimes["sales"] = runtime.start()
        runtime, system.aftersales = build_aftersales(settings, port=0)
        system.runtimes["aftersales"] = runtime.start()
        runtime, system.review, system.consumer = build_compliance(settings, port=0)
        system.runtimes["compliance"] = runtime.start()
        system.clients = Clients.connect(
            *(system.runtimes[s].address for s in ("sales", "aftersales", "compliance")),
            token=system.token("warden-tests", ADMIN),
            settings=settings,
        )
        return system

    def token(self, subject: str, *roles: str, ttl_s: int = 3600, audience: str = API) -> str:
        """A token signed with this system's secret (tests call as any identity): for gRPC
        calls, or with audience=CONSOLE for logging in to the console."""
        secret = secret_for(self.settings.data_dir, self.settings.auth_secret)
        return issue_token(secret, subject, roles, ttl_s, audience=audience)

    def clients_as(self, subject: str, *roles: str) -> Clients:
        """Clients calling as `subject` with `roles`; the caller closes them."""
        return Clients.connect(
            *(self.runtimes[s].address for s in ("sales", "aftersales", "compliance")),
            token=self.token(subject, *roles),
            settings=self.settings,
        )

    def compliance_as(self, subject: str, *roles: str) -> compliance_pb2_grpc.ComplianceServiceStub:
        """The compliance service as `subject` calls it with `roles` (closed with the system)."""
        clients = self.clients_as(subject, *roles)
        self.others.append(clients)
        return clients.compliance

    def agent(self, subject: str) -> aftersales_pb2_grpc.AfterSalesServiceStub:
        """The after-sales service as agent `subject` calls it (closed with the system)."""
        clients = self.clients_as(subject, AFTERSALES)
        self.others.append(clients)
        return clients.aftersales

    def seller(self, subject: str) -> sales_pb2_grpc.SalesServiceStub:
        """The sales service as `subject` calls it with their own sales token (closed with the
        system): who acts is the token's subject."""
        clients = self.clients_as(subject, SALES)
        self.others.append(clients)
        return clients.sales

    def sales_system(self, subject: str = "erp") -> sales_pb2_grpc.SalesServiceStub:
        """The sales service as a sales system (role crm) calls it: it names who acted."""
        clients = self.clients_as(subject, CRM)
        self.others.append(clients)
        return clients.sales

    def officer(self, subject: str) -> compliance_pb2_grpc.ComplianceServiceStub:
        return self.compliance_as(subject, OFFICER)

    def stop(self) -> None:
        for clients in [self.clients, *self.others]:
            if clients:
                clients.close()
        for runtime in self.runtimes.values():
            runtime.stop(grace_s=0.5)

    def __enter__(self) -> System:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def eventually(probe: Callable[[], T], timeout_s: float = 30.0, what: str = "condition") -> T:
    """Poll `probe` until it returns something truthy; fail the test after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.05)


def hr_decisions(bootstrap: str, timeout_s: float = 1.0, expect: int = 1) -> list[Any]:
    """The records of hr.penalty-decisions that are decisions: without the signing-started
    marker the compliance service publishes there when it starts (compliance/review/cutover.py)."""
    records = read_topic(bootstrap, HR_PENALTY_DECISIONS, timeout_s, expect + 1)
    return [r for r in records if not is_marker(r.value)]
