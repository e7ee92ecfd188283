"""The sanction ladder of policy 4.3: the proposal follows severity and the employee's record."""

from __future__ import annotations

from dataclasses import dataclass, field

from warden.compliance.domain.sanctions import Sanction, SanctionKind


@dataclass(frozen=True)
class Step:
    """One rung: the sanction, and for serious violations (4.3.2) the review and referral flags."""

    sanction: Sanction
    dismissal_review: bool = False
    legal_referral: bool = False


@dataclass(frozen=True)
class Ladder:
    """Rungs per severity; the n-th confirmed violation within `lookback_days` climbs n rungs."""

    lookback_days: int
    steps: dict[str, tuple[Step, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    """What the engine proposes for one finding, for a person to decide; never final."""

    sanction: Sanction
    reasoning: str
    dismissal_review: bool = False
    legal_referral: bool = False


DEFAULT_LADDER = Ladder(
    lookback_days=365,
    steps={
        "minor": (
            Step(Sanction(SanctionKind.WARNING)),
            Step(Sanction(SanctionKind.FINE, 20_000, "EUR")),
            Step(Sanction(SanctionKind.SUSPENSION, days=3)),
        ),
        "major": (
            Step(Sanction(SanctionKind.FINE, 50_000, "EUR")),
            Step(Sanction(SanctionKind.SUSPENSION, days=5)),
        ),
        "critical": (
            Step(Sanction(SanctionKind.SUSPENSION, days=10), True, True),
            Step(Sanction(SanctionKind.DISMISSAL), True, True),
        ),
    },
)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def propose(ladder: Ladder, severity: str, rule_sanction: Sanction, prior: int) -> Proposal:
    """The proposal for a `severity` finding of an employee with `prior` confirmed violations
    in the look-back. A first violation gets the rule's own sanction (with the first rung's
    flags); each earlier one climbs a rung, staying on the last."""
    steps = ladder.steps.get(severity) or (Step(rule_sanction),)
    rung = min(prior, len(steps) - 1)
    step = steps[rung]
    sanction = rule_sanction if prior == 0 else step.sanction
    record = (
        f"no confirmed violation in the {ladder.lookback_days} days before"
        if prior == 0
        else f"{prior} confirmed violation(s) in the {ladder.lookback_days} days before"
    )
    source = "the rule's proposal" if prior == 0 else f"{severity} rung {rung + 1} of {len(steps)}"
    flags = [
        text
        for on, text in (
            (step.dismissal_review, "dismissal review (4.3.2)"),
            (step.legal_referral, "legal referral (4.3.2)"),
        )
        if on
    ]
    reasoning = (
        f"{_ordinal(prior + 1)} violation ({record}); {severity} -> {sanction} ({source})"
        + (f"; plus {' and '.join(flags)}" if flags else "")
    )
    return Proposal(sanction, reasoning, step.dismissal_review, step.legal_referral)
