"""Review: officers list and read cases and decide them; HR reads the decisions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from warden.compliance import events, store
from warden.compliance.domain.cases import Case, CaseStatus, Decision, Outcome, decide
from warden.errors import InvalidArgument, NotFound
from warden.platform.topics import HR_PENALTY_DECISIONS

log = logging.getLogger(__name__)


class Review:
    def __init__(
        self,
        engine: Engine,
        case_url_base: str = "warden://compliance/cases/",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.case_url_base = case_url_base
        self.clock = clock

    def list_cases(
        self, status: CaseStatus | None = None, page_size: int = 50, page_token: str = ""
    ) -> tuple[list[Case], str]:
        if page_size < 0 or page_size > 500:
            raise InvalidArgument("page_size", "must be between 1 and 500 (0 for the default 50)")
        size = page_size or 50
        try:
            offset = int(page_token) if page_token else 0
        except ValueError:
            raise InvalidArgument(
                "page_token", f"{page_token!r} is not a token this service issued"
            ) from None
        with self.engine.connect() as conn:
            found = store.list_cases(conn, status, size + 1, offset)
        next_token = str(offset + size) if len(found) > size else ""
        return found[:size], next_token

    def get_case(self, case_id: str) -> Case:
        with self.engine.connect() as conn:
            case = store.get_case(conn, case_id)
        if case is None:
            raise NotFound("case", case_id)
        return case

    def decide(self, case_id: str, officer_id: str, outcome: Outcome, reason: str) -> Decision:
        """Record an officer's decision; a confirmed sanction goes to HR through the outbox."""
        with self.engine.begin() as conn:
            case = store.get_case(conn, case_id)
            if case is None:
                raise NotFound("case", case_id)
            decided, decision = decide(case, officer_id, outcome, reason, self.clock())
            store.update_case_decision(conn, decided)
            store.add_decision(conn, decision)
            if decision.outcome is Outcome.CONFIRMED:
                event = events.penalty_decided(decision, self.case_url_base + case_id)
                store.outbox.add(conn, HR_PENALTY_DECISIONS, event)
        log.info("case %s %s by %s", case_id, outcome.value, officer_id)
        return decision

    def list_decisions(self, since: datetime | None, page_size: int = 100) -> list[Decision]:
        if page_size < 0 or page_size > 1000:
            raise InvalidArgument("page_size", "must be between 1 and 1000 (0 for the default 100)")
        with self.engine.connect() as conn:
            return store.list_decisions(conn, since, page_size or 100)
