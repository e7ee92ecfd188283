"""Observability on the real broker and databases: each service's /metrics moves as events are
judged and dead-lettered, log lines are JSON objects carrying the event, case and actor, and
the compliance health turns NOT_SERVING when its consumer stops polling or its database is
away, then SERVING again."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from tests.conftest import _postgres_database
from tests.integration.compliance.test_held_judgements import (
    data_read,
    send,
    service_settings,
    stage_changed,
    ticket_received,
)
from tests.integration.test_end_to_end_slice import change_price, eur, open_cases, price_list
from tests.logs import captured
from tests.system import System, eventually
from warden.bootstrap import build_compliance, build_sales
from warden.compliance.edge.servicer import SERVICE_NAME as COMPLIANCE_SERVICE
from warden.compliance.review.anchoring import AuditAnchoring
from warden.compliance.storage import schema
from warden.config import SERVICES, Settings
from warden.people import person
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS
from warden.v1 import compliance_pb2, compliance_pb2_grpc, sales_pb2

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


def scrape(system: System, service: str) -> Samples:
    return scrape_url(system.runtimes[service].links["metrics"])


def scrape_url(url: str) -> Samples:
    with urllib.request.urlopen(url, timeout=10) as reply:
        body = reply.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels` (0 when there is none)."""
    wanted = set(labels.items())
    return sum(v for (n, have), v in samples.items() if n == name and wanted <= have)


def has(samples: Samples, name: str, **labels: str) -> bool:
    wanted = set(labels.items())
    return any(n == name and wanted <= have for (n, have) in samples)


def health(system: System, service: str, name: str = "") -> int:
    with grpc.insecure_channel(system.runtimes[service].address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
        return int(reply.status)


SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def test_every_service_serves_metrics_that_move_as_events_are_judged_and_dead_lettered(
    system: System,
) -> None:
    assert system.consumer is not None
    before = scrape(system, "compliance")
    assert value(before, "warden_events_judged_total") == 0
    price_list(system)
    change_price(system, 70_000)  # below the floor, no approval: two cases of 4.1.2
    publisher = KafkaPublisher(system.settings.kafka_bootstrap)
    try:
        publisher.send(SALES_EVENTS, "junk", b"not a cloud event")
    finally:
        publisher.close()
    with pytest.raises(grpc.RpcError):
        system.clients.sales.ChangePrice(
            sales_pb2.ChangePriceRequest(product_id="X100", salesperson_id="")
        )
    eventually(lambda: len(open_cases(system)) >= 2, what="the cases")

    def moved() -> Samples | None:
        samples = scrape(system, "compliance")
        done = (
            value(samples, "warden_events_dead_lettered_total", reason="malformed") == 1
            and value(samples, "warden_events_judged_total") >= system.consumer.judged > 0
            and has(samples, "warden_consumer_lag_events", topic=SALES_EVENTS)
        )
        return samples if done else None

    after = eventually(moved, what="the judging metrics")
    judged = value(after, "warden_events_judged_total")
    assert value(after, "warden_events_consumed_total", topic=SALES_EVENTS) == judged + 1
    assert value(after, "warden_events_dead_lettered_total", reason="judging_failed") == 0
    assert value(after, "warden_cases_opened_total", clause="4.1.2", severity="major") >= 1
    assert value(after, "warden_cases_opened_total") == len(open_cases(system))
    assert value(after, "warden_event_to_case_seconds_count") == len(open_cases(system))
    assert value(after, "warden_open_cases", age="under_1d") == len(open_cases(system))
    assert value(after, "warden_open_cases", age="over_30d") == 0
    assert value(after, "warden_consumer_last_poll_age_seconds") < 5
    assert value(after, "warden_consumer_lag_events") == 0
    assert has(after, "warden_audit_unanchored_age_seconds")

    sales = scrape(system, "sales")
    ok = {"grpc_service": "warden.v1.SalesService", "grpc_method": "ChangePrice"}
    assert value(sales, "grpc_server_handled_total", grpc_code="OK", **ok) == 1
    assert value(sales, "grpc_server_handled_total", grpc_code="INVALID_ARGUMENT", **ok) == 1
    assert value(sales, "grpc_server_handling_seconds_count", **ok) == 2
    for service in SERVICES:
        samples = scrape(system, service)
        assert value(samples, "warden_database_up") == 1, service
        assert has(samples, "warden_outbox_backlog_events"), service
        assert has(samples, "warden_outbox_oldest_unpublished_age_seconds"), service


def test_a_call_refused_for_its_token_is_counted_with_its_code(system: System) -> None:
    with grpc.insecure_channel(system.runtimes["compliance"].address) as channel:
        stub = compliance_pb2_grpc.ComplianceServiceStub(channel)
        with pytest.raises(grpc.RpcError) as refused:
            stub.ListCases(compliance_pb2.ListCasesRequest())
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    samples = scrape(system, "compliance")
    labels = {"grpc_method": "ListCases", "grpc_code": "UNAUTHENTICATED"}
    assert value(samples, "grpc_server_handled_total", **labels) == 1


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What Warden logs at INFO while the test runs, as the JSON handler writes it."""
    with captured("json") as out:
        yield out


def test_log_lines_are_json_with_the_event_case_and_actor_and_a_forged_line_stays_inside(
    system: System, json_log: io.StringIO
) -> None:
    price_list(system)
    flagged = change_price(system, 70_000)
    fake = "2026-12-07 01:00:00,000 ERROR warden.sales: forged"
    with pytest.raises(grpc.RpcError):
        system.clients.sales.ChangePrice(
            sales_pb2.ChangePriceRequest(
                product_id="X100", salesperson_id=f"nobody\n{fake}", new_price=eur(70_000)
            )
        )
    (case, *_) = eventually(lambda: open_cases(system), what="a case")
    officer_id = f"officer-7\n{fake}"  # a token's subject reaches the log as it is
    officer = system.clients_as(officer_id, "officer")
    try:
        officer.compliance.ClaimCase(compliance_pb2.ClaimCaseRequest(case_id=case.case_id))
    finally:
        officer.close()

    records = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert not [r for r in records if r["level"] == "ERROR"]
    assert any("salesperson" in r["message"] and fake in r["message"] for r in records)
    findings = [r for r in records if r["message"].startswith("finding ")]
    assert flagged.event_id in {r.get("event_id") for r in findings}
    assert case.case_id in {r.get("case_id") for r in findings}
    (claimed,) = [r for r in records if "claimed by" in r["message"]]
    # The case records the person (trimmed, case-folded); the actor field is the token's subject.
    assert claimed["message"] == f"case {case.case_id} claimed by {person(officer_id)}"
    assert (claimed["actor"], claimed["case_id"]) == (officer_id, case.case_id)


@pytest.fixture
def watched(broker: str, database_url: str, tmp_path: Path) -> Iterator[System]:
    """The services with the compliance consumer's stall limit at 2 s, checked every 0.2 s."""
    with System.start(
        broker, database_url, tmp_path, consumer_stall_s=2.0, health_interval_s=0.2
    ) as running:
        yield running


def test_compliance_is_not_serving_while_its_consumer_stops_polling_then_serving_again(
    watched: System,
) -> None:
    consumer = watched.consumer
    assert consumer is not None
    eventually(lambda: health(watched, "compliance") == SERVING, what="SERVING at first")
    stuck, judging = threading.Event(), consumer.judging.judge.handle_batch

    def hanging(*args: Any, **kwargs: Any) -> Any:
        stuck.wait(60)  # a judgement that hangs: the loop does not poll meanwhile
        return judging(*args, **kwargs)

    consumer.judging.judge.handle_batch = hanging  # type: ignore[method-assign]
    try:
        price_list(watched)
        change_price(watched, 95_000)  # an event to judge: the judgement hangs
        eventually(
            lambda: health(watched, "compliance") == NOT_SERVING,
            what="liveness NOT_SERVING",
        )
        assert health(watched, "compliance", COMPLIANCE_SERVICE) == NOT_SERVING
        assert health(watched, "sales") == SERVING
    finally:
        stuck.set()
    eventually(lambda: health(watched, "compliance") == SERVING, what="SERVING again")
    assert health(watched, "compliance", COMPLIANCE_SERVICE) == SERVING


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def test_a_service_whose_database_is_away_is_not_ready_but_alive_then_ready_again(
    broker: str, postgres_url: str, tmp_path: Path
) -> None:
    name = make_url(postgres_url).database
    admin = create_engine(
        make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with System.start(
        broker, postgres_url, tmp_path, consumer_stall_s=2.0, health_interval_s=0.2
    ) as system:
        eventually(lambda: health(system, "compliance", COMPLIANCE_SERVICE) == SERVING)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
        try:
            for service, own in [("compliance", COMPLIANCE_SERVICE), ("sales", "")]:
                own = own or "warden.v1.SalesService"
                eventually(
                    lambda s=service, o=own: health(system, s, o) == NOT_SERVING,
                    what=f"{service} not ready",
                )
            samples = scrape(system, "sales")
            assert value(samples, "warden_database_up") == 0
            # The consumer waits for the database too; restarting would not bring it back.
            assert health(system, "compliance") == SERVING
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        eventually(
            lambda: health(system, "compliance", COMPLIANCE_SERVICE) == SERVING,
            what="ready again",
        )
        assert value(scrape(system, "sales"), "warden_database_up") == 1
    admin.dispose()


def test_open_cases_are_counted_by_age_and_the_unanchored_audit_age_falls_once_anchored(
    system: System,
) -> None:
    price_list(system)
    change_price(system, 70_000)
    first, second = eventually(
        lambda: (cases := open_cases(system)) and len(cases) >= 2 and cases, what="two cases"
    )
    assert system.review is not None
    engine = system.review.engine
    now = datetime.now(UTC)
    ages = {first.case_id: timedelta(days=3), second.case_id: timedelta(days=45)}
    with engine.begin() as conn:
        for case_id, age in ages.items():
            opened = update(schema.cases).where(schema.cases.c.case_id == case_id)
            conn.execute(opened.values(opened_at=now - age))
    samples = scrape(system, "compliance")
    assert value(samples, "warden_open_cases", age="under_1d") == 0
    assert value(samples, "warden_open_cases", age="1d_to_7d") == 1
    assert value(samples, "warden_open_cases", age="7d_to_30d") == 0
    assert value(samples, "warden_open_cases", age="over_30d") == 1
    assert value(samples, "warden_open_case_oldest_age_seconds") >= 45 * 86400
    assert value(samples, "warden_held_events_waiting") == 0
    assert not has(samples, "warden_audit_anchor_age_seconds")  # never anchored yet
    assert value(samples, "warden_audit_unanchored_age_seconds") > 0

    anchoring = AuditAnchoring(engine, system.settings.consumer_group, 60)
    assert anchoring.anchor_once() is not None
    samples = scrape(system, "compliance")
    assert value(samples, "warden_audit_unanchored_age_seconds") == 0
    assert 0 <= value(samples, "warden_audit_anchor_age_seconds") < 60


@pytest.fixture
def text_log() -> Iterator[io.StringIO]:
    """What Warden logs at INFO while the test runs, as the text handler writes it."""
    with captured("text") as out:
        yield out


def test_a_token_subject_with_a_fake_error_record_cannot_forge_a_text_line(
    system: System, text_log: io.StringIO
) -> None:
    price_list(system)
    change_price(system, 70_000)
    (case, *_) = eventually(lambda: open_cases(system), what="a case")
    fake = "2026-12-07 01:00:00,000 ERROR warden.compliance.review.cases: case X dismissed"
    subject = f"officer-7\n{fake}"
    officer = system.clients_as(subject, "officer")
    try:
        officer.compliance.ClaimCase(compliance_pb2.ClaimCaseRequest(case_id=case.case_id))
    finally:
        officer.close()
    lines = text_log.getvalue().splitlines()
    assert not [line for line in lines if line.startswith(fake)]
    (claimed,) = [line for line in lines if " claimed by " in line]
    said = person(subject).replace("\n", "\\n")
    assert f"claimed by {said} [case_id={case.case_id} actor=officer-7\\n{fake}" in claimed
    assert all(RECORD_START.match(line) or line.startswith("    ") for line in lines)


def test_a_warden_process_logs_json_lines_when_told_to(tmp_path: Path) -> None:
    script = (
        "import logging; from warden.platform import logs; logs.setup('INFO', 'json'); "
        "logging.getLogger('warden.x').info('id %s', 'a\\n2026-12-07 01:00:00,000 ERROR x: y')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": "services"},
    )
    (line,) = done.stderr.splitlines()
    assert json.loads(line)["message"] == "id a\n2026-12-07 01:00:00,000 ERROR x: y"


def test_a_metrics_port_already_taken_stops_the_service_naming_the_setting(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(
            data_dir=tmp_path, kafka_bootstrap="127.0.0.1:1", sales_port=0, sales_metrics_port=port
        )
        with pytest.raises(RuntimeError) as refused:
            build_sales(settings)
    assert str(refused.value).startswith(
        f"cannot serve the sales metrics on 127.0.0.1:{port} (WARDEN_SALES_METRICS_PORT): "
    )


@pytest.fixture
def producer(broker: str) -> Iterator[KafkaProducer]:
    sender = KafkaProducer(bootstrap_servers=broker)
    yield sender
    sender.close()


def test_an_event_held_for_other_partitions_is_counted_held_waiting_then_released(
    broker: str, database_url: str, tmp_path: Path, producer: KafkaProducer
) -> None:
    runtime, _review, consumer = build_compliance(
        service_settings(broker, database_url, tmp_path), port=0
    )
    runtime.start()
    url = runtime.links["metrics"]
    try:
        eventually(lambda: len(consumer.consumer.assignment()) > 0, 60, "partitions assigned")
        now = datetime.now(UTC).replace(microsecond=0)
        send(producer, data_read(now, "dave"), 1)  # waits for every partition to pass it
        eventually(lambda: value(scrape_url(url), "warden_held_events_waiting") == 1, 60)
        samples = scrape_url(url)
        assert value(samples, "warden_events_held_total") == 1
        assert value(samples, "warden_held_events_released_total") == 0
        assert value(samples, "warden_held_events_oldest_age_seconds") >= 0
        later = now + timedelta(seconds=1)
        send(producer, ticket_received(later, "T-2", "frank"), 0)
        send(producer, ticket_received(later, "T-3", "grace"), 1)
        for partition in (0, 1):
            send(producer, stage_changed(later, partition), partition, SALES_EVENTS)
        eventually(lambda: value(scrape_url(url), "warden_held_events_waiting") == 0, 60)
        samples = scrape_url(url)
        assert value(samples, "warden_held_events_released_total") == 1
        assert value(samples, "warden_events_held_total") == 1
        assert value(samples, "warden_events_consumed_total", topic=AFTERSALES_EVENTS) == 3
    finally:
        runtime.stop()
