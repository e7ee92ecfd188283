"""What every service runs beside its gRPC server: the outbox relay, the SQLite checkpointer,
retention, the /metrics server and the health watch; and each service's metrics registry."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from sqlalchemy import Engine

from warden.aftersales.storage import tables as aftersales_tables
from warden.compliance.operations.metrics import ComplianceGauges
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.db import WalCheckpointer, sqlite_file
from warden.platform.health import Check, HealthWatch, database_answers
from warden.platform.kafka_options import client_options
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.metrics import MetricsServer, OutboxGauges, ServiceMetrics
from warden.platform.outbox import Outbox, OutboxRelay
from warden.platform.retention import Purge, Retention, purge_published
from warden.platform.runtime import Patience, Runtime
from warden.platform.topics import ALL_TOPICS
from warden.sales.storage import tables as sales_tables

log = logging.getLogger(__name__)


def with_workers(
    runtime: Runtime,
    settings: Settings,
    engine: Engine,
    outbox: Outbox,
    relay_batch: int = 200,
    dead_letter_batch: int = 0,
    purges: dict[str, Purge] | None = None,
) -> Runtime:
    """The service's background workers on its database: the outbox relay (publishing up to
    `relay_batch` rows at once), on an SQLite file the write-ahead log's checkpointer (so no
    commit of the service checkpoints), and the retention job deleting published outbox rows
    and `purges`' rows older than the horizon."""
    if sqlite_file(engine):
        checkpointer = WalCheckpointer(
            engine, patience=patience_for(settings, "the WAL checkpointer")
        )
        runtime.workers.append(checkpointer.run)
    publisher = publisher_for(settings, runtime)
    relay = OutboxRelay(
        engine, outbox.table, publisher, batch=relay_batch, dead_letter_batch=dead_letter_batch
    )
    patience = patience_for(settings, "the outbox relay")
    runtime.workers.append(
        partial(relay.run, interval_s=settings.relay_interval_s, patience=patience)
    )
    runtime.closers.append(publisher.close)
    purges = {"published outbox rows": purge_published(outbox.table), **(purges or {})}
    if settings.retention_days:
        retention = Retention(
            engine,
            timedelta(days=settings.retention_days),
            purges,
            settings.retention_interval_s,
            settings.retention_batch,
            patience=patience_for(settings, "the retention job"),
        )
        runtime.workers.append(retention.run)
        log.info(
            "%s older than %g days are deleted every %g s",
            ", ".join(purges),
            settings.retention_days,
            settings.retention_interval_s,
        )
    else:
        log.info("retention_days=0: nothing is ever deleted (%s)", ", ".join(purges))
    return runtime


def observed(
    runtime: Runtime,
    settings: Settings,
    engine: Engine,
    metrics: ServiceMetrics,
    port: int | None,
    services: list[str],
    checks: tuple[Check, ...] = (),
) -> Runtime:
    """The service's /metrics server (on a free port when the service's is; none when its
    setting is negative) and the health watch: the database, and `checks`, on a timer."""
    metrics_port = 0 if port == 0 else settings.metrics_port(runtime.name)
    if metrics_port >= 0:
        server = _metrics_server(metrics, settings.metrics_host, metrics_port, runtime.name)
        runtime.workers.append(server.run)
        runtime.links["metrics"] = server.url
    watch = HealthWatch(
        runtime.health, services, [database_answers(engine), *checks], settings.health_interval_s
    )
    runtime.workers.append(watch.run)
    return runtime


def _metrics_server(metrics: ServiceMetrics, host: str, port: int, service: str) -> MetricsServer:
    try:
        return MetricsServer(metrics.registry, host, port)
    except OSError as exc:
        raise RuntimeError(
            f"cannot serve the {service} metrics on {host}:{port} "
            f"(WARDEN_{service.upper()}_METRICS_PORT): {exc.strerror or exc}"
        ) from None


def patience_for(settings: Settings, what: str) -> Patience:
    return Patience(what, settings.worker_patience_s)


def publisher_for(settings: Settings, runtime: Runtime) -> KafkaPublisher:
    """A producer that is made anew when it keeps failing (re-creating Warden's topics, which
    a restarted embedded broker has lost), and whose waits end when the service stops."""
    return KafkaPublisher(
        settings.kafka_bootstrap,
        topics=ALL_TOPICS,
        partitions=settings.kafka_partitions,
        cancel=runtime.stopping,
        security=client_options(settings),
    )


def service_metrics(service: str, engine: Engine, settings: Settings) -> ServiceMetrics:
    """A service's metrics registry: gRPC calls and its outbox for every service; for
    compliance, the gauges of its cases, held events and audit anchors too (its judging
    counters are added by JudgingMetrics)."""
    metrics = ServiceMetrics(service)
    tables = {
        "sales": sales_tables.outbox,
        "aftersales": aftersales_tables.outbox,
        "compliance": schema.outbox,
    }
    metrics.add(OutboxGauges(engine, tables[service].table, service))
    if service == "compliance":
        metrics.add(ComplianceGauges(engine, anchored=settings.audit_anchor_interval_s > 0))
    return metrics
