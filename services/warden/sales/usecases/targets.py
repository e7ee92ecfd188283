"""Use cases of targets (2.1): set a team's yearly target, change one quota, read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from warden.errors import NotFound
from warden.money import Money
from warden.sales.domain import targets
from warden.sales.domain.periods import check_year
from warden.sales.domain.targets import Quota, Target
from warden.sales.storage import pipeline_store, store
from warden.sales.usecases import events
from warden.sales.usecases.base import UseCases


@dataclass(frozen=True)
class TargetResult:
    target: Target
    event_id: str


def _money(money: Money) -> list[Any]:
    return [money.amount_minor, money.currency]


class TargetUseCases(UseCases):
    def set_target(
        self,
        year: int,
        team: str,
        team_target: Money,
        quotas: list[Quota],
        difference_accepted: bool,
        set_by: str,
        reason: str = "",
        idempotency_key: str = "",
    ) -> TargetResult:
        request = {
            "year": year,
            "team": team,
            "team_target": _money(team_target),
            "quotas": [[q.salesperson_id, *_money(q.amount)] for q in quotas],
            "difference_accepted": difference_accepted,
            "set_by": set_by,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            if (earlier := self.earlier(conn, idempotency_key, "SetTarget", request)) is not None:
                return TargetResult(*pipeline_store.target_by_revision(conn, earlier))
            check_year(year)
            for i, quota in enumerate(quotas):
                self.salesperson(conn, quota.salesperson_id, f"quotas[{i}].salesperson_id")
            target = Target(
                self.new_id(),
                year,
                team,
                team_target,
                tuple(quotas),
                difference_accepted,
                set_by,
                reason,
                self.clock(),
            )
            return self._record(conn, target, idempotency_key, "SetTarget", request)

    def set_quota(
        self,
        year: int,
        team: str,
        quota: Quota,
        difference_accepted: bool,
        set_by: str,
        reason: str = "",
        idempotency_key: str = "",
    ) -> TargetResult:
        request = {
            "year": year,
            "team": team,
            "quota": [quota.salesperson_id, *_money(quota.amount)],
            "difference_accepted": difference_accepted,
            "set_by": set_by,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            if (earlier := self.earlier(conn, idempotency_key, "SetQuota", request)) is not None:
                return TargetResult(*pipeline_store.target_by_revision(conn, earlier))
            check_year(year)
            previous = pipeline_store.current_target(conn, year, team)
            if previous is None:
                raise NotFound("target", f"{team} {year}")
            self.salesperson(conn, quota.salesperson_id, "quota.salesperson_id")
            target = targets.with_quota(
                previous,
                quota,
                revision_id=self.new_id(),
                difference_accepted=difference_accepted,
                set_by=set_by,
                reason=reason,
                set_at=self.clock(),
            )
            return self._record(conn, target, idempotency_key, "SetQuota", request)

    def _record(
        self, conn: Connection, target: Target, key: str, operation: str, request: dict[str, Any]
    ) -> TargetResult:
        ids = [q.salesperson_id for q in target.quotas]
        target = targets.set_target(target, store.teams_of(conn, ids))
        event = events.target_set(target)
        pipeline_store.add_target(conn, target, event.id)
        self.emit(conn, event)
        self.remember(conn, key, operation, request, target.revision_id)
        return TargetResult(target, event.id)

    def get_target(self, year: int, team: str) -> list[Target]:
        """Every revision of the team's target for the year, oldest first (the last in force)."""
        check_year(year)
        with self.engine.connect() as conn:
            revisions = pipeline_store.target_revisions_of(conn, year, team)
        if not revisions:
            raise NotFound("target", f"{team} {year}")
        return [target for target, _ in revisions]
