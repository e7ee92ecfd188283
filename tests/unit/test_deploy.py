"""deploy/ checked statically (no Docker engine or cluster here): every file parses, and the
services, ports, topics and WARDEN_* variables it names match what the code reads."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from warden.config import SERVICES, Settings
from warden.platform.topics import ALL_TOPICS
from warden.v1 import aftersales_pb2, compliance_pb2, sales_pb2

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S_FILES = sorted((DEPLOY / "k8s").glob("*.yaml"))
WARDEN_VAR = re.compile(r"\bWARDEN_[A-Z0-9_]+\b")
SETTINGS_VARS = {f"WARDEN_{f.name.upper()}" for f in fields(Settings)}
DEFAULTS = Settings()
GRPC_SERVICE = {
    "sales": sales_pb2.DESCRIPTOR.services_by_name["SalesService"].full_name,
    "aftersales": aftersales_pb2.DESCRIPTOR.services_by_name["AfterSalesService"].full_name,
    "compliance": compliance_pb2.DESCRIPTOR.services_by_name["ComplianceService"].full_name,
}


def is_credential(var: str) -> bool:
    return var.endswith("_DB_URL") or var.endswith("_SECRET")


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def warden_services() -> dict[str, dict[str, Any]]:
    """Compose services running one Warden service (the image's own entrypoint), by name."""
    return {
        name: spec
        for name, spec in compose()["services"].items()
        if spec.get("image", "").startswith("warden:") and "entrypoint" not in spec
    }


def manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in K8S_FILES:
        docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in manifests() if d["kind"] == kind]


def deployment(service: str) -> dict[str, Any]:
    (found,) = [d for d in of_kind("Deployment") if d["metadata"]["name"] == service]
    return found


def container(service: str) -> dict[str, Any]:
    (only,) = deployment(service)["spec"]["template"]["spec"]["containers"]
    return only


def configured() -> dict[str, str]:
    (config,) = of_kind("ConfigMap")
    return dict(config["data"])


def secret_keys() -> set[str]:
    (secret,) = of_kind("Secret")
    return set(secret.get("stringData", {})) | set(secret.get("data", {}))


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


@pytest.mark.parametrize("path", [DEPLOY / "compose.yaml", *K8S_FILES], ids=lambda p: p.name)
def test_every_deploy_file_parses_as_yaml(path: Path) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    assert docs and all(isinstance(d, dict) for d in docs)


def test_every_manifest_names_its_kind_and_api_version_and_lives_in_the_warden_namespace() -> None:
    (namespace,) = of_kind("Namespace")
    for doc in manifests():
        assert doc.get("apiVersion") and doc.get("kind"), doc
        if doc["kind"] not in ("Namespace", "Kustomization"):
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"], doc["kind"]


def test_the_kustomization_lists_every_manifest() -> None:
    (kustomization,) = of_kind("Kustomization")
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S_FILES if p.name != "kustomization.yaml"}


def test_the_image_is_python_3_11_slim_non_root_and_serves_one_service() -> None:
    text = dockerfile()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    entrypoint = json.loads(re.findall(r"^ENTRYPOINT (.+)$", text, re.M)[-1])
    assert entrypoint == ["warden", "serve"]
    assert json.loads(re.findall(r"^CMD (.+)$", text, re.M)[-1])[0] in SERVICES


def test_everything_the_image_copies_from_the_repository_exists() -> None:
    for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile(), re.M):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), source


def test_the_image_exposes_every_port_the_services_listen_on() -> None:
    exposed = {
        int(p) for line in re.findall(r"^EXPOSE (.+)$", dockerfile(), re.M) for p in line.split()
    }
    metrics = {DEFAULTS.metrics_port(s) for s in SERVICES}
    assert exposed == {DEFAULTS.port(s) for s in SERVICES} | {DEFAULTS.console_port} | metrics


@pytest.mark.parametrize(
    "path", [DEPLOY / "Dockerfile", DEPLOY / "compose.yaml", *K8S_FILES], ids=lambda p: p.name
)
def test_every_warden_variable_a_deploy_file_names_is_a_setting(path: Path) -> None:
    unknown = set(WARDEN_VAR.findall(path.read_text())) - SETTINGS_VARS
    assert not unknown, f"{path.name} names variables config.Settings does not read: {unknown}"


def test_compose_gives_every_warden_service_every_setting() -> None:
    for name, spec in warden_services().items():
        missing = SETTINGS_VARS - set(spec["environment"])
        assert not missing, f"compose service {name} lacks {sorted(missing)}"


def test_kubernetes_configures_every_setting_and_keeps_credentials_in_the_secret() -> None:
    config, secret = set(configured()), secret_keys()
    missing = SETTINGS_VARS - config - secret
    assert not missing, f"neither ConfigMap nor Secret sets {sorted(missing)}"
    assert not config & secret
    assert {v for v in SETTINGS_VARS if is_credential(v)} == secret


def test_every_deployment_reads_the_config_map_and_the_secret_that_exist() -> None:
    config_name = of_kind("ConfigMap")[0]["metadata"]["name"]
    secret_name = of_kind("Secret")[0]["metadata"]["name"]
    for service in SERVICES:
        sources = container(service)["envFrom"]
        assert {"configMapRef": {"name": config_name}} in sources
        assert {"secretRef": {"name": secret_name}} in sources


def test_each_service_runs_in_compose_and_kubernetes_with_its_own_verb() -> None:
    commands = [spec["command"] for spec in warden_services().values()]
    for service in SERVICES:
        assert [service] in commands, service
        assert container(service)["args"] == [service]
    images = {spec["image"] for spec in warden_services().values()}
    assert images == {container(service)["image"] for service in SERVICES}


def test_ports_in_the_deploy_files_are_the_settings_defaults() -> None:
    for service in SERVICES:
        var = f"WARDEN_{service.upper()}_PORT"
        assert int(configured()[var]) == DEFAULTS.port(service)
        for spec in warden_services().values():
            assert int(spec["environment"][var]) == DEFAULTS.port(service)
        assert container(service)["ports"][0]["containerPort"] == DEFAULTS.port(service)
    assert int(configured()["WARDEN_CONSOLE_PORT"]) == DEFAULTS.console_port


def test_compose_publishes_each_service_on_its_port() -> None:
    for name, spec in warden_services().items():
        (service,) = spec["command"]
        inside = {int(p.split(":")[-1]) for p in spec["ports"]}
        assert DEFAULTS.port(service) in inside, name


def test_probes_are_grpc_health_checks_on_the_service_port() -> None:
    for service in SERVICES:
        port = DEFAULTS.port(service)
        ready = container(service)["readinessProbe"]["grpc"]
        alive = container(service)["livenessProbe"]["grpc"]
        assert ready == {"port": port, "service": GRPC_SERVICE[service]}
        assert alive["port"] == port


def test_each_kubernetes_service_routes_to_a_named_container_port() -> None:
    for svc in of_kind("Service"):
        name = svc["metadata"]["name"]
        assert svc["spec"]["selector"] == deployment(name)["spec"]["selector"]["matchLabels"]
        named = {p["name"]: p["containerPort"] for p in container(name)["ports"]}
        for port in svc["spec"]["ports"]:
            assert named[port["targetPort"]] == port["port"], (name, port)


def test_compliance_replicas_fit_within_the_partition_count() -> None:
    partitions = int(configured()["WARDEN_KAFKA_PARTITIONS"])
    assert 2 <= deployment("compliance")["spec"]["replicas"] <= partitions
    replicas = [s for s in warden_services().values() if s["command"] == ["compliance"]]
    assert len(replicas) == 2
    assert all(int(s["environment"]["WARDEN_KAFKA_PARTITIONS"]) >= 2 for s in replicas)
    consumer_groups = {s["environment"]["WARDEN_CONSUMER_GROUP"] for s in replicas}
    assert len(consumer_groups) == 1


def test_compose_runs_kafka_in_kraft_mode_without_zookeeper() -> None:
    services = compose()["services"]
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not any("zookeeper" in name for name in services)
    bootstrap = {s["environment"]["WARDEN_KAFKA_BOOTSTRAP"] for s in warden_services().values()}
    assert bootstrap == {"kafka:9092"}
    assert "PLAINTEXT://kafka:9092" in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"]


def test_every_topic_is_created_with_the_configured_partitions() -> None:
    topics_service = " ".join(compose()["services"]["topics"]["command"])
    (job,) = of_kind("Job")
    job_script = " ".join(job["spec"]["template"]["spec"]["containers"][0]["args"])
    for topic in ALL_TOPICS:
        assert re.search(rf"\b{re.escape(topic)}\b", topics_service), topic
        assert re.search(rf"\b{re.escape(topic)}\b", job_script), topic
    compose_partitions = {
        s["environment"]["WARDEN_KAFKA_PARTITIONS"] for s in warden_services().values()
    }
    assert {f"--partitions {p}" for p in compose_partitions} <= {
        m.group(0) for m in re.finditer(r"--partitions \d+", topics_service)
    }
    assert '--partitions "$WARDEN_KAFKA_PARTITIONS"' in job_script


def test_postgres_creates_every_database_the_services_connect_to() -> None:
    created = set(re.findall(r"CREATE DATABASE (\w+)", (DEPLOY / "postgres/init.sql").read_text()))
    for spec in warden_services().values():
        for service in SERVICES:
            url = spec["environment"][f"WARDEN_{service.upper()}_DB_URL"]
            assert url.startswith("postgresql+psycopg://")
            assert url.rsplit("/", 1)[1] in created


def test_the_image_installs_exactly_the_lock_as_make_does() -> None:
    text = dockerfile()
    assert "COPY pyproject.toml uv.lock" in text
    assert re.search(r"^RUN uv sync --frozen\b", text, re.M)
    assert "--require-hashes -r /tmp/uv-requirements.txt" in text
    assert "pip install" not in text.replace("pip install --no-cache-dir --require-hashes", "")


def test_the_databases_are_migrated_before_any_service_starts() -> None:
    migrate = compose()["services"]["migrate"]
    assert migrate["entrypoint"] == ["warden", "db", "upgrade"]
    assert migrate["environment"] == next(iter(warden_services().values()))["environment"]
    done = {"condition": "service_completed_successfully"}
    for name, spec in warden_services().items():
        assert spec["depends_on"]["migrate"] == done, name
    for service in SERVICES:
        pod = deployment(service)["spec"]["template"]["spec"]
        (init,) = pod["initContainers"]
        assert init["command"] == ["warden", "db", "upgrade", service]
        assert init["image"] == container(service)["image"]
        assert init["envFrom"] == container(service)["envFrom"]
