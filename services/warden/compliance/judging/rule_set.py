"""What one event is judged with (`RuleSet`): the rules, the sanction ladder, which rules run
in shadow, and the deadlines the rules declare, with the shadow versions tracking their own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder
from warden.compliance.domain.specs import Deadline
from warden.compliance.judging.deadlines import MAIN_TRACK, DeadlineBook, shadow_tracked
from warden.compliance.rules.engine import RuleEngine
from warden.contract.compliance import DEADLINE_MISSED


def _deadline_plan(
    rules: RuleEngine, shadow: frozenset[str]
) -> tuple[DeadlineBook, frozenset[str]]:
    """The deadlines the rules declare, and the shadow rules whose deadlines are tracked
    apart. Per kind, the active versions' spec is tracked (with none active, the first shadow
    one's); a shadow version declaring another spec for that kind (another duration, say)
    gets deadlines of its own (deadlines.shadow_tracked), judged by it alone."""
    main: dict[str, Deadline] = {}
    for rule in sorted(rules.rules, key=lambda r: r.key in shadow):
        if rule.deadline is not None:
            main.setdefault(rule.deadline.kind, rule.deadline)
    apart: dict[str, Deadline] = {}  # tracked kind -> spec
    keys = set()
    for rule in rules.rules:
        spec = rule.deadline
        if spec is not None and rule.key in shadow and main[spec.kind] != spec:
            tracked = shadow_tracked(spec)
            apart.setdefault(tracked.kind, tracked)
            keys.add(rule.key)
    return DeadlineBook([*main.values(), *apart.values()]), frozenset(keys)


@dataclass(frozen=True)
class RuleSet:
    """What one event is judged with: the rules (those whose keys are in `shadow` record their
    findings without opening a case), the sanction ladder, the deadlines the rules declare,
    and the catalogue generation it came from (0: not from the catalogue)."""

    engine: RuleEngine
    ladder: Ladder = DEFAULT_LADDER
    shadow: frozenset[str] = frozenset()
    generation: int = 0

    @cached_property
    def _deadline_plan(self) -> tuple[DeadlineBook, frozenset[str]]:
        return _deadline_plan(self.engine, self.shadow)

    @property
    def deadlines(self) -> DeadlineBook:
        return self._deadline_plan[0]

    def not_judging(self, event: dict[str, Any]) -> frozenset[str]:
        """The keys of the rules that do not judge this event: a missed deadline of the main
        track is not judged by the shadow versions tracking their own, and one of theirs by
        no other rule."""
        if event["type"] != DEADLINE_MISSED:
            return frozenset()
        if event["data"].get("track", MAIN_TRACK) == MAIN_TRACK:
            return self._deadline_plan[1]
        return self._not_tracking_apart

    @cached_property
    def _not_tracking_apart(self) -> frozenset[str]:
        """The keys of the rules that do not track a deadline of their own in shadow."""
        return frozenset(r.key for r in self.engine.rules) - self._deadline_plan[1]

    @cached_property
    def waiting(self) -> frozenset[str]:
        """The keys of the rules that judge an event only once every input partition is
        complete past its time (compliance/judging/holding.py)."""
        return frozenset(r.key for r in self.engine.rules if r.waits_for_partitions)

    @cached_property
    def not_waiting(self) -> frozenset[str]:
        return frozenset(r.key for r in self.engine.rules) - self.waiting

    def waits_on(self, event_type: str) -> bool:
        """Whether a waiting rule judges events of this type."""
        return event_type in self._waiting_types

    @cached_property
    def _waiting_types(self) -> frozenset[str]:
        return frozenset(r.on for r in self.engine.rules if r.waits_for_partitions)
