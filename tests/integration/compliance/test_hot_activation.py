"""Rule versions activated over gRPC while the compliance service judges a running stream on the
embedded broker: no restart, every event judged exactly once by one version, the previous
version reactivated, a shadow version counting its findings without opening cases; and the
catalogue's bad input refused with the right status, changing nothing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select

from tests.integration.compliance.test_rule_catalogue import GIFT, expense, gift
from tests.system import TEST_SOURCES, eventually
from warden.bootstrap import build_compliance
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.storage import schema, shadow_store
from warden.config import Settings
from warden.platform.auth import ADMIN, OFFICER, issue_token, secret_for, with_token
from warden.platform.db import make_engine
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.runtime import Runtime
from warden.platform.topics import SALES_EVENTS
from warden.v1 import rules_pb2, rules_pb2_grpc

EVENTS = 240
EMPLOYEES = [f"rep-{n}" for n in range(6)]
RULE = "gift-above-threshold"


@pytest.fixture
def service(broker: str, database_url: str, tmp_path: Path) -> Iterator[tuple[Settings, Runtime]]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "gift.yaml").write_text(GIFT)  # version 1: flags more than 200.00 EUR
    settings = Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        rules_dir=rules,
        consumer_group=f"warden-activation-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        kafka_partitions=3,
        relay_interval_s=0.02,
        console_port=0,
    )
    runtime, _review, _consumer = build_compliance(settings, port=0)
    runtime.start()
    yield settings, runtime
    runtime.stop(grace_s=0.5)


def catalogue_as(
    settings: Settings, runtime: Runtime, role: str
) -> rules_pb2_grpc.RuleCatalogServiceStub:
    token = issue_token(secret_for(settings.data_dir, settings.auth_secret), "ops", [role], 600)
    channel = with_token(grpc.insecure_channel(runtime.address), token)
    return rules_pb2_grpc.RuleCatalogServiceStub(channel)


def file_of(version: int, threshold_minor: int) -> rules_pb2.RuleFile:
    made = gift(version, threshold_minor)
    return rules_pb2.RuleFile(path=made.path, text=made.text)


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    queries = {
        "judged": select(func.count())
        .select_from(schema.inbox)
        .where(schema.inbox.c.topic != INTERNAL_TOPIC),
        "findings": select(func.count()).select_from(schema.findings),
        "cases": select(func.count()).select_from(schema.cases),
        "shadow": select(func.count()).select_from(schema.shadow_findings),
    }
    try:
        with engine.connect() as conn:
            return {name: conn.execute(q).scalar_one() for name, q in queries.items()}
    finally:
        engine.dispose()


def test_versions_activated_under_a_running_stream_judge_every_event_exactly_once(
    service: tuple[Settings, Runtime],
) -> None:
    settings, runtime = service
    url = settings.db_url("compliance")
    admin = catalogue_as(settings, runtime, ADMIN)
    published = admin.PublishRules(
        rules_pb2.PublishRulesRequest(files=[file_of(2, 10_000)]), timeout=10
    )
    assert list(published.added) == [f"{RULE}@v2"]
    admin.PublishRules(rules_pb2.PublishRulesRequest(files=[file_of(3, 24_000)]), timeout=10)
    admin.ActivateRule(
        rules_pb2.ActivateRuleRequest(rule_id=RULE, version=3, mode=rules_pb2.RULE_MODE_SHADOW),
        timeout=10,
    )

    # Every expense is 250.00 EUR: above version 1's, version 2's and version 3's threshold, so
    # each event makes exactly one finding of the active version and one of the shadow version.
    # The stream runs in three parts: the first third under version 1; then version 2 is
    # activated and the rest streams on while, at two thirds judged, version 1 is reactivated
    # with events still in flight; the producer holds its last sixth until that is done.
    sent: list[str] = []
    reactivated = threading.Event()

    def produce(first: int, last: int, hold_at: int | None = None) -> None:
        publisher = KafkaPublisher(settings.kafka_bootstrap)
        try:
            for n in range(first, last):
                if n == hold_at:
                    assert reactivated.wait(120), "version 1 was not reactivated"
                employee = EMPLOYEES[n % len(EMPLOYEES)]
                event = replace(
                    expense(n % 60, 25_000),
                    id=f"x-{n}",
                    subject=employee,
                    data={**expense(n % 60, 25_000).data, "salesperson_id": employee},
                )
                publisher.send(SALES_EVENTS, event.subject, event.to_bytes())
                sent.append(event.id)
                time.sleep(0.002)
        finally:
            publisher.close()

    third = EVENTS // 3
    produce(0, third)
    eventually(lambda: counts(url)["judged"] == third, 120, "the first third judged")
    switched = admin.ActivateRule(
        rules_pb2.ActivateRuleRequest(rule_id=RULE, version=2, reason="lower threshold"),
        timeout=10,
    )
    assert switched.rule.active_version == 2 and switched.rule.shadow_version == 3
    hold_at = EVENTS - EVENTS // 6
    producer = threading.Thread(target=produce, args=(third, EVENTS, hold_at))
    producer.start()
    eventually(lambda: counts(url)["judged"] >= 2 * third, 120, "two thirds judged")
    admin.ActivateRule(
        rules_pb2.ActivateRuleRequest(rule_id=RULE, version=1, reason="rollback"), timeout=10
    )
    reactivated.set()
    producer.join(120)
    assert len(sent) == EVENTS
    eventually(lambda: counts(url)["judged"] == EVENTS, 120, "every event judged")

    assert counts(url) == {"judged": EVENTS, "findings": EVENTS, "cases": EVENTS, "shadow": EVENTS}
    versions, shadow = judged_versions(url)
    # Each event was judged once, by one version: one finding each, none twice.
    assert sorted(versions) == sorted(sent)
    assert all(len(v) == 1 for v in versions.values())
    # Per partition, in offset order, the versions run 1..., then 2..., then 1... again: each
    # switch took effect at one point of the stream, and none went back and forth.
    for partition, ordered in by_partition(url, versions).items():
        phases = [v for i, v in enumerate(ordered) if i == 0 or ordered[i - 1] != v]
        assert phases in ([1], [1, 2], [1, 2, 1], [2], [2, 1]), (partition, phases)
    # Exactly: the first third was judged before version 2 existed as the active one, the
    # events after the hold were produced after version 1's reactivation; the events between
    # were in flight during it, judged by one version or the other, never both.
    version_of = {event: v[0] for event, v in versions.items()}
    assert {version_of[f"x-{n}"] for n in range(third)} == {1}
    assert {version_of[f"x-{n}"] for n in range(hold_at, EVENTS)} == {1}
    tally = list(version_of.values())
    assert tally.count(2) >= third  # two thirds were judged before the reactivation
    assert tally.count(1) >= third + (EVENTS - hold_at)
    assert sorted(shadow) == sorted(sent)
    assert set(shadow.values()) == {3}
    listed = {r.rule_id: r for r in admin.ListRules(rules_pb2.ListRulesRequest()).rules}
    assert listed[RULE].active_version == 1 and listed[RULE].shadow_version == 3
    assert listed[RULE].active_findings == tally.count(1)
    assert listed[RULE].shadow_findings == EVENTS
    changes = admin.ListRuleChanges(rules_pb2.ListRuleChangesRequest(rule_id=RULE)).changes
    assert [(c.version, c.mode, c.reason, c.by) for c in changes][:3] == [
        (1, rules_pb2.RULE_MODE_ACTIVE, "rollback", "ops"),
        (2, rules_pb2.RULE_MODE_ACTIVE, "lower threshold", "ops"),
        (3, rules_pb2.RULE_MODE_SHADOW, "", "ops"),
    ]


def judged_versions(url: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Per judged event id: the versions of its findings; and of its shadow finding."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            versions: dict[str, list[int]] = {}
            for row in conn.execute(
                select(schema.findings.c.event_ids, schema.findings.c.rule_version)
            ):
                versions.setdefault(json.loads(row.event_ids)[0], []).append(row.rule_version)
            shadow = {
                f.event_ids[0]: f.rule_version
                for f in shadow_store.list_shadow_findings(conn, limit=10 * EVENTS)
            }
            return versions, shadow
    finally:
        engine.dispose()


def by_partition(url: str, versions: dict[str, list[int]]) -> dict[int, list[int]]:
    """The versions that judged each partition's events, in offset order."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(schema.inbox.c.event_id, schema.inbox.c.partition, schema.inbox.c.offset)
                .where(schema.inbox.c.topic == SALES_EVENTS)
                .order_by(schema.inbox.c.partition, schema.inbox.c.offset)
            ).all()
    finally:
        engine.dispose()
    ordered: dict[int, list[int]] = {}
    for row in rows:
        ordered.setdefault(row.partition, []).extend(versions[row.event_id])
    return ordered


def refused(call, request) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=10)
    return caught.value  # type: ignore[return-value]


def test_bad_catalogue_requests_are_refused_precisely_and_change_nothing(
    service: tuple[Settings, Runtime],
) -> None:
    settings, runtime = service
    admin = catalogue_as(settings, runtime, ADMIN)
    officer = catalogue_as(settings, runtime, OFFICER)
    before = admin.ListRuleChanges(rules_pb2.ListRuleChangesRequest()).changes
    listed_before = admin.ListRules(rules_pb2.ListRulesRequest())

    broken = file_of(2, 10_000)
    broken.text = broken.text.replace("severity: major", "severity: grave")
    error = refused(admin.PublishRules, rules_pb2.PublishRulesRequest(files=[broken]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (
        "gift-v2.yaml:9: severity 'grave' is not one of minor, major, critical" in error.details()
    )

    error = refused(admin.PublishRules, rules_pb2.PublishRulesRequest())
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "files" in error.details()

    changed = file_of(1, 12_345)
    error = refused(admin.PublishRules, rules_pb2.PublishRulesRequest(files=[changed]))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "version 1 is already published with other content" in error.details()

    error = refused(admin.ActivateRule, rules_pb2.ActivateRuleRequest(rule_id=RULE, version=7))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert f"{RULE}@v7" in error.details()
    error = refused(admin.ActivateRule, rules_pb2.ActivateRuleRequest(rule_id="nope", version=1))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = refused(admin.ActivateRule, rules_pb2.ActivateRuleRequest(version=1))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "rule_id" in error.details()
    error = refused(admin.ActivateRule, rules_pb2.ActivateRuleRequest(rule_id=RULE, version=0))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "version" in error.details()
    error = refused(
        admin.ActivateRule, rules_pb2.ActivateRuleRequest(rule_id=RULE, version=1, mode=9)
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "mode" in error.details()

    admin.PublishRules(rules_pb2.PublishRulesRequest(files=[file_of(2, 10_000)]))
    error = refused(officer.ActivateRule, rules_pb2.ActivateRuleRequest(rule_id=RULE, version=2))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert officer.ListRules(rules_pb2.ListRulesRequest()).rules  # officers may read it

    assert admin.ListRuleChanges(rules_pb2.ListRuleChangesRequest()).changes == before
    after = admin.ListRules(rules_pb2.ListRulesRequest())
    assert after.generation == listed_before.generation
    assert [(r.rule_id, r.active_version) for r in after.rules] == [(RULE, 1)]
    assert list(after.rules[0].versions) == [1, 2]  # the valid publication alone was stored
