"""Rules as data, and the findings they make: each explained with the values that met it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from warden.compliance.domain.sanctions import Sanction
from warden.compliance.domain.specs import Aggregate, Correlation, Deadline, Fact

CLAUSES = {
    "4.1.1": "false sales reporting or bribery",
    "4.1.2": "unauthorised change of price or contract",
    "4.2.1": "leak of customer private data or unreasonable fees",
    "4.2.2": "broken service commitment, perfunctory handling or shirking",
}
SEVERITIES = ("minor", "major", "critical")
UNITS = {"days": "day(s)", "hours": "hour(s)", "count": "", "customers": "customer(s)"}
OPERATORS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
NAMESPACE = uuid.UUID("6f1d3b0e-8a40-4e0b-9a57-3c1f0de0a001")


@dataclass(frozen=True)
class Condition:
    """One test on an event field against a literal, a parameter or another field."""

    field: str
    op: str
    value: Any = None
    other_field: str | None = None
    says: str = ""
    unit: str = ""
    # Compare text case-folded and trimmed ("Bob " is bob): ids typed by people, blank text.
    fold: bool = False

    def fields(self) -> list[str]:
        return [self.field] + ([self.other_field] if self.other_field else [])


@dataclass(frozen=True)
class Rule:
    rule_id: str
    version: int
    clause: str
    title: str
    severity: str
    sanction: Sanction
    on: str
    conditions: tuple[Condition, ...]
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    description: str = ""
    facts: tuple[Fact, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    deadline: Deadline | None = None
    # Fields of the event holding ids of further events the finding rests on.
    evidence: tuple[str, ...] = ()
    examples: tuple[dict[str, Any], ...] = ()
    # The violation is an absence another partition's events could disprove (a ticket for the
    # customer read): an event is judged only once every input partition is complete up to
    # its time (compliance/judging/holding.py), where the service can tell.
    waits_for_partitions: bool = False

    @property
    def key(self) -> str:
        return f"{self.rule_id}@v{self.version}"


@dataclass(frozen=True)
class Finding:
    finding_id: str
    rule_id: str
    rule_version: int
    clause: str
    severity: str
    title: str
    employee_id: str
    event_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    occurred_at: datetime
    # The source of each of `event_ids`, in the same order: an event is (source, id). "" where
    # it is not known (findings recorded before sources were kept, when no event matched).
    event_sources: tuple[str, ...] = ()

    @property
    def evidence(self) -> tuple[tuple[str, str], ...]:
        """The events the finding rests on, as (source, id), the judged event first."""
        sources = self.event_sources or ("",) * len(self.event_ids)
        return tuple(zip(sources, self.event_ids, strict=True))

    @property
    def explanation(self) -> str:
        rule = f"{self.rule_id} v{self.rule_version}"
        head = f"{rule} (clause {self.clause}, {self.severity}): {self.title}"
        return "\n".join([head, *(f"  - {r}" for r in self.reasons)])


_PATHS: dict[str, tuple[str, ...]] = {}  # dotted path -> its parts (paths come from rule files)


def lookup(event: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of an event, or KeyError. Judging looks up about 25 paths
    per event: each is split once, and only dicts are stepped into."""
    parts = _PATHS.get(path)
    if parts is None:
        parts = _PATHS[path] = tuple(path.split("."))
    node: Any = event
    for part in parts:
        if type(node) is not dict:
            raise KeyError(path)
        try:
            node = node[part]
        except KeyError:
            raise KeyError(path) from None
    return node


def stable_id(name: str) -> str:
    """uuid.uuid5(NAMESPACE, name) as text, without building a UUID object (findings, cases
    and deadlines each take one per event judged)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def needed_fields(rule: Rule) -> list[str]:
    """The fields of the judged event a rule reads (context.* is computed, not read)."""
    paths = [p for c in rule.conditions for p in c.fields()]
    paths += [f.field for f in rule.facts] + list(rule.evidence)
    paths += [ours for a in rule.aggregates for _, ours in a.match]
    paths += [ours for c in rule.correlations for s in c.sources for _, ours in s.match]
    return [p for p in dict.fromkeys(paths) if not p.startswith("context.")]


def folded(value: Any) -> Any:
    """Text case-folded and trimmed, as a `fold` condition compares it; anything else as is."""
    return value.strip().casefold() if isinstance(value, str) else value


def _time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _render(value: Any, unit: str, event: dict[str, Any]) -> str:
    if value is None:
        return "none"
    if unit == "money" and isinstance(value, int):
        currency = event.get("data", {}).get("currency", "")
        units, cents = divmod(value, 100)
        return f"{units:,}.{cents:02d} {currency}".strip()
    if unit == "bp" and isinstance(value, int):
        return f"{value / 100:g}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit == "time" and isinstance(value, str):
        return _time(value)
    if unit in UNITS and isinstance(value, int):
        return f"{value} {UNITS[unit]}".strip()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if value == "":
        return "none"
    return str(value)


def explain(condition: Condition, event: dict[str, Any]) -> str:
    """The condition in words, with the actual values that met it."""
    left = _render(lookup(event, condition.field), condition.unit, event)
    right_raw = lookup(event, condition.other_field) if condition.other_field else condition.value
    right = _render(right_raw, condition.unit, event)
    if condition.says:
        return condition.says.format(left=left, right=right)
    return f"{condition.field} {left} {OPERATORS[condition.op]} {right}"


def state(fact: Fact, event: dict[str, Any]) -> str:
    """A fact in words with its actual value."""
    return fact.says.format(value=_render(lookup(event, fact.field), fact.unit, event))


def identity(event: dict[str, Any]) -> tuple[str, str]:
    """An event's identity: ids are unique per source only (docs/events.md)."""
    return str(event.get("source", "")), str(event["id"])


def refs_text(refs: Iterable[tuple[str, str]]) -> str:
    """Events as people read them: `id (source)` each, the id alone where no source is known."""
    return ", ".join(f"{i} ({s})" if s else i for s, i in refs)


def evidence(
    rule: Rule, event: dict[str, Any], related: tuple[tuple[str, str], ...] = ()
) -> tuple[tuple[str, str], ...]:
    """The judged event first, then the events the finding also rests on, each (source, id).
    An id named in the event at an evidence path is of the event's own source, unless the
    event names another at the path with `_source` appended (`data.started_by_source`)."""
    refs = [identity(event)]
    for path in rule.evidence:
        value = lookup(event, path)
        try:
            source = str(lookup(event, f"{path}_source"))  # "" when not known
        except KeyError:
            source = refs[0][0]
        refs.extend((source, str(v)) for v in (value if isinstance(value, list) else [value]) if v)
    refs.extend(related)
    return tuple(dict.fromkeys(refs))


def make_finding(
    rule: Rule,
    event: dict[str, Any],
    occurred_at: datetime,
    related: tuple[tuple[str, str], ...] = (),
) -> Finding:
    """The finding of `rule` on `event` (context included), explained with the values that met
    each condition; its id derives from the rule and the event's identity (source and id), so a
    redelivery repeats it."""
    event_id = str(event["id"])
    reasons = [explain(c, event) for c in rule.conditions]
    reasons += [state(f, event) for f in rule.facts]
    refs = evidence(rule, event, related)
    return Finding(
        finding_id=stable_id(f"{rule.key}|{event.get('source', '')}|{event_id}"),
        rule_id=rule.rule_id,
        rule_version=rule.version,
        clause=rule.clause,
        severity=rule.severity,
        title=rule.title,
        employee_id=str(event["subject"]),
        event_ids=tuple(i for _, i in refs),
        reasons=tuple(reasons),
        occurred_at=occurred_at,
        event_sources=tuple(s for s, _ in refs),
    )
