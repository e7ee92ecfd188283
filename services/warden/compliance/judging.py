"""Judging: an incoming event becomes findings and cases, effectively once per event id.

Each event, in one transaction: recorded (inbox + stored events), applied to the deadlines
(which may make missed-deadline events, judged right after it), judged by every rule (stateful
rules get their context from stored events, in event time), and each finding opens a case
whose proposal follows the sanction ladder (4.3) over the employee's confirmed record."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from warden.compliance import state, store
from warden.compliance.deadlines import DeadlineBook
from warden.compliance.domain.cases import Case, open_case
from warden.compliance.domain.findings import Finding, make_finding
from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder, propose
from warden.compliance.engine import Match, RuleEngine
from warden.compliance.rulebook import RuleBookInvalid, load_ladder, load_rules
from warden.platform.cloudevents import CloudEvent

log = logging.getLogger(__name__)

INTERNAL_TOPIC = "warden.compliance.internal"


@dataclass(frozen=True)
class Judged:
    """What handling one event did: nothing for a redelivery, else the cases it opened."""

    duplicate: bool
    cases: tuple[Case, ...] = ()


def _deadlines(rules: RuleEngine) -> DeadlineBook:
    specs = {}
    for rule in rules.rules:
        if rule.deadline is not None:
            specs.setdefault(rule.deadline.kind, rule.deadline)
    return DeadlineBook(specs.values())


class Judge:
    def __init__(
        self,
        engine: Engine,
        rules: RuleEngine,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ladder: Ladder = DEFAULT_LADDER,
    ) -> None:
        self.engine = engine
        self.rules = rules
        self.clock = clock
        self.ladder = ladder
        self.deadlines = _deadlines(rules)
        self._swap = threading.Lock()

    @classmethod
    def from_directory(cls, engine: Engine, directory: Path) -> Judge:
        """A judge with the rules and the sanction ladder of a rules directory."""
        return cls(
            engine,
            RuleEngine(load_rules(directory)),
            ladder=load_ladder(directory) or DEFAULT_LADDER,
        )

    def reload(self, directory: Path) -> int:
        """Replace the rules (and ladder) with those in `directory`, all or nothing: on any bad
        file raise RuleBookInvalid (file, line, reason) and keep judging with the current ones."""
        try:
            rules = RuleEngine(load_rules(directory))
            ladder = load_ladder(directory) or DEFAULT_LADDER
        except RuleBookInvalid as invalid:
            for error in invalid.errors:
                log.error("rule file refused, previous rules kept: %s", error)
            raise
        with self._swap:
            self.rules, self.ladder, self.deadlines = rules, ladder, _deadlines(rules)
        log.info("reloaded %d rule(s) from %s", len(rules.rules), directory)
        return len(rules.rules)

    def handle(self, event: CloudEvent, topic: str, partition: int, offset: int) -> Judged:
        """Judge one event in one transaction; a redelivered (source, id) changes nothing."""
        try:
            return self._judge(event, topic, partition, offset)
        except IntegrityError:
            # Another instance judged the same event concurrently (a redelivery during a
            # rebalance): its inbox row won the primary key, so this one is a duplicate.
            with self.engine.connect() as conn:
                if store.already_processed(conn, event):
                    log.info("event %s judged concurrently elsewhere: skipped", event.id)
                    return Judged(duplicate=True)
            raise

    def _judge(self, event: CloudEvent, topic: str, partition: int, offset: int) -> Judged:
        with self._swap:
            rules, ladder, deadlines = self.rules, self.ladder, self.deadlines
        with self.engine.begin() as conn:
            if store.already_processed(conn, event):
                log.info("event %s from %s already judged: skipped", event.id, event.source)
                return Judged(duplicate=True)
            store.record_received(conn, event, topic, partition, offset, self.clock())
            opened = self._open(conn, rules, ladder, event)
            for missed in deadlines.track(conn, event, f"{topic}:{partition}"):
                store.record_received(conn, missed, INTERNAL_TOPIC, 0, 0, self.clock())
                opened += self._open(conn, rules, ladder, missed)
        return Judged(duplicate=False, cases=tuple(opened))

    def sweep(self) -> tuple[Case, ...]:
        """Judge the deadlines the stored watermark has already passed (run at start-up)."""
        with self._swap:
            rules, ladder, deadlines = self.rules, self.ladder, self.deadlines
        opened: list[Case] = []
        with self.engine.begin() as conn:
            for missed in deadlines.sweep(conn):
                store.record_received(conn, missed, INTERNAL_TOPIC, 0, 0, self.clock())
                opened += self._open(conn, rules, ladder, missed)
        return tuple(opened)

    def _open(
        self, conn: Connection, rules: RuleEngine, ladder: Ladder, event: CloudEvent
    ) -> list[Case]:
        opened = []
        for match in rules.judge(event.to_dict(), state.enrich(conn)):
            finding = make_finding(match.rule, match.event, event.time, match.related)
            case = self._case(conn, ladder, match, finding)
            store.add_case(conn, case)
            opened.append(case)
            log.info(
                "finding %s: %s by %s (clause %s) -> case %s, %s",
                finding.finding_id,
                match.rule.key,
                finding.employee_id,
                match.rule.clause,
                case.case_id,
                case.proposal_reasoning,
            )
        return opened

    def _case(self, conn: Connection, ladder: Ladder, match: Match, finding: Finding) -> Case:
        since = finding.occurred_at - timedelta(days=ladder.lookback_days)
        prior = len(store.confirmed_violations(conn, finding.employee_id, since))
        proposal = propose(ladder, match.rule.severity, match.rule.sanction, prior)
        return replace(
            open_case(finding, proposal.sanction),
            proposal_reasoning=proposal.reasoning,
            dismissal_review=proposal.dismissal_review,
            legal_referral=proposal.legal_referral,
        )
