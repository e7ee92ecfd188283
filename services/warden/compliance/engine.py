"""The one adapter around durable-rules: rule files compiled to rulesets, events judged by all.

durable-rules consumes an event on the first matching rule of a ruleset, so every rule gets a
ruleset of its own: an event that breaks two rules gives two matches. An event that matches
nothing raises MessageNotHandledException there; here it is simply no match.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

import durable.engine as durable

from warden.compliance.domain.findings import Condition, Rule, missing_fields

log = logging.getLogger(__name__)

_DURABLE_OP = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte", "ne": "$neq"}


def _test(condition: Condition) -> dict[str, Any]:
    operand: Any = {"$m": condition.other_field} if condition.other_field else condition.value
    if condition.op == "eq":
        if condition.other_field:
            return {"$eq": {condition.field: operand}}
        return {condition.field: operand}
    return {_DURABLE_OP[condition.op]: {condition.field: operand}}


def compile_rule(rule: Rule) -> dict[str, Any]:
    """The durable-rules JSON definition of one rule (without its action)."""
    tests = [{"type": rule.on}, *(_test(c) for c in rule.conditions)]
    return {"match": {"all": [{"m": {"$and": tests}}]}}


def _ruleset_name(rule: Rule) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", rule.key)


class RuleEngine:
    """Judges events (CloudEvent dicts) against a fixed set of rules; thread-safe."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.missing_field_warnings = 0
        self._host = durable.Host()
        self._by_type: dict[str, list[tuple[str, Rule]]] = {}
        self._matched: list[Rule] = []
        self._lock = threading.Lock()
        definitions: dict[str, Any] = {}
        for rule in self.rules:
            name = _ruleset_name(rule)
            definition = compile_rule(rule)
            definition["match"]["run"] = self._action(rule)
            definitions[name] = definition
            self._by_type.setdefault(rule.on, []).append((name, rule))
        if definitions:
            self._host.set_rulesets(definitions)

    def _action(self, rule: Rule) -> Any:
        def fired(_context: Any) -> None:
            self._matched.append(rule)

        return fired

    def judge(self, event: dict[str, Any]) -> list[Rule]:
        """The rules this event breaks. A rule whose fields the event lacks is skipped with a
        warning naming the event, never silently."""
        with self._lock:
            self._matched = []
            for name, rule in self._by_type.get(event.get("type", ""), []):
                missing = missing_fields(rule, event)
                if missing:
                    self.missing_field_warnings += 1
                    log.warning(
                        "event %s lacks %s needed by rule %s: not judged by it",
                        event.get("id"),
                        ", ".join(missing),
                        rule.key,
                    )
                    continue
                with contextlib.suppress(durable.MessageNotHandledException):
                    self._host.post(name, event)
            return list(self._matched)
