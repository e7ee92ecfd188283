"""Health that tells the truth: checks on a timer set the statuses of the gRPC health service.

Readiness (the service's own names) turns NOT_SERVING while any check fails. Liveness (the
server as a whole, "") turns NOT_SERVING only while a check a restart may cure fails alone: a
consumer that stopped polling while its database answers. One that stopped because the
database is away is not restarted (a new process would wait for the same database)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from grpc_health.v1 import health, health_pb2
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass(frozen=True)
class Check:
    """A named check: `failing()` says why it fails, or None; `restart`: a failure alone is
    one a restart may cure (liveness)."""

    name: str
    failing: Callable[[], str | None]
    restart: bool = False


def database_answers(engine: Engine) -> Check:
    def failing() -> str | None:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:  # whatever it is, the database did not answer
            return f"the database does not answer: {type(exc).__name__}"
        return None

    return Check("database", failing)


def consumer_polling(polled_at: Callable[[], float], stall_s: float) -> Check:
    """Fails when the consumer's last poll (`time.monotonic()` seconds) is `stall_s` old."""

    def failing() -> str | None:
        idle = time.monotonic() - polled_at()
        if idle > stall_s:
            return f"the Kafka consumer has not polled for {idle:.0f} s (limit {stall_s:g} s)"
        return None

    return Check("consumer", failing, restart=True)


class HealthWatch:
    """Runs `checks` every `interval_s` and sets the health statuses of `services` (and of
    the server, "") from them; transitions are logged with the reasons."""

    def __init__(
        self,
        servicer: health.HealthServicer,
        services: Iterable[str],
        checks: Iterable[Check],
        interval_s: float,
    ) -> None:
        self.servicer = servicer
        self.services = list(services)
        self.checks = list(checks)
        self.interval_s = interval_s
        self.failures: dict[str, str] = {}

    def check_once(self, stop: threading.Event | None = None) -> dict[str, str]:
        """Run every check, set the statuses (unless `stop` was set meanwhile: the service
        is stopping and has set them); the failing checks' reasons by name."""
        failures = {c.name: reason for c in self.checks if (reason := c.failing()) is not None}
        if stop is not None and stop.is_set():
            return failures
        restartable = {c.name for c in self.checks if c.restart}
        alive = not failures or not set(failures) <= restartable
        for name in self.services:
            self.servicer.set(name, NOT_SERVING if failures else SERVING)
        self.servicer.set("", SERVING if alive else NOT_SERVING)
        if failures.keys() != self.failures.keys():
            if failures:
                log.warning("NOT_SERVING: %s", "; ".join(failures.values()))
            else:
                log.info("SERVING again: every health check passes")
        self.failures = failures
        return failures

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.check_once(stop)
            except Exception:  # a check that breaks must not end the watch
                log.exception("health checks failed to run")
            stop.wait(self.interval_s)
