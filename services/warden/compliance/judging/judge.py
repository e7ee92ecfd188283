"""Judging: an incoming event becomes findings and cases, effectively once per event id.

Each event, in one transaction (a consumer's poll batch shares one: the commit is the cost):
recorded (inbox + stored events), applied to the deadlines
(which may make missed-deadline events, judged right after it), judged by every rule (stateful
rules get their context from stored events, in event time), and each finding opens a case
whose proposal follows the sanction ladder (4.3) over the employee's confirmed record. The
rules that wait for other partitions judge it later, when `release` finds every input
partition complete past its time (compliance/judging/holding.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from warden.compliance.domain.cases import Case, open_case
from warden.compliance.domain.findings import Finding, make_finding
from warden.compliance.domain.ladder import propose
from warden.compliance.judging import holding, state, stored_events
from warden.compliance.judging.deadlines import DeadlineBook
from warden.compliance.judging.rules_in_force import RulesInForce
from warden.compliance.judging.unit_of_work import Delivery, JudgingUnit
from warden.compliance.rules.engine import Match
from warden.compliance.storage import inbox_store
from warden.platform.cloudevents import CloudEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judged:
    """What handling one event did: nothing for a redelivery, else the cases it opened, and
    whether it was held for the rules that wait for other partitions."""

    duplicate: bool
    cases: tuple[Case, ...] = ()
    held: bool = False


@dataclass(frozen=True)
class Released:
    """What one release of held events did: how many it judged, the cases they opened, and
    whether it judged as many as one release may (more may be waiting)."""

    events: int = 0
    cases: tuple[Case, ...] = ()

    @property
    def full(self) -> bool:
        return self.events >= holding.RELEASE_LIMIT


class Judge(RulesInForce):
    """Judges events, each effectively once, with the rules in force (rules_in_force.py)."""

    def handle(
        self,
        event: CloudEvent,
        topic: str,
        partition: int,
        offset: int,
        inputs: frozenset[str] | None = None,
    ) -> Judged:
        """Judge one event in one transaction; a redelivered (source, id) changes nothing."""
        try:
            (judged,) = self.handle_batch([(event, topic, partition, offset)], inputs)
            return judged
        except IntegrityError:
            # Another instance judged the same event concurrently (a redelivery during a
            # rebalance): its inbox row won the primary key, so this one is a duplicate.
            with self.engine.connect() as conn:
                if inbox_store.already_processed(conn, event):
                    log.info("event %s judged concurrently elsewhere: skipped", event.id)
                    return Judged(duplicate=True)
            raise

    def handle_batch(
        self, batch: Sequence[Delivery], inputs: frozenset[str] | None = None
    ) -> list[Judged]:
        """Judge `batch` (event, topic, partition, offset) in ONE transaction, in the given
        order (a consumer passes each partition's records in offset order), so the commit and
        the per-transaction reads are paid once per batch. Each event is judged exactly as it
        would be alone: a redelivered (source, id), or one already earlier in the batch,
        changes nothing; the inbox rows are written first, so a concurrent judge of the same
        events (a rebalance) conflicts before judging anything; a stateful rule sees every
        event judged before it, those of this batch from memory (stored_events.StoredEvents); each
        stream's watermark moves event by event, in memory, and is written at the end. Any
        error rolls the whole batch back and is raised: the caller judges the events one at
        a time (`handle`) to find the one at fault.

        `inputs`: the input partitions (`topic:partition`), given by a consumer that can tell
        when they are complete: the rules that wait for other partitions then judge an event
        only when `release` finds them complete past its time (compliance/judging/holding.py).
        Without it every rule judges at once (examples, a backtest: replays in event time)."""
        if not batch:
            return []
        with self.engine.begin() as conn:
            tx = JudgingUnit(conn, self.rule_set(conn), self.clock)
            tx.expect(
                (event for event, *_ in batch),
                {f"{topic}:{partition}" for _event, topic, partition, _ in batch},
            )
            seen = inbox_store.processed_among(conn, (event for event, *_ in batch))
            first = []  # per delivery: not judged before, nor earlier in this batch
            for event, *_ in batch:
                first.append((event.source, event.id) not in seen)
                seen.add((event.source, event.id))
            tx.claim(d for d, new in zip(batch, first, strict=True) if new)
            payloads = [
                event.to_dict() if new else None
                for (event, *_), new in zip(batch, first, strict=True)
            ]
            tx.rules.deadlines.expect(tx.marks, (p for p in payloads if p is not None))
            state.expect_lookups(
                tx.stored, tx.rules.engine.rules, (p for p in payloads if p is not None)
            )
            results: list[Judged] = []
            for (event, topic, partition, offset), payload in zip(batch, payloads, strict=True):
                if payload is None:
                    log.info("event %s from %s already judged: skipped", event.id, event.source)
                    results.append(Judged(duplicate=True))
                    continue
                tx.store(event, payload)
                stream = f"{topic}:{partition}"
                held = inputs is not None and tx.rules.waits_on(event.type)
                if held:
                    opened = self._open(tx, event, payload, skip=tx.rules.waiting)
                    tx.hold(event, stream, offset)
                else:
                    opened = self._open(tx, event, payload)
                deadlines = tx.rules.deadlines
                for missed in deadlines.track(conn, event, stream, tx.marks, payload):
                    tx.record_made(missed)
                    opened += self._open(tx, missed)
                results.append(Judged(duplicate=False, cases=tuple(opened), held=held))
            tx.write()
        return results

    def release(self, inputs: frozenset[str], limit: int = holding.RELEASE_LIMIT) -> Released:
        """Judge, with the rules that wait for other partitions, the held events that all of
        `inputs` (the input partitions) are now complete past, oldest first, at most `limit`
        in one transaction. Each event is judged with the stored events dated up to its time,
        as it would have been had every partition been read in step. When judging one fails,
        everything is rolled back and holding.HeldJudgementFailed names it."""
        if not inputs:
            return Released()
        opened: list[Case] = []
        with self.engine.begin() as conn:
            # Most polls find nothing held, or nothing old enough: one index lookup, then the
            # partitions' marks only when something could be released.
            first = holding.oldest(conn)
            if first is None:
                return Released()
            upto = holding.complete_up_to(conn, inputs)
            if upto is None or upto <= first:
                return Released()
            released = holding.release(conn, upto, limit)
            if not released:
                return Released()
            tx = JudgingUnit(conn, self.rule_set(conn), self.clock)
            events = [held.event for held in released]
            payloads = [event.to_dict() for event in events]
            tx.expect(events)
            state.expect_lookups(tx.stored, tx.rules.engine.rules, payloads)
            for held, payload in zip(released, payloads, strict=True):
                try:
                    opened += self._open(
                        tx,
                        held.event,
                        payload,
                        skip=tx.rules.not_waiting,
                        read_at=(held.topic, held.partition, held.offset),
                    )
                except OperationalError:
                    raise  # the database, not the event
                except Exception as exc:  # the event's failure: named, for the caller to set aside
                    raise holding.HeldJudgementFailed(held, exc) from exc
            tx.write()
        log.info(
            "judged %d event(s) held for other partitions (all complete up to %s): %d case(s)",
            len(events),
            upto.isoformat(),
            len(opened),
        )
        return Released(len(events), tuple(opened))

    def unhold(self, source: str, event_id: str) -> holding.Held | None:
        """Take an event out of the hold unjudged (one whose judgement keeps failing, to be
        dead-lettered by the caller); None when it is no longer held."""
        with self.engine.begin() as conn:
            return holding.take(conn, source, event_id)

    def sweep(self) -> tuple[Case, ...]:
        """Judge the deadlines the stored watermark has already passed (run at start-up)."""
        return self._judge_missed(lambda conn, book: book.sweep(conn))

    def pass_time(self, streams: Iterable[str], moment: datetime) -> tuple[Case, ...]:
        """Judge the deadlines of `streams` due before `moment`, the streams being known
        complete up to it (quiet partitions read to their end: `compliance.quiet`); the
        watermarks of those with a deadline due move to `moment`, and every one's clock mark
        (what the held judgements wait for: compliance/judging/holding.py). Without it a deadline
        waits for its stream's next event, which on a quiet partition may be hours or never."""
        names = sorted(set(streams))

        def judged_and_marked(conn: Connection, book: DeadlineBook) -> list[CloudEvent]:
            holding.mark_complete(conn, names, moment)  # for the held judgements
            return book.pass_time(conn, names, moment)

        return self._judge_missed(judged_and_marked)

    def _judge_missed(
        self, find: Callable[[Connection, DeadlineBook], list[CloudEvent]]
    ) -> tuple[Case, ...]:
        """In one transaction, judge the missed-deadline events `find` makes (and records)."""
        opened: list[Case] = []
        with self.engine.begin() as conn:
            tx = JudgingUnit(conn, self.rule_set(conn), self.clock)
            for missed in find(conn, tx.rules.deadlines):
                tx.record_made(missed)
                opened += self._open(tx, missed)
            tx.write()
        return tuple(opened)

    def _open(
        self,
        tx: JudgingUnit,
        event: CloudEvent,
        payload: dict[str, Any] | None = None,
        skip: frozenset[str] = frozenset(),
        read_at: stored_events.Position | None = None,
    ) -> list[Case]:
        """Judge `event` with the rule set, but the rules in `skip`; open a case per finding
        (a shadow rule's finding is recorded without one). `read_at`: where a held event was
        read, judged once every partition has passed it (state.aggregate)."""
        rules = tx.rules
        opened = []
        enrich = state.enrich(tx.stored, read_at)
        posted = event.to_dict() if payload is None else payload
        for match in rules.engine.judge(posted, enrich, rules.not_judging(posted) | skip):
            finding = make_finding(match.rule, match.event, event.time, match.related)
            if match.rule.key in rules.shadow:
                tx.shadow_finding(finding)
                log.info(
                    "shadow finding %s: %s by %s (no case: the rule runs in shadow)",
                    finding.finding_id,
                    match.rule.key,
                    finding.employee_id,
                    extra={"event_id": event.id},
                )
                continue
            if tx.snoozed.suppresses(finding, match.event, self.clock()):
                continue  # recorded and audited with its snooze, no case (judging/snoozes.py)
            case = self._case(tx, match, finding)
            tx.open(case)
            opened.append(case)
            log.info(
                "finding %s: %s by %s (clause %s) -> case %s, %s",
                finding.finding_id,
                match.rule.key,
                finding.employee_id,
                match.rule.clause,
                case.case_id,
                case.proposal_reasoning,
                extra={"event_id": event.id, "case_id": case.case_id},
            )
        return opened

    def _case(self, tx: JudgingUnit, match: Match, finding: Finding) -> Case:
        ladder = tx.rules.ladder
        since = finding.occurred_at - timedelta(days=ladder.lookback_days)
        prior = len([d for d in tx.record_of(finding.employee_id) if d.decided_at >= since])
        proposal = propose(ladder, match.rule.severity, match.rule.sanction, prior)
        return open_case(
            finding,
            proposal.sanction,
            opened_at=self.clock(),
            proposal_reasoning=proposal.reasoning,
            dismissal_review=proposal.dismissal_review,
            legal_referral=proposal.legal_referral,
        )
