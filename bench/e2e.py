"""End to end: events produced to the input topics (by a separate producer process), consumed
by a compliance instance, judged, findings and cases stored in its database.

The compliance instance runs in this process, built by `warden.bootstrap.build_compliance`
exactly as `warden serve compliance` builds it, with its judge wrapped to note the wall-clock
time at which each event's transaction (inbox, stored event, findings, cases) has committed.
A latency is that moment minus the time the producer process handed the event to Kafka."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.workload import ALLOWED_SOURCES
from warden.bootstrap import build_compliance
from warden.compliance.judging import state
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.db import make_engine
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.runtime import Runtime, freeze_startup_objects

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 20  # events judged before each phase is timed


@dataclass
class Timed:
    """The compliance judge, noting when each event's transaction committed (a batch's events
    all commit together, when its one transaction does)."""

    inner: Any
    done: dict[str, tuple[float, int]] = field(default_factory=dict)
    released: set[str] = field(default_factory=set)  # events whose case came at a release

    def handle(
        self, event: Any, topic: str, partition: int, offset: int, inputs: Any = None
    ) -> Any:
        result = self.inner.handle(event, topic, partition, offset, inputs)
        self.done.setdefault(event.id, (time.time(), len(result.cases)))
        return result

    def handle_batch(self, batch: Any, inputs: Any = None) -> Any:
        results = self.inner.handle_batch(batch, inputs)
        now = time.time()
        for (event, *_), result in zip(batch, results, strict=True):
            self.done.setdefault(event.id, (now, len(result.cases)))
        return results

    def release(self, inputs: Any) -> Any:
        """A held event's case (compliance/judging/holding.py) is stored when its release
        commits."""
        released = self.inner.release(inputs)
        now = time.time()
        for case in released.cases:
            event_id = case.findings[0].event_ids[0]
            self.done[event_id] = (now, len(released.cases))
            self.released.add(event_id)
        return released

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass(frozen=True)
class RateResult:
    events: int
    seconds: float
    findings: int
    cases: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


@dataclass(frozen=True)
class LatencyResult:
    offered_rate: float  # what the producer achieved
    events: int
    case_latencies_ms: list[float]
    all_latencies_ms: list[float]
    # Judged but still held for other partitions when the run ended: their cases, if any,
    # are not in case_latencies_ms (the run's last events move no partition past them).
    still_held: int = 0
    # Of case_latencies_ms, those of cases opened when a held event was released.
    released_latencies_ms: list[float] = field(default_factory=list)
    # And those of the other cases, opened when their event was judged.
    at_once_latencies_ms: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_producer(
    bootstrap: str, rules_dir: Path, count: int, rate: float, cycle: int
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".tsv") as out:
        subprocess.run(
            [
                sys.executable, "-m", "bench.produce", "--bootstrap", bootstrap,
                "--count", str(count), "--rate", str(rate), "--out", out.name,
                "--rules-dir", str(rules_dir), "--cycle", str(cycle),
            ],
            cwd=ROOT,
            check=True,
        )  # fmt: skip
        lines = Path(out.name).read_text().split()
    return {lines[i]: float(lines[i + 1]) for i in range(0, len(lines), 2)}


class Instance:
    """One compliance instance on `bootstrap` and `db_url`, its judge timed."""

    def __init__(self, bootstrap: str, db_url: str, rules_dir: Path, data_dir: Path) -> None:
        self.rules_dir = rules_dir
        self.settings = Settings(
            data_dir=data_dir,
            kafka_bootstrap=bootstrap,
            compliance_db_url=db_url,
            rules_dir=rules_dir,
            consumer_group=f"warden-bench-{uuid.uuid4().hex[:8]}",
            console_port=0,
            allowed_sources=ALLOWED_SOURCES,
        )
        runtime, _review, self.consumer = build_compliance(self.settings, port=0)
        self.timed = Timed(self.consumer.judging.judge)
        self.consumer.judging.judge = self.timed  # type: ignore[assignment]
        self.runtime: Runtime = runtime.start()
        freeze_startup_objects()  # as `warden serve` does

    def wait_for(self, ids: set[str], stall_s: float = 120.0) -> None:
        """Wait until every event of `ids` is judged; give up when none was for `stall_s`."""
        seen, progress = -1, time.monotonic()
        while not ids <= self.timed.done.keys():
            if len(self.timed.done) != seen:
                seen, progress = len(self.timed.done), time.monotonic()
            elif time.monotonic() - progress > stall_s:
                missing = len(ids - self.timed.done.keys())
                raise SystemExit(f"{missing} event(s) not judged; none judged for {stall_s:.0f}s")
            time.sleep(0.02)

    def warm_up(self, cycle: int) -> None:
        """Join the consumer group and judge a few events before anything is timed."""
        self.wait_for(
            set(run_producer(self.settings.kafka_bootstrap, self.rules_dir, WARM_UP, 0, cycle))
        )

    def stored(self) -> tuple[int, int, int]:
        """Input events in the inbox, findings and cases in the database."""
        engine = make_engine(self.settings.db_url("compliance"))
        try:
            with engine.connect() as conn:
                inbox = conn.execute(
                    select(func.count())
                    .select_from(schema.inbox)
                    .where(schema.inbox.c.topic != "warden.compliance.internal")
                ).scalar_one()
                findings = conn.execute(select(func.count()).select_from(schema.findings))
                cases = conn.execute(select(func.count()).select_from(schema.cases))
                return int(inbox), int(findings.scalar_one()), int(cases.scalar_one())
        finally:
            engine.dispose()

    def held_among(self, ids: set[str]) -> int:
        """How many of these events are held for other partitions now."""
        engine = make_engine(self.settings.db_url("compliance"))
        try:
            with engine.connect() as conn:
                held = conn.execute(select(state.held.c.event_id)).scalars()
                return len(ids.intersection(held))
        finally:
            engine.dispose()

    def analyze_without_autovacuum(self) -> bool:
        """On PostgreSQL with autovacuum off (it is on this project's benchmark machine),
        ANALYZE the compliance tables, as autovacuum would have after the thousands of rows
        the throughput run wrote: without statistics the planner reads whole tables for
        lookups an index serves. True when it did."""
        engine = make_engine(self.settings.db_url("compliance"))
        try:
            if engine.dialect.name != "postgresql":
                return False
            with engine.begin() as conn:
                if conn.exec_driver_sql("SHOW autovacuum").scalar_one() == "on":
                    return False
                conn.exec_driver_sql("ANALYZE")
            return True
        finally:
            engine.dispose()

    def stop(self) -> None:
        self.runtime.stop(grace_s=0.5)


def measure(
    db_url: str,
    rules_dir: Path,
    count: int,
    latency_events: int,
    rate: float,
    cycle_size: int,
) -> tuple[RateResult, LatencyResult, LatencyResult]:
    """The throughput run, then the latency run at `rate` and one at half the lower of `rate`
    and the measured throughput, on one database. Each phase has an embedded broker of its
    own (the instance joins it and is warmed up first): Tansu's in-memory storage lists every
    batch a partition holds on each fetch, so a broker still holding the throughput run's
    batches would add that listing to every poll of the latency runs (docs/performance.md)."""
    with tempfile.TemporaryDirectory() as data_dir:
        cycle = 0
        with EmbeddedBroker() as broker:
            instance = Instance(broker.bootstrap, db_url, rules_dir, Path(data_dir))
            try:
                instance.warm_up(cycle)
                _, findings_before, cases_before = instance.stored()
                produced = run_producer(broker.bootstrap, rules_dir, count, 0, cycle=cycle + 1)
                instance.wait_for(set(produced))
                finished = max(instance.timed.done[i][0] for i in produced)
                inbox, findings, cases = instance.stored()
            finally:
                instance.stop()
        if inbox != WARM_UP + count:
            raise SystemExit(f"inbox holds {inbox} events, {WARM_UP + count} produced")
        throughput = RateResult(
            count,
            finished - min(produced.values()),
            findings - findings_before,
            cases - cases_before,
        )
        if instance.analyze_without_autovacuum():
            print("  autovacuum is off on this server: ANALYZE run after the throughput run")

        cycle += count // cycle_size + 3
        with EmbeddedBroker() as broker:
            instance = Instance(broker.bootstrap, db_url, rules_dir, Path(data_dir))
            try:
                instance.warm_up(cycle)
                cycle += 1
                at_target = paced_run(
                    instance, broker.bootstrap, rules_dir, latency_events, rate, cycle
                )
                # The same at half the lower of the offered and the sustained rate: latency
                # with the instance idle half the time (no queue), whichever limits.
                half = min(rate, throughput.rate) / 2
                cycle += latency_events // cycle_size + 3
                at_half = paced_run(
                    instance, broker.bootstrap, rules_dir, max(100, int(half * 3)), half, cycle
                )
            finally:
                instance.stop()
        return throughput, at_target, at_half


def paced_run(
    instance: Instance, bootstrap: str, rules_dir: Path, events: int, rate: float, cycle: int
) -> LatencyResult:
    paced = run_producer(bootstrap, rules_dir, events, rate, cycle=cycle)
    instance.wait_for(set(paced))
    offered = len(paced) / max(1e-9, max(paced.values()) - min(paced.values()))
    done = instance.timed.done
    all_ms = [(done[i][0] - t) * 1000 for i, t in paced.items()]
    case_ms = [(done[i][0] - t) * 1000 for i, t in paced.items() if done[i][1]]
    still_held = instance.held_among(set(paced))
    released = instance.timed.released
    held_ms = [(done[i][0] - t) * 1000 for i, t in paced.items() if i in released]
    at_once = [
        (done[i][0] - t) * 1000 for i, t in paced.items() if done[i][1] and i not in released
    ]
    return LatencyResult(offered, len(paced), case_ms, all_ms, still_held, held_ms, at_once)
