"""The health watch: readiness follows every check, liveness only a failure a restart may cure
when it fails alone; the statuses come back when the checks pass again."""

from __future__ import annotations

import threading
import time

import pytest
from grpc_health.v1 import health, health_pb2

from warden.compliance.operations.metrics import JudgingMetrics
from warden.platform.health import (
    NOT_SERVING,
    SERVING,
    Check,
    HealthWatch,
    consumer_polling,
)
from warden.platform.metrics import ServiceMetrics

OWN = "warden.v1.ComplianceService"


class Switch:
    """A check's outcome the test sets: None passes, a string fails with that reason."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def __call__(self) -> str | None:
        return self.reason


def status(servicer: health.HealthServicer, name: str) -> int:
    reply = servicer.Check(health_pb2.HealthCheckRequest(service=name), None)
    return int(reply.status)


@pytest.fixture
def watched() -> tuple[HealthWatch, Switch, Switch]:
    database, consumer = Switch(), Switch()
    servicer = health.HealthServicer()
    watch = HealthWatch(
        servicer,
        [OWN],
        [Check("database", database), Check("consumer", consumer, restart=True)],
        interval_s=0.01,
    )
    return watch, database, consumer


def test_all_checks_passing_is_serving_for_readiness_and_liveness(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, _, _ = watched
    assert watch.check_once() == {}
    assert status(watch.servicer, OWN) == SERVING
    assert status(watch.servicer, "") == SERVING


def test_a_stalled_consumer_alone_fails_readiness_and_liveness(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, _, consumer = watched
    consumer.reason = "stalled"
    assert watch.check_once() == {"consumer": "stalled"}
    assert status(watch.servicer, OWN) == NOT_SERVING
    assert status(watch.servicer, "") == NOT_SERVING


def test_a_database_away_fails_readiness_only_even_with_the_consumer_stalled(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, database, consumer = watched
    database.reason = "away"
    watch.check_once()
    assert (status(watch.servicer, OWN), status(watch.servicer, "")) == (NOT_SERVING, SERVING)
    consumer.reason = "stalled"  # waiting for the database: a restart would not help
    watch.check_once()
    assert (status(watch.servicer, OWN), status(watch.servicer, "")) == (NOT_SERVING, SERVING)


def test_statuses_come_back_when_the_checks_pass_again(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, database, consumer = watched
    database.reason, consumer.reason = "away", "stalled"
    watch.check_once()
    database.reason = consumer.reason = None
    watch.check_once()
    assert (status(watch.servicer, OWN), status(watch.servicer, "")) == (SERVING, SERVING)


def test_a_stopping_service_keeps_the_statuses_it_set(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, _, _ = watched
    watch.servicer.set("", NOT_SERVING)  # Runtime.stop does this first
    stop = threading.Event()
    stop.set()
    watch.check_once(stop)
    assert status(watch.servicer, "") == NOT_SERVING


def test_a_check_that_raises_does_not_end_the_watch(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, _, _ = watched

    def broken() -> str | None:
        raise RuntimeError("boom")

    watch.checks.insert(0, Check("broken", broken))
    stop = threading.Event()
    thread = threading.Thread(target=watch.run, args=(stop,))
    thread.start()
    time.sleep(0.05)
    assert thread.is_alive()
    stop.set()
    thread.join(timeout=2)
    assert not thread.is_alive()


def test_the_consumer_check_fails_once_the_last_poll_is_older_than_the_limit() -> None:
    polled_at = [time.monotonic()]
    check = consumer_polling(lambda: polled_at[0], stall_s=60)
    assert check.failing() is None and check.restart
    polled_at[0] -= 61
    reason = check.failing()
    assert reason is not None and "has not polled for 61 s (limit 60 s)" in reason


def test_lag_gauges_of_partitions_no_longer_assigned_are_dropped() -> None:
    metrics = ServiceMetrics("compliance")
    judging = JudgingMetrics(metrics)
    judging.lags({("sales.events", 0): 5, ("sales.events", 1): 0})
    judging.lags({("sales.events", 1): 7})
    samples = {
        s.labels["partition"]: s.value
        for family in metrics.registry.collect()
        if family.name == "warden_consumer_lag_events"
        for s in family.samples
    }
    assert samples == {"1": 7}


def test_a_service_whose_worker_died_stays_not_serving_though_its_checks_pass(
    watched: tuple[HealthWatch, Switch, Switch],
) -> None:
    watch, _, _ = watched
    watch.check_once()
    watch.servicer.enter_graceful_shutdown()  # Runtime does this when a worker dies
    assert watch.check_once() == {}
    assert (status(watch.servicer, OWN), status(watch.servicer, "")) == (NOT_SERVING,) * 2
