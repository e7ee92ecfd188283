"""The floor under the end-to-end rate: the compliance path before any database work.

The end-to-end run's events (the same workload, produced by the same load generator before
the clock starts) are consumed from a fresh embedded broker with the service's consumer
settings, decoded and checked against the event contract as `EventConsumer.process_batch` does, and
judged by the `RuleEngine` with the raw run's constant context for stateful rules. Nothing is
stored: no inbox, stored event, lookup, deadline, finding, case or audit entry. Timed from
the first poll that returns records to the last event judged, with no producer sharing the
cores, so it is a generous bound.

Whatever the database path adds comes on top of it: at the ratio target (one third of the
raw rate) an event may take three raw events' time in all, and what the floor leaves of that
is the budget for storing and enriching it (bench/run.py prints both)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench import raw
from bench.e2e import run_producer
from warden import contract
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings
from warden.platform.cloudevents import parse
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import ensure_topics, make_consumer
from warden.platform.topics import ALL_TOPICS, INPUT_TOPICS


@dataclass(frozen=True)
class FloorResult:
    events: int
    seconds: float
    poll_s: float  # in KafkaConsumer.poll
    decode_s: float  # parse, contract check, to_dict
    judge_s: float  # RuleEngine.judge

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def micros(self, seconds: float) -> float:
        """`seconds` of the run per event, in microseconds."""
        return 1e6 * seconds / self.events


def measure(rules_dir: Path, count: int, stall_s: float = 60.0) -> FloorResult:
    settings = Settings()
    engine = RuleEngine(load_rules(rules_dir))
    with EmbeddedBroker() as broker:
        ensure_topics(broker.bootstrap, ALL_TOPICS, settings.kafka_partitions)
        run_producer(broker.bootstrap, rules_dir, count, 0, cycle=1)
        consumer = make_consumer(
            broker.bootstrap,
            INPUT_TOPICS,
            f"warden-bench-floor-{uuid.uuid4().hex[:8]}",
            settings.kafka_session_timeout_ms,
            settings.kafka_fetch_max_wait_ms,
            settings.kafka_max_poll_records,
            settings.kafka_commit_interval_ms,
        )
        try:
            judged, started, poll_s, decode_s, judge_s = 0, 0.0, 0.0, 0.0, 0.0
            progress = time.monotonic()
            while judged < count:
                before = time.perf_counter()
                records = consumer.poll(timeout_ms=500)
                polled = time.perf_counter()
                if not records:
                    if time.monotonic() - progress > stall_s:
                        raise SystemExit(f"floor: {count - judged} event(s) never consumed")
                    continue
                progress = time.monotonic()
                if not started:
                    started = before  # the join and the first fetch are not timed
                else:
                    poll_s += polled - before
                for batch in records.values():
                    for record in batch:
                        a = time.perf_counter()
                        event = parse(record.value)
                        contract.validate(event)
                        posted = event.to_dict()
                        b = time.perf_counter()
                        engine.judge(posted, raw.constant_context)
                        decode_s += b - a
                        judge_s += time.perf_counter() - b
                        judged += 1
            seconds = time.perf_counter() - started
        finally:
            consumer.close()
    return FloorResult(judged, seconds, poll_s, decode_s, judge_s)
