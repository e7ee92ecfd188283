"""The benchmark's events: every example event of every rule file, repeated in cycles that are
shifted in event time so one cycle's windows and deadlines do not reach into the next."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from warden import contract
from warden.compliance.domain.findings import Rule
from warden.platform.cloudevents import CloudEvent, MalformedEvent, parse_time
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS

CYCLE_GAP = timedelta(days=400)


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
                    source="/bench",
                    subject=template.subject,
                    id=str(uuid.uuid4()),
                    time=template.time + shift,
                    data=template.data,
                )
                made += 1
            cycle += 1


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
