"""Amounts and replies of the sales service as people type and read them (CLI and demo)."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from warden.money import MAX_MINOR
from warden.sales.edge import chart


def amount(text: str) -> int:
    """A decimal amount in major units ("1200", "1,200.50") as integer minor units."""
    try:
        value = Decimal(text.replace(",", "")) * 100
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount like 1200.50") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount like 1200.50")
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} has more than two decimals")
    if abs(value) > MAX_MINOR:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too large (at most {Decimal(MAX_MINOR) / 100:,.2f})"
        )
    return int(value)


def percent(bp: int) -> str:
    """Basis points as a percentage with two decimals, exactly (2850 -> "28.50%")."""
    sign = "-" if bp < 0 else ""
    whole, hundredths = divmod(abs(bp), 100)
    return f"{sign}{whole}.{hundredths:02d}%"


def money_text(money: Any) -> str:
    return chart.money(money.amount_minor, money.currency)


def report_text(report: Any) -> str:
    """A performance report in words (also used by the demo)."""
    t = report.totals

    def pct(line: Any, name: str) -> str:
        return percent(getattr(line, name)) if line.HasField(name) else "n/a"

    def mon(minor: int) -> str:
        return chart.money(minor, report.currency)

    target = mon(t.target_minor) if t.HasField("target_minor") else "no target set"
    lines = [
        f"Performance {report.scope} {report.scope_id}, {report.period_kind} {report.period} "
        f"({report.currency})",
        f"  target:    {target}",
        f"  signed:    {mon(t.signed_minor)} ({pct(t, 'signed_completion_bp')} of target)",
        f"  collected: {mon(t.collected_minor)} ({pct(t, 'collected_completion_bp')} of target)",
        "  pipeline at the period's end: "
        + ", ".join(f"{s.stage} {s.count} ({mon(s.value_minor)})" for s in report.pipeline),
        "  conversion in the period: "
        + ", ".join(
            f"{c.from_stage}->{c.to_stage} {c.converted}/{c.entered}" for c in report.conversions
        ),
    ]
    for m in report.members:
        member_target = mon(m.target_minor) if m.HasField("target_minor") else "-"
        lines.append(
            f"  {m.id:<16} target {member_target}, signed {mon(m.signed_minor)}, "
            f"collected {mon(m.collected_minor)}"
        )
    return "\n".join(lines)


def target_text(t: Any) -> str:
    quotas = ", ".join(f"{q.salesperson_id} {money_text(q.amount)}" for q in t.quotas)
    late = " (set after the year started)" if t.after_year_start else ""
    return (
        f"target {t.team} {t.year}: {money_text(t.team_target)}; quotas {quotas}; difference "
        f"{chart.money(t.difference_minor, t.team_target.currency)}{late}"
    )


def contract_text(c: Any) -> str:
    return (
        f"contract {c.contract_id} v{c.version}: total {money_text(c.total)}, collected "
        f"{money_text(c.collected)}, {c.off_list_unapproved_lines} off-list line(s) without "
        "approval"
    )
