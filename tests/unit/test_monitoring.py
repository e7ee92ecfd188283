"""deploy/'s monitoring checked statically: the scrape configuration reaches every service's
metrics port, and every series an alert or a dashboard panel reads is one the code exposes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine

from tests.unit.test_deploy import DEFAULTS, DEPLOY, container, deployment, of_kind
from warden.compliance.operations.metrics import JudgingMetrics
from warden.config import SERVICES
from warden.workers import service_metrics

MONITORING = DEPLOY / "k8s" / "monitoring"
ROOT = DEPLOY.parent
SERIES = re.compile(r"\b(?:warden|grpc_server)_[a-z0-9_]+\b")
REQUIRED_ALERTS = {
    "WardenConsumerStalled",
    "WardenConsumerLagHigh",
    "WardenDeadLettersRising",
    "WardenOutboxBacklog",
    "WardenAuditAnchorStale",
    "WardenEventsArriveButNoneJudged",
}


def exposed() -> set[str]:
    """Every series name the three services' registries can expose."""
    engine = create_engine("sqlite://")  # never connected: describing needs no query
    names: set[str] = set()
    for service in SERVICES:
        metrics = service_metrics(service, engine, DEFAULTS)
        if service == "compliance":
            JudgingMetrics(metrics)
        names |= metrics.names()
    return names


def monitoring_docs() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(MONITORING.glob("*.yaml")):
        docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def one(kind: str) -> dict[str, Any]:
    (found,) = [d for d in monitoring_docs() if d["kind"] == kind]
    return found


def alerts() -> list[dict[str, Any]]:
    return [rule for group in one("PrometheusRule")["spec"]["groups"] for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    return json.loads((MONITORING / "warden-dashboard.json").read_text())


def panel_exprs() -> list[str]:
    return [t["expr"] for panel in dashboard()["panels"] for t in panel["targets"]]


def test_the_monitoring_kustomization_lists_files_that_exist_in_the_warden_namespace() -> None:
    kustomization = one("Kustomization")
    assert kustomization["namespace"] == "warden"
    listed = [*kustomization["resources"]]
    listed += [f for g in kustomization["configMapGenerator"] for f in g["files"]]
    assert {p.name for p in MONITORING.iterdir()} == {"kustomization.yaml", *listed}
    for doc in monitoring_docs():
        if doc["kind"] != "Kustomization":
            assert doc["metadata"]["namespace"] == "warden", doc["kind"]


def test_the_service_monitor_scrapes_the_metrics_port_of_every_service() -> None:
    monitor = one("ServiceMonitor")
    wanted = monitor["spec"]["selector"]["matchLabels"]
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    services = {s["metadata"]["name"]: s for s in of_kind("Service")}
    assert set(services) == set(SERVICES)
    for name, svc in services.items():
        assert wanted.items() <= svc["metadata"]["labels"].items(), name
        ports = {p["name"]: p["port"] for p in svc["spec"]["ports"]}
        assert ports[endpoint["port"]] == DEFAULTS.metrics_port(name)


def test_every_pod_is_annotated_for_scraping_on_its_metrics_port() -> None:
    for service in SERVICES:
        template = deployment(service)["spec"]["template"]["metadata"]
        annotations = template["annotations"]
        port = DEFAULTS.metrics_port(service)
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/path"] == "/metrics"
        assert int(annotations["prometheus.io/port"]) == port
        named = {p["name"]: p["containerPort"] for p in container(service)["ports"]}
        assert named["metrics"] == port


def test_metrics_ports_differ_from_each_other_and_from_every_other_port() -> None:
    ports = [DEFAULTS.metrics_port(s) for s in SERVICES]
    others = [DEFAULTS.port(s) for s in SERVICES] + [DEFAULTS.console_port]
    assert len(set(ports + others)) == len(ports + others)


def test_json_logs_are_the_default_of_the_deploy_files() -> None:
    (config,) = of_kind("ConfigMap")
    assert config["data"]["WARDEN_LOG_FORMAT"] == "json"
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert compose["x-warden-env"]["WARDEN_LOG_FORMAT"] == "json"


def test_the_alert_rules_cover_stalls_lag_dead_letters_outboxes_anchors_and_idle_judging() -> None:
    names = {rule["alert"] for rule in alerts()}
    assert names >= REQUIRED_ALERTS


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_every_series_an_alert_or_a_panel_reads_is_exposed_by_the_code(source: str) -> None:
    exprs = [r["expr"] for r in alerts()] if source == "alerts" else panel_exprs()
    assert exprs
    known = exposed()
    for expr in exprs:
        used = set(SERIES.findall(expr))
        assert used, f"{expr!r} reads no Warden series"
        assert used <= known, f"{expr!r} reads {sorted(used - known)}, which no service exposes"


def test_every_alert_links_a_section_of_the_operations_guide() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", guide, re.M)
    }
    for rule in alerts():
        runbook = rule["annotations"]["runbook"]
        path, _, anchor = runbook.partition("#")
        assert path == "docs/operations.md" and anchor in anchors, rule["alert"]
        assert anchor == rule["alert"].lower()


def test_the_registry_exposes_the_series_the_issue_names() -> None:
    names = exposed()
    for series in (
        "grpc_server_handled_total",
        "grpc_server_handling_seconds_bucket",
        "warden_events_consumed_total",
        "warden_events_judged_total",
        "warden_events_dead_lettered_total",
        "warden_held_events_waiting",
        "warden_events_held_total",
        "warden_cases_opened_total",
        "warden_event_to_case_seconds_bucket",
        "warden_consumer_lag_events",
        "warden_consumer_last_poll_age_seconds",
        "warden_outbox_backlog_events",
        "warden_outbox_oldest_unpublished_age_seconds",
        "warden_audit_anchor_age_seconds",
        "warden_open_cases",
    ):
        assert series in names, series
