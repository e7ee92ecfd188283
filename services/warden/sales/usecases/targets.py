"""Use cases of targets (2.1): set a team's yearly target, change one quota, read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warden.errors import NotFound
from warden.money import Money
from warden.platform.unit_of_work import Call
from warden.sales.domain import targets
from warden.sales.domain.periods import check_year
from warden.sales.domain.targets import Quota, Target
from warden.sales.usecases import events
from warden.sales.usecases.context import Context, salesperson
from warden.sales.usecases.ports import SalesUnitOfWork


@dataclass(frozen=True)
class TargetResult:
    target: Target
    event_id: str


def _money(money: Money) -> list[Any]:
    return [money.amount_minor, money.currency]


class Targets:
    def __init__(self, context: Context) -> None:
        self.context = context

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
        recorded_by: str = "",
    ) -> TargetResult:
        request = {
            "year": year,
            "team": team,
            "team_target": _money(team_target),
            "quotas": [[q.salesperson_id, *_money(q.amount)] for q in quotas],
            "difference_accepted": difference_accepted,
            "set_by": set_by,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[TargetResult, str]:
                check_year(year)
                for i, quota in enumerate(quotas):
                    salesperson(uow, quota.salesperson_id, f"quotas[{i}].salesperson_id")
                target = Target(
                    self.context.new_id(),
                    year,
                    team,
                    team_target,
                    tuple(quotas),
                    difference_accepted,
                    set_by,
                    reason,
                    self.context.clock(),
                )
                return self._record(uow, target, recorded_by)

            call = Call("SetTarget", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _result(uow, earlier))

    def set_quota(
        self,
        year: int,
        team: str,
        quota: Quota,
        difference_accepted: bool,
        set_by: str,
        reason: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> TargetResult:
        request = {
            "year": year,
            "team": team,
            "quota": [quota.salesperson_id, *_money(quota.amount)],
            "difference_accepted": difference_accepted,
            "set_by": set_by,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[TargetResult, str]:
                check_year(year)
                previous = uow.targets.current(year, team)
                if previous is None:
                    raise NotFound("target", f"{team} {year}")
                salesperson(uow, quota.salesperson_id, "quota.salesperson_id")
                target = targets.with_quota(
                    previous,
                    quota,
                    revision_id=self.context.new_id(),
                    difference_accepted=difference_accepted,
                    set_by=set_by,
                    reason=reason,
                    set_at=self.context.clock(),
                )
                return self._record(uow, target, recorded_by)

            call = Call("SetQuota", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _result(uow, earlier))

    @staticmethod
    def _record(uow: SalesUnitOfWork, target: Target, recorded_by: str) -> tuple[TargetResult, str]:
        ids = [q.salesperson_id for q in target.quotas]
        target = targets.set_target(target, uow.salespeople.teams_of(ids))
        event = events.recorded(events.target_set(target), recorded_by)
        uow.targets.add(target, event.id)
        uow.outbox.add(event)
        return TargetResult(target, event.id), target.revision_id

    def get_target(self, year: int, team: str) -> list[Target]:
        """Every revision of the team's target for the year, oldest first (the last in force)."""
        check_year(year)
        with self.context.uow() as uow:
            revisions = uow.targets.revisions(year, team)
        if not revisions:
            raise NotFound("target", f"{team} {year}")
        return [target for target, _ in revisions]


def _result(uow: SalesUnitOfWork, revision_id: str) -> TargetResult:
    return TargetResult(*uow.targets.by_revision(revision_id))
