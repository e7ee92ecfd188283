"""The benchmark's events: every example event of every rule file, repeated in cycles that are
shifted in event time so one cycle's windows and deadlines do not reach into the next.

The examples use a few dozen keys, which reach 7 of the 12 input partitions; in a company's
stream every partition is busy. A read of customer data is judged only once every input
partition has passed its time (compliance/judging/holding.py), so with partitions that never see an
event it would never be judged in the benchmark (event times there are far from the clock,
which judges idle partitions in production). `stream` therefore adds a tick, an event no rule
reads, to each partition that has seen none in the last `TICK_EVERY` times as many events as
there are partitions: every partition at least a quarter as busy as its mean share (18% of
the events are ticks; at its mean share it would take 84%). So a read waits for at most that
many events (48 over 12 partitions, about 48 ms at 1,000 events/s) before every partition has
passed it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kafka.partitioner.default import murmur2

from warden import contract
from warden.compliance.domain.findings import Rule
from warden.platform.cloudevents import CloudEvent, MalformedEvent, parse_time
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS

CYCLE_GAP = timedelta(days=400)
# The workload's source, allowed on both input topics of the instances it is sent to.
SOURCE = "/bench"
ALLOWED_SOURCES = f"{SALES_EVENTS}={SOURCE},{AFTERSALES_EVENTS}={SOURCE}"

TICK_EVERY = 4  # a partition with no event in 4 x (partitions) events gets a tick
# Event types no rule, deadline or correlation reads, one per input topic: the ticks.
TICK_TYPES = {
    SALES_EVENTS: "warden.sales.payment.collected",
    AFTERSALES_EVENTS: "warden.aftersales.customer.messaged",
}


@dataclass(frozen=True)
class Template:
    type: str
    subject: str
    time: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Workload:
    """Example events of the rule catalogue, in event-time order within a cycle."""

    templates: tuple[Template, ...]
    rules: int
    dropped: int  # example events the public contract refuses (they would be dead-lettered)

    @property
    def span(self) -> timedelta:
        return self.templates[-1].time - self.templates[0].time + CYCLE_GAP

    def events(self, count: int, start_cycle: int = 0) -> Iterator[CloudEvent]:
        """`count` events with fresh ids, cycle after cycle."""
        made = 0
        cycle = start_cycle
        while made < count:
            shift = self.span * cycle
            for template in self.templates:
                if made == count:
                    return
                yield CloudEvent(
                    type=template.type,
                    source=SOURCE,
                    subject=template.subject,
                    id=str(uuid.uuid4()),
                    time=template.time + shift,
                    data=template.data,
                )
                made += 1
            cycle += 1

    def stream(
        self, count: int, partitions: Mapping[str, int], start_cycle: int = 0
    ) -> Iterator[tuple[CloudEvent, str | None, int]]:
        """`count` events with their topic (None: an internal type) and partition: the
        cycles' events, and after each one a tick to every partition that has seen no event
        in the last TICK_EVERY x (partitions) events (module docstring)."""
        every = TICK_EVERY * sum(partitions.values())
        last = {(topic, p): 0 for topic, n in partitions.items() for p in range(n)}
        made = 0
        for event in self.events(count, start_cycle):
            if made >= count:
                return
            topic = topic_of(event)
            partition = 0
            if topic is not None:
                partition = partition_of(key_of(event), partitions[topic])
                last[(topic, partition)] = made
            yield event, topic, partition
            made += 1
            for (idle, p), seen in sorted(last.items()):
                if made < count and made - seen >= every:
                    yield tick(idle, p, event.time), idle, p
                    last[(idle, p)] = made
                    made += 1


def partition_of(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner gives a record with this key (murmur2)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def tick(topic: str, partition: int, at: datetime) -> CloudEvent:
    """An event for `topic`'s `partition` at `at` that no rule reads."""
    name = f"TICK-{partition}"
    data: dict[str, Any] = {"customer_id": "C-TICK"}
    if topic == AFTERSALES_EVENTS:
        data |= {"ticket_id": name, "message_id": str(uuid.uuid4())}
    else:
        data |= {
            "payment_id": str(uuid.uuid4()),
            "contract_id": name,
            "salesperson_id": "bench-tick",
            "amount_minor": 0,
            "currency": "EUR",
        }
    kind = TICK_TYPES[topic]
    return CloudEvent(kind, "/bench", "bench-tick", data, id=str(uuid.uuid4()), time=at)


def topic_of(event: CloudEvent) -> str | None:
    """The input topic of an event, or None for compliance's own (internal) event types."""
    if event.type.startswith("warden.sales."):
        return SALES_EVENTS
    if event.type.startswith("warden.aftersales."):
        return AFTERSALES_EVENTS
    return None


def key_of(event: CloudEvent) -> str:
    """The message key producers use (docs/events.md): ticket_id for ticket events, else the
    employee, so one employee's (one ticket's) events stay on one partition, in order."""
    ticket = event.data.get("ticket_id")
    if event.type.startswith("warden.aftersales.") and isinstance(ticket, str) and ticket:
        return ticket
    return event.subject


def _templates(rule: Rule) -> Iterator[Template]:
    for example in rule.examples:
        for raw in example.get("events", ()):
            yield Template(
                type=str(raw.get("type", rule.on)),
                subject=str(raw.get("subject", "bench")),
                time=parse_time(str(raw["time"])),
                data=dict(raw.get("data", {})),
            )


def _acceptable(template: Template) -> bool:
    probe = CloudEvent(template.type, "/bench", template.subject, template.data, time=template.time)
    if topic_of(probe) is None:
        return False
    try:
        contract.validate(probe)
    except MalformedEvent:
        return False
    return True


def build(rules: list[Rule], for_broker: bool) -> Workload:
    """The workload of a rule catalogue; `for_broker` keeps only events a producer may send."""
    templates = [t for rule in rules for t in _templates(rule)]
    kept = [t for t in templates if _acceptable(t)] if for_broker else templates
    if not kept:
        raise SystemExit("no usable example events in the rule files: nothing to benchmark")
    kept.sort(key=lambda t: t.time)
    return Workload(tuple(kept), len(rules), len(templates) - len(kept))
