"""Throughput with one and with more compliance instances: each a `warden serve compliance`
process of its own (Python judges on one core per process), all in one consumer group on one
embedded broker and one PostgreSQL database, as replicas run in production (SQLite serves one
instance: its single write lock would have the instances take turns).

The rate is the events divided by the time from the first production to the moment the
inbox holds them all (polled every 20 ms). The instances log at INFO, as a deployment would,
and the run starts once their logs show the group's partitions split between all of them.
Every run has a fresh broker and a fresh database."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import service
from bench.e2e import WARM_UP, run_producer
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.db import make_engine
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.topics import INPUT_TOPICS

_ASSIGNED = re.compile(r"partitions assigned: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class ScaleResult:
    instances: int
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def _wait_judged(db_url: str, count: int, services: list[subprocess.Popen[bytes]]) -> float:
    """Poll the inbox until it holds `count` events; the moment it did."""
    seen, progress = -1, time.monotonic()
    while (judged := service.judged_inputs(db_url)) < count:
        if judged != seen:
            seen, progress = judged, time.monotonic()
        if any(s.poll() is not None for s in services) or time.monotonic() - progress > 120:
            raise SystemExit(f"the compliance instances stopped judging at {judged}/{count}")
        time.sleep(0.02)
    return time.time()


def _split(logs: list[Path], partitions: int, topics: int) -> bool:
    """True when each instance's last logged assignment is non-empty and together they hold
    every partition of the input topics exactly once."""
    owned: list[str] = []
    for log in logs:
        found = _ASSIGNED.findall(log.read_text(errors="replace"))
        if not found or not found[-1].strip():
            return False
        for part in found[-1].split("; "):
            topic, _, numbers = part.partition("[")
            owned += [f"{topic}:{n}" for n in numbers.rstrip("]").split(",") if n]
    return len(owned) == len(set(owned)) == partitions * topics


def measure(
    database: Callable[[], AbstractContextManager[str | None]],
    rules_dir: Path,
    events: int,
    instances: int,
) -> ScaleResult | None:
    """One run with `instances` processes; None when `database` gives none (unreachable)."""
    with ExitStack() as stack:
        db_url = stack.enter_context(database())
        if db_url is None:
            return None
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        broker = stack.enter_context(EmbeddedBroker())
        make_engine(db_url, schema.metadata).dispose()  # tables made once, not raced for
        group = f"warden-bench-{uuid.uuid4().hex[:8]}"
        services, logs = [], []
        for n in range(instances):
            logs.append(data_dir / f"instance-{n}.log")
            log = stack.enter_context(open(logs[-1], "wb"))
            instance = service.start(
                broker.bootstrap, db_url, rules_dir, data_dir / f"instance-{n}", group, log, "INFO"
            )
            stack.callback(service.stop, instance)
            services.append(instance)
        settings = Settings()
        deadline = time.monotonic() + 120
        while not _split(logs, settings.kafka_partitions, len(INPUT_TOPICS)):
            if time.monotonic() > deadline:
                raise SystemExit(f"the {instances} instance(s) never split the partitions")
            time.sleep(0.2)
        run_producer(broker.bootstrap, rules_dir, WARM_UP, 0, cycle=0)
        _wait_judged(db_url, WARM_UP, services)
        produced = run_producer(broker.bootstrap, rules_dir, events, 0, cycle=1)
        finished = _wait_judged(db_url, WARM_UP + events, services)
        return ScaleResult(instances, events, finished - min(produced.values()))


def compare(
    database: Callable[[], AbstractContextManager[str | None]],
    rules_dir: Path,
    events: int,
    counts: tuple[int, ...] = (1, 2),
) -> Iterator[ScaleResult]:
    for instances in counts:
        result = measure(database, rules_dir, events, instances)
        if result is None:
            return
        yield result
