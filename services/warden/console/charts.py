"""The analytics page's charts, built from the computed figures: each is an SVG (marked safe
for the template; every text in it is escaped by platform/charts.py) with its table rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup

from warden.compliance.review.analytics import Analytics
from warden.platform.charts import PALETTE, Series, bar_chart, legend


@dataclass(frozen=True)
class Chart:
    chart_id: str
    heading: str
    svg: Markup
    legend: Markup
    columns: list[str]
    rows: list[list[str]]


def hours(span: timedelta | None) -> str:
    return "-" if span is None else f"{span.total_seconds() / 3600:.1f} h"


def _weekly(
    chart_id: str,
    heading: str,
    weeks: list[str],
    counts: dict[str, list[int]],
    what: str,
    colours: dict[str, str],
) -> Chart:
    series = [Series(key, values, colours.get(key, "")) for key, values in counts.items()]
    svg = bar_chart(
        chart_id,
        heading,
        f"{what} per ISO week over {len(weeks)} weeks, one bar per "
        f"{'series' if series else 'series (none in the period)'}.",
        weeks,
        series,
        "ISO week",
        "count",
    )
    rows = [[week, *(str(s.values[i]) for s in series)] for i, week in enumerate(weeks)]
    return Chart(chart_id, heading, Markup(svg), Markup(legend(series)), ["Week", *counts], rows)


def charts(figures: Analytics) -> list[Chart]:
    """The analytics page's charts, each with its table: cases opened and decided per week by
    clause, median time to a decision, open cases by age, findings per rule, precision."""
    weeks = figures.weeks
    # One colour per clause on both weekly charts of cases.
    case_clauses = sorted({*figures.opened, *figures.decided})
    by_clause = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(case_clauses)}
    findings = {f"{rule} (active)": v for rule, v in figures.findings.items()}
    findings |= {f"{rule} (shadow)": v for rule, v in figures.shadow.items()}
    findings = dict(sorted(findings.items()))
    return [
        _weekly(
            "opened",
            "Cases opened per week by clause",
            weeks,
            figures.opened,
            "Cases opened",
            by_clause,
        ),
        _weekly(
            "decided",
            "Cases decided per week by clause",
            weeks,
            figures.decided,
            "Cases first decided",
            by_clause,
        ),
        _time_to_decision(figures),
        _open_by_age(figures),
        _weekly(
            "findings",
            "Findings per rule per week",
            weeks,
            findings,
            "Findings (active and shadow)",
            {},
        ),
        _precision(figures),
    ]


def _time_to_decision(figures: Analytics) -> Chart:
    ttd = figures.time_to_decision
    median_hours = [
        round(span.total_seconds() / 3600, 1) if span is not None else 0.0
        for span in ttd.by_clause.values()
    ]
    median_series = [Series("median hours", median_hours)]
    return Chart(
        "time-to-decision",
        "Median time to a decision by clause",
        Markup(
            bar_chart(
                "time-to-decision",
                "Median time to a decision by clause",
                f"Median hours from opening to the first decision of the {ttd.decided} cases "
                f"decided in the period; overall {hours(ttd.overall)}.",
                list(ttd.by_clause),
                median_series,
                "clause",
                "hours",
            )
        ),
        Markup(legend(median_series)),
        ["Clause", "Median"],
        [[c, hours(s)] for c, s in ttd.by_clause.items()] + [["all", hours(ttd.overall)]],
    )


def _open_by_age(figures: Analytics) -> Chart:
    ages = [Series("open cases", [n for _, n in figures.open_by_age])]
    return Chart(
        "open-by-age",
        "Open cases by age",
        Markup(
            bar_chart(
                "open-by-age",
                "Open cases by age",
                "Cases not decided, counted by the time since they were opened.",
                [label for label, _ in figures.open_by_age],
                ages,
                "age since opened",
                "open cases",
            )
        ),
        Markup(legend(ages)),
        ["Age", "Open cases"],
        [[label, str(n)] for label, n in figures.open_by_age],
    )


def _precision(figures: Analytics) -> Chart:
    judged = {rule: p for rule, p in figures.precision.items() if p.value is not None}
    precision = [Series("precision %", [round((p.value or 0) * 100, 1) for p in judged.values()])]
    return Chart(
        "precision",
        "Precision per rule from outcome labels",
        Markup(
            bar_chart(
                "precision",
                "Precision per rule from outcome labels",
                "True violations / (true violations + false positives) among each rule's "
                "labelled findings, all versions.",
                list(judged),
                precision,
                "rule",
                "precision %",
                lambda v: f"{v:g} %",
            )
        ),
        Markup(legend(precision)),
        ["Rule", "True violations", "False positives", "Inconclusive", "Precision"],
        [
            [
                rule,
                str(p.true_violations),
                str(p.false_positives),
                str(p.inconclusive),
                "-" if p.value is None else f"{p.value * 100:.1f} %",
            ]
            for rule, p in figures.precision.items()
        ],
    )
