"""The observability settings: the log format, the metrics ports and the health checks are
checked where configuration enters, each bad value refused by its variable's name."""

from __future__ import annotations

import pytest

from warden.config import Settings


def test_an_unknown_log_format_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="WARDEN_LOG_FORMAT='xml' must be one of text, json"):
        Settings.from_env(env={"WARDEN_LOG_FORMAT": "xml"})


def test_text_is_the_default_log_format() -> None:
    assert Settings.from_env(env={}).log_format == "text"


def test_a_negative_stall_period_or_a_zero_health_interval_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="WARDEN_CONSUMER_STALL_S=-1.0 must not be negative"):
        Settings.from_env(env={"WARDEN_CONSUMER_STALL_S": "-1"})
    with pytest.raises(ValueError, match="WARDEN_HEALTH_INTERVAL_S=0.0 must be positive"):
        Settings.from_env(env={"WARDEN_HEALTH_INTERVAL_S": "0"})


def test_a_metrics_port_beyond_65535_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="WARDEN_AFTERSALES_METRICS_PORT=70000 is not a port"):
        Settings.from_env(env={"WARDEN_AFTERSALES_METRICS_PORT": "70000"})
    assert (
        Settings.from_env(env={"WARDEN_AFTERSALES_METRICS_PORT": "-1"}).metrics_port("aftersales")
        == -1
    )
