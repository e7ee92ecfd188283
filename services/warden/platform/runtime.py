"""A running service: its gRPC server plus background workers (outbox relay, consumer)."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2

log = logging.getLogger(__name__)

Worker = Callable[[threading.Event], None]


@dataclass
class Runtime:
    name: str
    server: grpc.Server
    port: int
    health: health.HealthServicer
    workers: list[Worker] = field(default_factory=list)
    closers: list[Callable[[], None]] = field(default_factory=list)
    # Other endpoints the service serves, by name (e.g. "console" -> its URL).
    links: dict[str, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Runtime:
        for worker in self.workers:
            thread = threading.Thread(
                target=self._guard, args=(worker,), name=f"{self.name}-worker", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        self.server.start()
        log.info("%s service listening on port %s", self.name, self.port)
        return self

    def _guard(self, worker: Worker) -> None:
        try:
            worker(self._stop)
        except Exception:
            log.exception(
                "%s worker stopped on an error; marking the service NOT_SERVING", self.name
            )
            self.health.enter_graceful_shutdown()

    def stop(self, grace_s: float = 2.0) -> None:
        self.health.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        self._stop.set()
        self.server.stop(grace_s).wait()
        for thread in self._threads:
            thread.join(timeout=15)
        for close in self.closers:
            close()
        log.info("%s service stopped", self.name)

    def wait(self) -> None:
        self.server.wait_for_termination()


def freeze_startup_objects() -> None:
    """Called once by a service process (`warden serve`) after start-up, never by a library
    user or a test process. Moves what start-up built (modules, compiled rules, SQL and
    protobuf machinery) out of the cyclic garbage collector's sight (gc.freeze). A full
    collection walks every tracked object: with them it paused every thread, the consumer
    loop included, for 40-50 ms a few times a minute under load (docs/performance.md). Frozen
    objects are still freed by reference counting; only garbage in reference cycles among
    them is kept for good (such as the rule set start-up compiled, once a hot activation
    replaces it)."""
    gc.collect()
    gc.freeze()
