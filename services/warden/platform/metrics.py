"""Prometheus metrics: a registry per service, served on the service's own /metrics port.

Counters move where the work is done, once per call or per poll; gauges that need a query
(an outbox's backlog, say) are computed when Prometheus scrapes, never per event."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import grpc
from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    make_wsgi_app,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

C = TypeVar("C", bound=Collector)

# Seconds: a gRPC call, or an event's way from production to its case (up to minutes when a
# consumer catches up).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class ServiceMetrics:
    """One service's registry: its gRPC calls, and whatever its parts add (`add`)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.collectors: list[Collector] = []
        # The process: memory, CPU, open files, garbage collections.
        for standard in (ProcessCollector, PlatformCollector, GCCollector):
            self.collectors.append(standard(registry=self.registry))
        self.grpc_handled = self.add(
            Counter(
                "grpc_server_handled_total",
                "gRPC calls completed on the server, by method and status code.",
                ["grpc_type", "grpc_service", "grpc_method", "grpc_code"],
                registry=None,
            )
        )
        self.grpc_seconds = self.add(
            Histogram(
                "grpc_server_handling_seconds",
                "Time the server took to complete a gRPC call, by method.",
                ["grpc_type", "grpc_service", "grpc_method"],
                buckets=LATENCY_BUCKETS,
                registry=None,
            )
        )

    def add(self, collector: C) -> C:
        self.registry.register(collector)
        self.collectors.append(collector)
        return collector

    def names(self) -> set[str]:
        """Every series name this registry can expose (what an alert or a panel may use)."""
        return {name for c in self.collectors for m in _described(c) for name in _series(m)}


def _described(collector: Collector) -> Iterable[Metric]:
    describe = getattr(collector, "describe", None)
    return describe() if describe else collector.collect()


def _series(metric: Metric) -> list[str]:
    suffixes = {
        "counter": ["_total", "_created"],
        "histogram": ["_bucket", "_sum", "_count", "_created"],
        "summary": ["", "_sum", "_count", "_created"],
    }.get(metric.type, [""])
    return [metric.name + suffix for suffix in suffixes]


class GrpcMetricsInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Counts and times every unary call by method and final status code. It runs first, so
    calls refused by the token check are counted too."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics

    def intercept_service(self, continuation: Callable[..., Any], details: Any) -> Any:
        handler = continuation(details)
        if handler is None or handler.unary_unary is None:
            return handler
        inner = handler.unary_unary
        service, _, method = details.method.lstrip("/").rpartition("/")
        timer = self.metrics.grpc_seconds.labels("unary", service, method)
        handled = self.metrics.grpc_handled

        def measured(request: Any, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            try:
                return inner(request, context)
            except Exception:
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            finally:
                if code is grpc.StatusCode.OK:
                    code = context.code() or code
                timer.observe(time.perf_counter() - started)
                handled.labels("unary", service, method, code.name).inc()

        return grpc.unary_unary_rpc_method_handler(
            measured,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


class OutboxGauges(Collector):
    """A service's outbox at scrape time: rows waiting to be published and the age of the
    oldest (one indexed query); `warden_database_up` says whether the query answered. Each
    carries the service's name (label `service`), whatever the scrape configuration."""

    def __init__(self, engine: Engine, table: Table, service: str) -> None:
        self.engine = engine
        self.table = table
        self.service = service

    def describe(self) -> Iterator[Metric]:
        yield from _outbox_families()
        yield _database_family()

    def collect(self) -> Iterator[Metric]:
        backlog, oldest = _outbox_families()
        up = _database_family()
        query = select(func.count(), func.min(self.table.c.created_at)).where(
            self.table.c.published_at.is_(None)
        )
        try:
            with self.engine.connect() as conn:
                count, first = conn.execute(query).one()
        except SQLAlchemyError as exc:  # a scrape must answer while the database is away
            log.warning("metrics: the outbox query failed: %s", exc)
            up.add_metric([self.service], 0)
            yield up
            return
        up.add_metric([self.service], 1)
        backlog.add_metric([self.service], count)
        oldest.add_metric([self.service], age_s(first) if first is not None else 0)
        yield from (backlog, oldest, up)


def _outbox_families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
    return (
        GaugeMetricFamily(
            "warden_outbox_backlog_events",
            "Outbox rows written but not yet published to Kafka.",
            labels=["service"],
        ),
        GaugeMetricFamily(
            "warden_outbox_oldest_unpublished_age_seconds",
            "Age of the oldest outbox row not yet published (0 when none waits).",
            labels=["service"],
        ),
    )


def _database_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "warden_database_up",
        "1 when the service's database answered the last scrape's query.",
        labels=["service"],
    )


def age_s(moment: datetime, now: datetime | None = None) -> float:
    """Seconds from `moment` (naive ones are UTC, as SQLite returns them) to now."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    # The parameter's name is http.server's, which calls it by keyword.
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("metrics %s " + format, self.address_string(), *args)


class MetricsServer:
    """Serves a registry on http://host:port/metrics; binds at construction (port 0 picks
    one), `run(stop)` serves until `stop` is set."""

    def __init__(self, registry: CollectorRegistry, host: str, port: int) -> None:
        self.httpd = make_server(
            host,
            port,
            make_wsgi_app(registry),
            server_class=_ThreadingServer,
            handler_class=_QuietHandler,
        )
        self.host = host
        self.port = int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    def run(self, stop: threading.Event) -> None:
        log.info("metrics on %s", self.url)
        self.httpd.timeout = 0.2
        while not stop.is_set():
            self.httpd.handle_request()
        self.httpd.server_close()
