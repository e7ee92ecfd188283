"""After-sales replies in words and pictures: tickets, fees and the quality report for the CLI
and the demo, and the report's chart as one HTML file with inline SVG (no plotting library)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from warden.v1 import aftersales_pb2 as pb


def _when(stamp: Any) -> str:
    if not stamp.seconds and not stamp.nanos:
        return "-"
    return stamp.ToDatetime().strftime("%Y-%m-%d %H:%M") + "Z"


def ticket_line(t: pb.Ticket) -> str:
    archived = " [archived]" if t.archived else ""
    return (
        f"{t.ticket_id}  {t.status:<11} {t.priority or '--':<3} {t.category or '-':<10} "
        f"{t.agent_id:<10} {t.customer_id:<8} {t.product_id}{archived}"
    )


def ticket_text(reply: pb.GetTicketResponse) -> str:
    t = reply.ticket
    lines = [
        ticket_line(t),
        f"  problem:    {t.description}",
        f"  received:   {_when(t.received_at)} over {t.channel}",
        f"  due:        first response {_when(t.first_response_due)}, "
        f"resolution {_when(t.resolution_due)}",
        f"  resolution: {t.resolution or '-'}",
        f"  survey:     {t.survey_score or '-'} {t.survey_comment}",
        "  history:",
    ]
    for step in reply.history:
        detail = json.loads(step.detail_json)
        facts = ", ".join(f"{k}={v}" for k, v in detail.items() if k not in ("message",))
        lines.append(f"    {_when(step.at)}  {step.kind:<19} by {step.actor:<10} {facts}")
    for e in reply.escalations:
        lines.append(f"  escalation {e.escalation_id} to {e.department}: {e.status}")
    return "\n".join(lines)


def fee_line(fee: pb.Fee) -> str:
    units, cents = divmod(fee.amount.amount_minor, 100)
    flags = ", ".join(fee.flags) or "ok"
    return (
        f"{fee.fee_id}  {fee.ticket_id}  {fee.agent_id:<10} {fee.service_code:<12} "
        f"{units:,}.{cents:02d} {fee.amount.currency}  warranty={fee.warranty}  [{flags}]"
    )


def _bp(value: int) -> str:
    return "-" if value < 0 else f"{value / 100:.1f}%"


def _minutes(value: int) -> str:
    if value < 0:
        return "-"
    hours, minutes = divmod(value, 60)
    return f"{hours}h{minutes:02d}"


def _figures_row(f: pb.QualityFigures) -> str:
    satisfaction = f"{f.satisfaction_average:.2f}" if f.has_satisfaction else "-"
    return (
        f"{f.group:<12} {f.tickets:>7} {f.surveys:>7} {satisfaction:>6} "
        f"{f.first_response_met:>3}/{f.first_response_met + f.first_response_missed:<3} "
        f"{_minutes(f.mean_first_response_minutes):>8} "
        f"{f.resolution_met:>3}/{f.resolution_met + f.resolution_missed:<3} "
        f"{_minutes(f.mean_resolution_minutes):>8} {_bp(f.within_commitment_bp):>7} "
        f"{_bp(f.reopen_rate_bp):>7} {f.escalations:>4} {f.reassignments:>6}"
    )


HEADER = (
    f"{'group':<12} {'tickets':>7} {'surveys':>7} {'satisf':>6} {'1st ok':>7} {'mean 1st':>8} "
    f"{'res ok':>7} {'mean res':>8} {'in-SLA':>7} {'reopen':>7} {'esc':>4} {'reasgn':>6}"
)


def report_text(reply: pb.GetQualityReportResponse) -> str:
    overall = reply.overall
    spread = " ".join(f"{c.score}:{c.count}" for c in overall.satisfaction_distribution)
    lines = [
        f"Service quality {reply.period} (tickets received {_when(reply.period_start)} to "
        f"{_when(reply.period_end)}, as of {_when(reply.computed_at)})",
        f"satisfaction distribution {spread}; closed without resolution: "
        f"{overall.closed_without_resolution}",
        HEADER,
        _figures_row(overall),
        "by agent:",
        *(_figures_row(f) for f in reply.by_agent),
        "by category:",
        *(_figures_row(f) for f in reply.by_category),
    ]
    if reply.report_id:
        lines.append(f"published as report {reply.report_id}")
    return "\n".join(lines)


def _bars(title: str, rows: list[tuple[str, float, str]], maximum: float, colour: str) -> str:
    """A horizontal bar chart: (label, value, value text) per row."""
    height = 30 + 26 * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="560" height="{height}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value, text) in enumerate(rows):
        y = 28 + 26 * i
        width = 0 if maximum <= 0 else int(360 * max(value, 0) / maximum)
        parts += [
            f'<text x="0" y="{y + 15}">{escape(label)}</text>',
            f'<rect x="130" y="{y}" width="{width}" height="20" fill="{colour}"/>',
            f'<text x="{136 + width}" y="{y + 15}">{escape(text)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def report_html(reply: pb.GetQualityReportResponse) -> str:
    """The report as a page: satisfaction spread, and per agent and category the share within
    commitment and the mean satisfaction, as bars a person can take in at a glance."""
    spread = [
        (f"score {c.score}", c.count, str(c.count)) for c in reply.overall.satisfaction_distribution
    ]
    most = max((c.count for c in reply.overall.satisfaction_distribution), default=0)
    groups = [("agent", list(reply.by_agent)), ("category", list(reply.by_category))]
    charts = [_bars("Survey scores (all tickets)", spread, most, "#4a7ebb")]
    for kind, figures in groups:
        charts.append(
            _bars(
                f"Within commitment, by {kind}",
                [
                    (f.group, max(f.within_commitment_bp, 0) / 100, _bp(f.within_commitment_bp))
                    for f in figures
                ],
                100,
                "#3c9a5f",
            )
        )
        charts.append(
            _bars(
                f"Mean satisfaction (1-5), by {kind}",
                [
                    (
                        f.group,
                        f.satisfaction_average,
                        f"{f.satisfaction_average:.2f}" if f.has_satisfaction else "-",
                    )
                    for f in figures
                ],
                5,
                "#d08a2c",
            )
        )
    body = "\n".join(f"<figure>{chart}</figure>" for chart in charts)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>Service quality {escape(reply.period)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}svg text{font-size:13px}</style>"
        f"</head><body><h1>Service quality {escape(reply.period)}</h1>"
        f"<pre>{escape(report_text(reply))}</pre>\n{body}\n</body></html>\n"
    )
