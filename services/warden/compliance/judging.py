"""Judging: an incoming event becomes findings and cases, effectively once per event id."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from warden.compliance import store
from warden.compliance.domain.cases import Case, open_case
from warden.compliance.domain.findings import make_finding
from warden.compliance.engine import RuleEngine
from warden.platform.cloudevents import CloudEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judged:
    """What handling one event did: nothing for a redelivery, else the cases it opened."""

    duplicate: bool
    cases: tuple[Case, ...] = ()


class Judge:
    def __init__(
        self,
        engine: Engine,
        rules: RuleEngine,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.rules = rules
        self.clock = clock

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
        with self.engine.begin() as conn:
            if store.already_processed(conn, event):
                log.info("event %s from %s already judged: skipped", event.id, event.source)
                return Judged(duplicate=True)
            store.record_received(conn, event, topic, partition, offset, self.clock())
            opened = []
            as_dict = event.to_dict()
            for rule in self.rules.judge(as_dict):
                finding = make_finding(rule, as_dict, event.time)
                case = open_case(finding, rule.sanction)
                store.add_case(conn, case)
                opened.append(case)
                log.info(
                    "finding %s: %s by %s (clause %s) -> case %s",
                    finding.finding_id,
                    rule.key,
                    finding.employee_id,
                    rule.clause,
                    case.case_id,
                )
        return Judged(duplicate=False, cases=tuple(opened))
