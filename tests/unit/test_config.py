"""Settings: defaults, then WARDEN_* environment variables, then explicit arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.config import Settings


def test_defaults_are_embedded_sqlite_files_under_the_data_dir() -> None:
    settings = Settings.from_env(env={}, data_dir=Path("/srv/warden"))
    assert settings.kafka_bootstrap == ""
    assert settings.db_url("compliance") == "sqlite:////srv/warden/compliance.db"


def test_environment_overrides_defaults_and_arguments_override_the_environment() -> None:
    env = {
        "WARDEN_COMPLIANCE_DB_URL": "postgresql://db/warden",
        "WARDEN_SALES_PORT": "6000",
        "WARDEN_KAFKA_BOOTSTRAP": "kafka:9092",
    }
    settings = Settings.from_env(env=env, sales_port=7000)
    assert settings.db_url("compliance") == "postgresql://db/warden"
    assert settings.kafka_bootstrap == "kafka:9092"
    assert settings.port("sales") == 7000


def test_a_malformed_number_in_the_environment_names_the_variable() -> None:
    with pytest.raises(ValueError, match="WARDEN_SALES_PORT='fifty' is not a valid int"):
        Settings.from_env(env={"WARDEN_SALES_PORT": "fifty"})


@pytest.mark.parametrize(
    "name",
    ["WARDEN_QUIET_PARTITION_S", "WARDEN_EVENT_LATENESS_S", "WARDEN_AUDIT_ANCHOR_INTERVAL_S"],
)
def test_a_negative_period_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name}=-1.0 must not be negative"):
        Settings.from_env(env={name: "-1"})
    assert Settings.from_env(env={name: "0"}) is not None


def test_allowed_sources_are_read_per_input_topic_from_the_environment() -> None:
    env = {"WARDEN_ALLOWED_SOURCES": "sales.events=/erp/sales, aftersales.events=/crm/desk,"}
    settings = Settings.from_env(env=env)
    assert settings.extra_sources() == {
        "sales.events": frozenset({"/erp/sales"}),
        "aftersales.events": frozenset({"/crm/desk"}),
    }
    assert Settings().extra_sources() == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("/erp/sales", "'/erp/sales' is not topic=source"),
        ("sales.events=", "'sales.events=' is not topic=source"),
        ("hr.penalty-decisions=/erp", "names topic 'hr.penalty-decisions', not one of the input"),
        ("sales.events=/erp sales", "source '/erp sales' contains a space"),
    ],
)
def test_a_malformed_allowed_source_is_refused_naming_the_entry(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        Settings.from_env(env={"WARDEN_ALLOWED_SOURCES": text})
    assert reason in str(refused.value)
    assert str(refused.value).startswith("WARDEN_ALLOWED_SOURCES: ")


@pytest.mark.parametrize("name", ["WARDEN_EVENT_MAX_BYTES", "WARDEN_EVENT_MAX_DEPTH"])
def test_an_intake_limit_of_zero_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name}=0 must be above zero"):
        Settings.from_env(env={name: "0"})
