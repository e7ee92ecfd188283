"""Sales targets (2.1): a yearly team target broken down into one quota per salesperson."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from warden.errors import InvalidArgument
from warden.money import Money
from warden.sales.domain.periods import Period, check_year, share_of_year


@dataclass(frozen=True)
class Quota:
    salesperson_id: str
    amount: Money


@dataclass(frozen=True)
class Target:
    """One revision of a team's target for a year; the latest revision is the one in force."""

    revision_id: str
    year: int
    team: str
    team_target: Money
    quotas: tuple[Quota, ...]
    difference_accepted: bool
    set_by: str
    reason: str
    set_at: datetime

    @property
    def quotas_total(self) -> int:
        return sum(q.amount.amount_minor for q in self.quotas)

    @property
    def difference_minor(self) -> int:
        """Team target minus the sum of the quotas (positive: quotas fall short)."""
        return self.team_target.amount_minor - self.quotas_total

    @property
    def after_year_start(self) -> bool:
        return self.set_at.year >= self.year

    def quota_of(self, salesperson_id: str) -> Quota | None:
        return next((q for q in self.quotas if q.salesperson_id == salesperson_id), None)

    def team_target_for(self, period: Period) -> int:
        return share_of_year(self.team_target.amount_minor, period)

    def quota_for(self, salesperson_id: str, period: Period) -> int | None:
        quota = self.quota_of(salesperson_id)
        return None if quota is None else share_of_year(quota.amount.amount_minor, period)


def set_target(target: Target, teams: Mapping[str, str]) -> Target:
    """Check a new target revision; `teams` maps each quota's salesperson to their team."""
    check_year(target.year)
    if target.team_target.amount_minor <= 0:
        raise InvalidArgument("team_target.amount_minor", "must be positive")
    if not target.quotas:
        raise InvalidArgument("quotas", "a target is broken down into at least one quota")
    seen: set[str] = set()
    for i, quota in enumerate(target.quotas):
        _check_quota(i, quota, target, teams, seen)
    if target.difference_minor and not target.difference_accepted:
        raise InvalidArgument(
            "quotas",
            f"add up to {Money(target.quotas_total, target.team_target.currency)}, the team "
            f"target is {target.team_target}: make them add up, or state the difference with "
            "difference_accepted",
        )
    if target.after_year_start and not target.reason.strip():
        raise InvalidArgument("reason", f"is required to set a target once {target.year} started")
    return target


def _check_quota(
    i: int, quota: Quota, target: Target, teams: Mapping[str, str], seen: set[str]
) -> None:
    field = f"quotas[{i}]"
    if quota.salesperson_id in seen:
        raise InvalidArgument(f"{field}.salesperson_id", f"{quota.salesperson_id!r} twice")
    seen.add(quota.salesperson_id)
    if teams.get(quota.salesperson_id) != target.team:
        raise InvalidArgument(
            f"{field}.salesperson_id",
            f"{quota.salesperson_id!r} is in team {teams.get(quota.salesperson_id)!r}, "
            f"not {target.team!r}",
        )
    if quota.amount.currency != target.team_target.currency:
        raise InvalidArgument(f"{field}.amount.currency", "must be the team target's currency")
    if quota.amount.amount_minor <= 0:
        raise InvalidArgument(f"{field}.amount.amount_minor", "must be positive")


def with_quota(previous: Target, quota: Quota, **changes: object) -> Target:
    """A new revision of `previous` with one salesperson's quota replaced (or added)."""
    quotas = [quota if q.salesperson_id == quota.salesperson_id else q for q in previous.quotas]
    if quota not in quotas:
        quotas.append(quota)
    return replace(previous, quotas=tuple(quotas), **changes)  # type: ignore[arg-type]
