"""The one adapter around durable-rules: rule files compiled to rulesets, events judged by all.

durable-rules consumes an event on the first matching rule of a ruleset, so every rule gets a
ruleset of its own: an event that breaks two rules gives two matches. An event that matches
nothing raises MessageNotHandledException there; here it is simply no match.

A stateful rule (aggregate, correlate) is posted the event enriched with `context`, computed
by the caller from stored events in event time, so the final comparison stays in durable-rules.

durable-rules hands every posted message and every ruleset to its C engine as JSON text, and
reads the engine's answers back from JSON, with the standard library's `json` module: about
half of its cost per event. `_EngineJson` (installed below, for this process) does the same
with `platform/jsontext` (orjson). The C engine cannot read a number in exponent form
(`1e+16`, `1e-05`: "Could not assert event, error code: 204"), which both libraries write
for very large and very small floats, so a float is posted in positional form (`_number`)
whichever writes it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import durable.engine as durable
import orjson

from warden.compliance.domain.findings import Condition, Rule, folded, lookup, needed_fields
from warden.platform import jsontext

log = logging.getLogger(__name__)

_DURABLE_OP = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte", "ne": "$neq"}


class _EngineJson:
    """The `json` durable-rules' Python layer calls (`dumps(value, ensure_ascii=False)` and
    `loads(text)`): `platform/jsontext`, orjson with the standard library for what orjson
    refuses. It always writes non-ASCII characters as themselves, as durable-rules asks."""

    @staticmethod
    def dumps(value: Any, ensure_ascii: bool = False) -> str:
        return jsontext.dumps(value)

    loads = staticmethod(jsontext.loads)


durable.json = _EngineJson


def _number(value: Any) -> Any:
    """`value`, with a float the engine could not read in exponent form written out in
    positional form (1e+16 as 10000000000000000.0, 1e-05 as 0.00001: the same number)."""
    if type(value) is float and "e" in (text := repr(value)):
        plain = format(Decimal(text), "f")
        return orjson.Fragment(plain if "." in plain else plain + ".0")
    return value


_ORDERING = frozenset({"gt", "ge", "lt", "le"})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _test(condition: Condition) -> dict[str, Any]:
    value = folded(condition.value) if condition.fold else condition.value
    operand: Any = {"$m": condition.other_field} if condition.other_field else _number(value)
    if condition.op == "eq":
        if condition.other_field:
            return {"$eq": {condition.field: operand}}
        return {condition.field: operand}
    return {_DURABLE_OP[condition.op]: {condition.field: operand}}


def compile_rule(rule: Rule) -> dict[str, Any]:
    """The durable-rules JSON definition of one rule (without its action)."""
    tests = [{"type": rule.on}, *(_test(c) for c in rule.conditions)]
    return {"match": {"all": [{"m": {"$and": tests}}]}}


@dataclass(frozen=True)
class Enrichment:
    """What the caller computed for one rule: its `context` values and the events they rest on."""

    context: dict[str, Any]
    related: tuple[tuple[str, str], ...] = ()  # (source, id) of each


@dataclass(frozen=True)
class Match:
    """A rule the event broke, with the event as judged (context included)."""

    rule: Rule
    event: dict[str, Any]
    related: tuple[tuple[str, str], ...] = ()  # (source, id) of each


Enricher = Callable[[Rule, dict[str, Any]], Enrichment]


class _Host(durable.Host):  # type: ignore[misc]
    """durable-rules' host without its background dispatch. Its constructor starts two timer
    threads that re-arm themselves for ever, one thread per ruleset per round, to deliver
    queued messages and durable-rules timers. Warden uses neither: events are posted and judged
    synchronously, and time is the events' own. Left running, every host ever built (one per
    rule catalogue generation, per backtest judge, per example run) would keep spawning
    threads, hundreds a second each, until the process ends."""

    def _run(self) -> None:
        return None


def _ruleset_name(rule: Rule) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", rule.key)


@dataclass(frozen=True)
class _Compiled:
    """A rule as the engine posts to it: its ruleset, the fields the event must have, and the
    paths its durable-rules conditions read (`type` and `id` included), split once."""

    name: str
    rule: Rule
    needed: tuple[str, ...]
    read: tuple[tuple[str, ...], ...]
    # Fields an ordering condition compares with a number: durable-rules orders a string
    # against a number without complaint ("abc" > 20000 holds), so they must be numbers.
    numeric: tuple[str, ...] = ()
    # Paths a `fold` condition reads: posted case-folded and trimmed.
    fold_paths: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def of(cls, rule: Rule) -> _Compiled:
        read = dict.fromkeys(["type", "id", *(p for c in rule.conditions for p in c.fields())])
        numeric = dict.fromkeys(
            c.field
            for c in rule.conditions
            if c.op in _ORDERING and c.other_field is None and _is_number(c.value)
        )
        fold = frozenset(tuple(p.split(".")) for c in rule.conditions if c.fold for p in c.fields())
        return cls(
            _ruleset_name(rule),
            rule,
            tuple(needed_fields(rule)),
            tuple(tuple(path.split(".")) for path in read),
            tuple(numeric),
            fold,
        )

    def not_numbers(self, event: dict[str, Any]) -> list[str]:
        """The fields compared with a number whose value in `event` is not one."""
        wrong = []
        for path in self.numeric:
            try:
                value = lookup(event, path)
            except KeyError:
                continue  # a missing field is reported as missing, a context one not read
            if not _is_number(value):
                wrong.append(path)
        return wrong

    def missing(self, event: dict[str, Any]) -> list[str]:
        missing = []
        for path in self.needed:
            try:
                lookup(event, path)
            except KeyError:
                missing.append(path)
        return missing

    def projection(self, event: dict[str, Any]) -> dict[str, Any]:
        """What of `event` the rule's conditions read, nested as in the event. durable-rules
        encodes each posted message to JSON (twice when nothing matches): posting the whole
        CloudEvent, data and all, cost more than the matching. A path the event lacks is left
        out, and its condition fails as it would on the whole event."""
        out: dict[str, Any] = {}
        for parts in self.read:
            node: Any = event
            for part in parts:
                if not isinstance(node, dict) or part not in node:
                    break
                node = node[part]
            else:
                target = out
                for part in parts[:-1]:
                    target = target.setdefault(part, {})
                if type(node) is float:
                    node = _number(node)
                elif self.fold_paths and parts in self.fold_paths:
                    node = folded(node)
                target[parts[-1]] = node
        return out


class RuleEngine:
    """Judges events (CloudEvent dicts) against a fixed set of rules; thread-safe."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.missing_field_warnings = 0
        self._host = _Host()
        self._by_type: dict[str, list[_Compiled]] = {}
        self._matched: list[Rule] = []
        self._lock = threading.Lock()
        definitions: dict[str, Any] = {}
        for rule in self.rules:
            name = _ruleset_name(rule)
            definition = compile_rule(rule)
            definition["match"]["run"] = self._action(rule)
            definitions[name] = definition
            self._by_type.setdefault(rule.on, []).append(_Compiled.of(rule))
        if definitions:
            self._host.set_rulesets(definitions)

    def _action(self, rule: Rule) -> Any:
        def fired(_context: Any) -> None:
            self._matched.append(rule)

        return fired

    def _warn(self, event: dict[str, Any], rule: Rule, missing: list[str]) -> None:
        self.missing_field_warnings += 1
        log.warning(
            "event %s lacks %s needed by rule %s: not judged by it",
            event.get("id"),
            ", ".join(missing),
            rule.key,
        )

    def _warn_not_numbers(self, event: dict[str, Any], rule: Rule, wrong: list[str]) -> None:
        self.missing_field_warnings += 1
        values = ", ".join(f"{path} = {lookup(event, path)!r}" for path in wrong)
        log.warning(
            "event %s has %s where rule %s compares a number: not judged by it",
            event.get("id"),
            values,
            rule.key,
        )

    def judge(
        self,
        event: dict[str, Any],
        enrich: Enricher | None = None,
        skip: frozenset[str] = frozenset(),
    ) -> list[Match]:
        """The rules this event breaks, of those whose keys are not in `skip`. A rule whose
        fields the event lacks, or that compares with a number a field that is not one, is
        skipped with a warning naming the event, never silently. `enrich` computes a stateful
        rule's context."""
        with self._lock:
            matches: list[Match] = []
            for compiled in self._by_type.get(event.get("type", ""), []):
                rule = compiled.rule
                if rule.key in skip:
                    continue
                missing = compiled.missing(event)
                if missing:
                    self._warn(event, rule, missing)
                    continue
                posted = event
                related: tuple[tuple[str, str], ...] = ()
                if enrich is not None and (rule.aggregates or rule.correlations):
                    enriched = enrich(rule, event)
                    posted = {**event, "context": enriched.context}
                    related = enriched.related
                wrong = compiled.not_numbers(posted)
                if wrong:
                    self._warn_not_numbers(posted, rule, wrong)
                    continue
                self._matched = []
                with contextlib.suppress(durable.MessageNotHandledException):
                    self._host.post(compiled.name, compiled.projection(posted))
                matches.extend(Match(rule, posted, related) for _ in self._matched)
            return matches
