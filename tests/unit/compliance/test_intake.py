"""What the compliance service accepts from its input topics, and the reason for what not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from warden.aftersales.usecases.events import SOURCE as AFTERSALES_SOURCE
from warden.compliance.intake.decoding import OWN_SOURCES, Intake, UnlistedSource
from warden.config import Settings
from warden.contract import UnknownEventType
from warden.platform.cloudevents import CloudEvent, MalformedEvent
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS
from warden.sales.usecases.events import SOURCE as SALES_SOURCE


def target_set(source: str = SALES_SOURCE, **data: Any) -> CloudEvent:
    fields: dict[str, Any] = {
        "year": 2026,
        "team": "north",
        "team_target_minor": 1000,
        "currency": "EUR",
        "quotas": [],
        "difference_minor": 0,
        "difference_accepted": False,
        "set_by": "boss",
        "after_year_start": False,
        "reason": "",
    }
    fields.update(data)
    return CloudEvent(
        type="warden.sales.target.set",
        source=source,
        subject="alice",
        data=fields,
        id="e1",
        time=datetime(2026, 11, 2, tzinfo=UTC),
    )


def test_the_services_own_sources_are_allowed_on_their_topics_by_default() -> None:
    assert dict(OWN_SOURCES) == {
        SALES_EVENTS: frozenset({SALES_SOURCE}),
        AFTERSALES_EVENTS: frozenset({AFTERSALES_SOURCE}),
    }
    assert Intake().read(SALES_EVENTS, target_set().to_bytes()).id == "e1"


def test_an_event_from_a_source_not_allowed_on_its_topic_is_refused_with_the_list() -> None:
    with pytest.raises(UnlistedSource) as refused:
        Intake().read(SALES_EVENTS, target_set("/erp/injected").to_bytes())
    assert str(refused.value) == (
        "source '/erp/injected' is not allowed on sales.events (allowed: /warden/sales; "
        "WARDEN_ALLOWED_SOURCES adds sources)"
    )


def test_a_service_source_is_refused_on_the_other_services_topic() -> None:
    with pytest.raises(UnlistedSource, match="source '/warden/sales' is not allowed on after"):
        Intake().read(AFTERSALES_EVENTS, target_set().to_bytes())


def test_a_configured_enterprise_source_is_allowed_on_its_topic_only() -> None:
    intake = Intake.from_settings(Settings(allowed_sources="sales.events=/erp/sales"))
    assert intake.read(SALES_EVENTS, target_set("/erp/sales").to_bytes()).source == "/erp/sales"
    assert intake.read(SALES_EVENTS, target_set().to_bytes()).source == SALES_SOURCE
    with pytest.raises(UnlistedSource):
        intake.read(AFTERSALES_EVENTS, target_set("/erp/sales").to_bytes())


def test_the_configured_limits_apply() -> None:
    raw = target_set().to_bytes()
    with pytest.raises(MalformedEvent, match=f"too large: {len(raw)} bytes, over the limit of 100"):
        Intake.from_settings(Settings(event_max_bytes=100)).read(SALES_EVENTS, raw)
    with pytest.raises(MalformedEvent, match="nested too deep: 3 levels, over the limit of 1"):
        Intake.from_settings(Settings(event_max_depth=1)).read(SALES_EVENTS, raw)


def test_an_unknown_type_from_an_allowed_source_is_refused_by_the_contract() -> None:
    event = CloudEvent(type="com.example.unknown", source=SALES_SOURCE, subject="a", data={})
    with pytest.raises(UnknownEventType, match="unknown event type 'com.example.unknown'"):
        Intake().read(SALES_EVENTS, event.to_bytes())


def test_a_data_field_of_the_wrong_type_is_refused_naming_it() -> None:
    with pytest.raises(MalformedEvent) as refused:
        Intake().read(SALES_EVENTS, target_set(team_target_minor="1000").to_bytes())
    assert str(refused.value) == (
        "warden.sales.target.set: data.team_target_minor must be int, got '1000'"
    )
