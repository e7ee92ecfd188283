"""The raw rate of durable-rules on the rule catalogue: events posted in-process through the
compliance RuleEngine, no broker and no database. A stateful rule's context (computed from
the database in the service) is given constant values here, so its conditions still run."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bench.workload import Workload
from warden.compliance.domain.findings import Rule
from warden.compliance.rules.engine import Enrichment, RuleEngine


@dataclass(frozen=True)
class RawResult:
    events: int
    matches: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def constant_context(rule: Rule, _event: dict[str, Any]) -> Enrichment:
    context: dict[str, Any] = {}
    for condition in rule.conditions:
        if condition.field.startswith("context."):
            value = condition.value if isinstance(condition.value, int | float) else 0
            context[condition.field.removeprefix("context.")] = value
    return Enrichment(context=context)


def measure(
    rules: list[Rule],
    workload: Workload,
    count: int,
    partitions: Mapping[str, int],
    repeats: int = 3,
) -> RawResult:
    """The fastest of `repeats` runs over the same events (as timeit reports): a run of under
    a second on a shared machine is easily slowed by a neighbour, never sped up. The fastest
    raw rate is the hardest one for the end-to-end ratio to reach. The events are those the
    load generator produces to `partitions` (workload.stream: its ticks included), so both
    rates are of one event mix."""
    engine = RuleEngine(rules)
    events = [e.to_dict() for e, _topic, _partition in workload.stream(count, partitions)]
    for event in events[: min(200, count)]:  # warm-up: durable-rules compiles lazily
        engine.judge(event, constant_context)
    runs = []
    for _ in range(repeats):
        matches = 0
        started = time.perf_counter()
        for event in events:
            matches += len(engine.judge(event, constant_context))
        runs.append(RawResult(len(events), matches, time.perf_counter() - started))
    return min(runs, key=lambda run: run.seconds)
