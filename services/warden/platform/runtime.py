"""A running service: its gRPC server plus background workers (outbox relay, consumer)."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2

log = logging.getLogger(__name__)

Worker = Callable[[threading.Event], None]


class WorkerGaveUp(RuntimeError):
    """A worker's rounds kept failing for longer than its patience, for a reason that is not
    one record (the database gone, a bug): retrying in this process will not help."""


class Patience:
    """How long a worker retries rounds that fail for a reason that is not one record. The
    first failure of a run starts the clock, a round that works stops it; a failure once
    `limit_s` has passed raises `WorkerGaveUp`, which ends the worker, and with it the process
    (`Runtime`), so that its supervisor (Kubernetes, compose, `warden up`) starts it afresh."""

    def __init__(self, what: str, limit_s: float, clock: Callable[[], float] = time.monotonic):
        self.what = what
        self.limit_s = limit_s
        self.clock = clock
        self._since: float | None = None

    def failed(self, error: BaseException) -> None:
        """Note a failed round; raise `WorkerGaveUp` (from `error`) once they lasted `limit_s`."""
        now = self.clock()
        if self._since is None:
            self._since = now
        if now - self._since >= self.limit_s:
            raise WorkerGaveUp(
                f"{self.what} kept failing for {now - self._since:.0f} s "
                f"(worker_patience_s={self.limit_s:g}): {type(error).__name__}: {error}"
            ) from error

    def succeeded(self) -> None:
        self._since = None


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
    # Why a worker ended the service (None while none did); `ended` is set then, or by `end`.
    failure: str | None = None
    ended: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def stopping(self) -> threading.Event:
        """Set once the service stops: what a worker's blocking waits (a producer's
        acknowledgement) watch, so that stopping does not wait for them."""
        return self._stop

    def start(self) -> Runtime:
        for worker in self.workers:
            thread = threading.Thread(
                target=self._guard,
                args=(worker,),
                name=f"{self.name}-{worker_name(worker)}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        self.server.start()
        log.info("%s service listening on port %s", self.name, self.port)
        return self

    def _guard(self, worker: Worker) -> None:
        """Run a worker; one that raises, or returns before the service stops, ends the
        service: a service whose consumer or relay is gone must not go on answering calls
        (`warden serve` then stops it and exits 1, and its supervisor restarts it)."""
        try:
            worker(self._stop)
        except Exception as exc:
            log.exception("%s worker %s failed: the service stops", self.name, worker_name(worker))
            self._fail(f"worker {worker_name(worker)} failed: {type(exc).__name__}: {exc}")
            return
        if not self._stop.is_set():
            log.error("%s worker %s returned: the service stops", self.name, worker_name(worker))
            self._fail(f"worker {worker_name(worker)} returned while the service was running")

    def _fail(self, reason: str) -> None:
        self.failure = self.failure or reason
        self.health.enter_graceful_shutdown()
        self.ended.set()

    def end(self) -> None:
        """Ask the service to end (a signal): whoever waits on `ended` then calls `stop`."""
        self.ended.set()

    def stop(self, grace_s: float = 2.0, join_s: float = 5.0) -> None:
        """Stop serving, then the workers: each is given what is left of `join_s` to return
        (their waits watch `stopping`); one still busy after it is left behind (daemon
        threads end with the process), then the closers run."""
        self.health.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        self._stop.set()
        self.ended.set()
        self.server.stop(grace_s).wait()
        deadline = time.monotonic() + join_s
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s: %s did not stop in %g s", self.name, thread.name, join_s)
        for close in self.closers:
            try:
                close()
            except Exception as exc:  # noqa: BLE001 - closers are any callables; the others must still run
                log.warning("%s: closing failed: %s: %s", self.name, type(exc).__name__, exc)
        log.info("%s service stopped", self.name)

    def wait(self) -> None:
        self.server.wait_for_termination()


def worker_name(worker: Worker) -> str:
    """A worker's name for logs and thread names: its function's (`OutboxRelay.run`)."""
    target = getattr(worker, "func", worker)  # a functools.partial names its function
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", type(target).__name__)
    return f"{type(owner).__name__}.{name}" if owner is not None else str(name)


def freeze_startup_objects() -> None:
    """Called once by a service process (`warden serve`) after start-up, never by a library
    user or a test process. Moves what start-up built (modules, compiled rules, SQL and
    protobuf machinery) out of the cyclic garbage collector's sight (gc.freeze). A full
    collection walks every tracked object: with them it would pause every thread, the consumer
    loop included, for a noticeable part of a latency budget. Frozen
    objects are still freed by reference counting; only garbage in reference cycles among
    them is kept for good (such as the rule set start-up compiled, once a hot activation
    replaces it)."""
    gc.collect()
    gc.freeze()
