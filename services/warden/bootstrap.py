"""Wires each service from Settings: database, Kafka, rules, gRPC server and workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from sqlalchemy import Engine

from warden import migrations
from warden.aftersales.app import AfterSalesApp
from warden.aftersales.domain.commitments import load_table
from warden.aftersales.edge.servicer import SERVICE_NAME as AFTERSALES_SERVICE
from warden.aftersales.edge.servicer import AfterSalesServicer
from warden.aftersales.storage import tables as aftersales_tables
from warden.compliance.domain.inboxes import Inbox, load_inboxes
from warden.compliance.domain.ladder import DEFAULT_LADDER
from warden.compliance.edge.catalogue_servicer import SERVICE_NAME as RULE_CATALOG_SERVICE
from warden.compliance.edge.catalogue_servicer import RuleCatalogServicer
from warden.compliance.edge.servicer import SERVICE_NAME as COMPLIANCE_SERVICE
from warden.compliance.edge.servicer import ComplianceServicer
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.intake.decoding import Intake
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.poll import Judging
from warden.compliance.judging.quiet import QuietStreams
from warden.compliance.operations.metrics import JudgingMetrics
from warden.compliance.operations.retention import check_horizon, purge_events, purge_inbox
from warden.compliance.review.anchoring import AuditAnchoring
from warden.compliance.review.cases import Review
from warden.compliance.review.cutover import start_signing
from warden.compliance.review.inboxes import Inboxes
from warden.compliance.rules.catalogue import RuleCatalog
from warden.compliance.rules.ladder_file import load_ladder
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import schema
from warden.config import Settings
from warden.console.wiring import build_console
from warden.platform.auth import AuthInterceptor, secret_for
from warden.platform.db import make_engine
from warden.platform.deadletter import DeadLetterBox
from warden.platform.grpc_server import create_server
from warden.platform.health import consumer_polling
from warden.platform.kafka import end_offsets, ensure_topics, make_consumer
from warden.platform.kafka_options import client_options
from warden.platform.runtime import Runtime
from warden.platform.signing import Signer, load_signer
from warden.platform.tls import server_credentials
from warden.platform.topics import ALL_TOPICS, AUDIT_ANCHORS, INPUT_TOPICS
from warden.sales.app import SalesApp
from warden.sales.edge.servicer import SERVICE_NAME as SALES_SERVICE
from warden.sales.edge.servicer import SalesServicer
from warden.sales.storage import tables as sales_tables
from warden.v1 import aftersales_pb2_grpc, compliance_pb2_grpc, rules_pb2_grpc, sales_pb2_grpc
from warden.workers import observed, patience_for, service_metrics, with_workers

log = logging.getLogger(__name__)


def preflight(settings: Settings) -> None:
    """Refuse to start, before touching a database or Kafka, on a weak signing secret, an
    unreadable certificate or key, or a wrong Kafka security setting (each names the cause)."""
    secret_for(settings.data_dir, settings.auth_secret)
    server_credentials(settings)
    client_options(settings)


def _database(settings: Settings, service: str) -> Engine:
    """The service's database, created when empty; refused (SchemaError) when its schema is
    not the one this code needs (warden.migrations)."""
    engine = make_engine(settings.db_url(service))
    try:
        migrations.ensure_current(engine, service)
    except BaseException:
        engine.dispose()
        raise
    return engine


def auth_for(settings: Settings) -> AuthInterceptor:
    """Every service checks tokens signed with the one secret (config, else data_dir)."""
    return AuthInterceptor(
        secret_for(settings.data_dir, settings.auth_secret), max_ttl_s=settings.token_max_ttl_s
    )


def _grpc_address(settings: Settings, service: str, port: int | None) -> str:
    return f"{settings.grpc_host}:{settings.port(service) if port is None else port}"


def build_sales(settings: Settings, port: int | None = None) -> tuple[Runtime, SalesApp]:
    preflight(settings)
    engine = _database(settings, "sales")
    app = SalesApp(engine)
    metrics = service_metrics("sales", engine, settings)
    server, bound, health = create_server(
        _grpc_address(settings, "sales", port),
        lambda s: sales_pb2_grpc.add_SalesServiceServicer_to_server(SalesServicer(app), s),
        [SALES_SERVICE],
        auth=auth_for(settings),
        metrics=metrics,
        credentials=server_credentials(settings),
    )
    runtime = Runtime("sales", server, bound, health, closers=[engine.dispose])
    observed(runtime, settings, engine, metrics, port, [SALES_SERVICE])
    return with_workers(runtime, settings, engine, sales_tables.outbox), app


def build_aftersales(settings: Settings, port: int | None = None) -> tuple[Runtime, AfterSalesApp]:
    preflight(settings)
    engine = _database(settings, "aftersales")
    app = AfterSalesApp(engine, commitments=load_table(settings.aftersales_priority_table))
    metrics = service_metrics("aftersales", engine, settings)
    server, bound, health = create_server(
        _grpc_address(settings, "aftersales", port),
        lambda s: aftersales_pb2_grpc.add_AfterSalesServiceServicer_to_server(
            AfterSalesServicer(app), s
        ),
        [AFTERSALES_SERVICE],
        auth=auth_for(settings),
        metrics=metrics,
        credentials=server_credentials(settings),
    )
    runtime = Runtime("aftersales", server, bound, health, closers=[engine.dispose])
    observed(runtime, settings, engine, metrics, port, [AFTERSALES_SERVICE])
    return with_workers(runtime, settings, engine, aftersales_tables.outbox), app


def _judge(engine: Engine, settings: Settings) -> Judge:
    """The judge following the rule catalogue (rules_dir's files published, and activated
    where new) with rules_dir's sanction ladder; deadlines the stored watermark already passed
    (e.g. just before a crash) are judged now."""
    judge = Judge.from_catalogue(engine, settings.rules_dir)
    judge.sweep()
    return judge


def _compliance_services(server: grpc.Server, review: Review, engine: Engine) -> None:
    compliance_pb2_grpc.add_ComplianceServiceServicer_to_server(ComplianceServicer(review), server)
    rules_pb2_grpc.add_RuleCatalogServiceServicer_to_server(
        RuleCatalogServicer(RuleCatalog(engine)), server
    )


def _compliance_files(settings: Settings) -> tuple[Inbox, ...]:
    """Refuse to start on an invalid rule, ladder or inboxes file, or a retention shorter
    than the rules look back, before the database is touched; say how deadlines are judged.
    The inboxes as configured."""
    rules = load_rules(settings.rules_dir)  # refuse to start on an invalid rule file
    inboxes = load_inboxes(settings.inboxes_file)  # and on an invalid inboxes file
    log.info("%d rule file(s) valid in %s", len(rules), settings.rules_dir)
    if not rules:
        log.warning(
            "no rule files in %s: judging only with rules published to the catalogue before",
            settings.rules_dir,
        )
    if settings.quiet_partition_s:
        log.info(
            "deadlines of a partition quiet for %g s are judged by the clock (lateness %g s)",
            settings.quiet_partition_s,
            settings.event_lateness_s,
        )
    else:
        log.warning(
            "quiet_partition_s=0: deadlines are judged by their partitions' events only, and "
            "the rules that wait for other partitions judge each event as it arrives (a "
            "partition read late can make them flag a read falsely: docs/compliance.md)"
        )
    if settings.retention_days:  # before the database is touched
        ladder = load_ladder(settings.rules_dir) or DEFAULT_LADDER
        check_horizon(timedelta(days=settings.retention_days), rules, ladder)
    return inboxes


def _event_consumer(
    settings: Settings,
    judge: Judge,
    engine: Engine,
    kafka: dict[str, Any],
    judging_metrics: JudgingMetrics,
) -> EventConsumer:
    """The Kafka loop over the input topics, handing each poll to Judging."""
    consumer = EventConsumer(
        make_consumer(
            settings.kafka_bootstrap,
            INPUT_TOPICS,
            settings.consumer_group,
            settings.kafka_session_timeout_ms,
            settings.kafka_fetch_max_wait_ms,
            settings.kafka_max_poll_records,
            settings.kafka_commit_interval_ms,
            kafka,
        ),
        Judging(
            judge,
            DeadLetterBox(engine, schema.outbox.table),
            timedelta(seconds=settings.event_lateness_s),
            metrics=judging_metrics,
        ),
        QuietStreams(settings.quiet_partition_s) if settings.quiet_partition_s else None,
        metrics=judging_metrics,
        intake=Intake.from_settings(settings),
    )
    consumer.judging.patience = patience_for(settings, "the event consumer")
    return consumer


def _anchor_audit(runtime: Runtime, settings: Settings, engine: Engine, signer: Signer) -> None:
    """The worker anchoring the audit chain's end on Kafka, when an interval is set."""
    if not settings.audit_anchor_interval_s:
        log.info("the audit chain is not anchored (audit_anchor_interval_s=0)")
        return
    anchoring = AuditAnchoring(
        engine,
        settings.consumer_group,
        settings.audit_anchor_interval_s,
        signer=signer,
        patience=patience_for(settings, "the audit anchoring"),
    )
    runtime.workers.append(anchoring.run)
    log.info(
        "the audit chain's end is anchored on %s every %g s (chain %s)",
        AUDIT_ANCHORS,
        settings.audit_anchor_interval_s,
        settings.consumer_group,
    )


def build_compliance(
    settings: Settings, port: int | None = None
) -> tuple[Runtime, Review, EventConsumer]:
    preflight(settings)
    inboxes = _compliance_files(settings)
    engine = _database(settings, "compliance")
    signer = load_signer(settings.data_dir, settings.signing_key_file)
    review = Review(
        engine,
        case_url_base=f"http://{settings.console_host}:{settings.console_port}/cases/",
        unclaimed_after=timedelta(hours=settings.unclaimed_after_hours),
        signer=signer,
    )
    Inboxes(engine).configure(inboxes)
    judge = _judge(engine, settings)
    if settings.retention_days:  # again: the catalogue may hold rules the files do not
        with engine.connect() as conn:
            rule_set = judge.rule_set(conn)
        check_horizon(
            timedelta(days=settings.retention_days), rule_set.engine.rules, rule_set.ladder
        )
    kafka = client_options(settings)
    ensure_topics(settings.kafka_bootstrap, ALL_TOPICS, settings.kafka_partitions, kafka)
    start_signing(
        engine,
        signer,
        settings.consumer_group,
        lambda topic: end_offsets(settings.kafka_bootstrap, topic, kafka),
        datetime.now(UTC),
    )
    metrics = service_metrics("compliance", engine, settings)
    judging_metrics = JudgingMetrics(metrics)
    consumer = _event_consumer(settings, judge, engine, kafka, judging_metrics)
    server, bound, health = create_server(
        _grpc_address(settings, "compliance", port),
        lambda s: _compliance_services(s, review, engine),
        [COMPLIANCE_SERVICE, RULE_CATALOG_SERVICE],
        auth=auth_for(settings),
        metrics=metrics,
        credentials=server_credentials(settings),
    )
    runtime = Runtime(
        "compliance",
        server,
        bound,
        health,
        workers=[consumer.run],
        closers=[engine.dispose],
    )
    polling = (
        (consumer_polling(lambda: judging_metrics.polled_at, settings.consumer_stall_s),)
        if settings.consumer_stall_s
        else ()
    )
    services = [COMPLIANCE_SERVICE, RULE_CATALOG_SERVICE]
    observed(runtime, settings, engine, metrics, port, services, polling)
    _anchor_audit(runtime, settings, engine, signer)
    console = build_console(settings, review, 0 if port == 0 else settings.console_port)
    if console is not None:
        runtime.workers.append(console.run)
        runtime.links["console"] = console.url
    # Penalty decisions are few, and one that replaces another must never reach HR before it:
    # a round of rows can put a later row on the topic before an earlier one whose send
    # failed for good (OutboxRelay), so this relay publishes one row at a time; dead letters
    # of input records, in no order, up to 200 at once.
    purges = {"inbox rows": purge_inbox, "stored events": purge_events()}
    workers = with_workers(
        runtime,
        settings,
        engine,
        schema.outbox,
        relay_batch=1,
        dead_letter_batch=200,
        purges=purges,
    )
    return workers, review, consumer


BUILDERS: dict[str, Callable[[Settings], tuple[Runtime, *tuple[object, ...]]]] = {
    "sales": build_sales,
    "aftersales": build_aftersales,
    "compliance": build_compliance,
}
