"""The console's figures: the analytics page, and the sales performance and service-quality
reports fetched from the sales and after-sales services for the roles allowed to see them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from flask import g, request
from werkzeug.wrappers import Response

from warden.compliance.domain.analytics import MAX_WEEKS, parse_weeks
from warden.console import charts
from warden.console.reports import (
    REPORT_ROLES,
    ServiceRefused,
    quality_charts,
    quality_period,
    sales_charts,
    sales_query,
)
from warden.errors import InvalidArgument

if TYPE_CHECKING:
    from warden.console.app import Console

log = logging.getLogger(__name__)


def analytics_page(console: Console) -> Response:
    try:
        weeks = parse_weeks(request.args.get("weeks"))
    except InvalidArgument as exc:
        return console.page("message.html", 400, title="Bad period", error=str(exc))
    figures = console.analytics.compute(weeks)
    return console.page(
        "analytics.html",
        title="Analytics",
        weeks=weeks,
        max_weeks=MAX_WEEKS,
        first_week=figures.weeks[0],
        last_week=figures.weeks[-1],
        overall=charts.hours(figures.time_to_decision.overall),
        decided=figures.time_to_decision.decided,
        charts=charts.charts(figures),
    )


def sales_report(console: Console) -> Response:
    return _report(
        console, "sales", "Sales performance report", sales_query, partial(_sales_charts, console)
    )


def quality_report(console: Console) -> Response:
    return _report(
        console,
        "quality",
        "Service-quality report",
        quality_period,
        partial(_quality_charts, console),
    )


def _sales_charts(console: Console, query: Any) -> tuple[str, list[charts.Chart]]:
    assert console.reports is not None
    report = console.reports.sales(g.identity, query)
    about = f"{report.scope} {report.scope_id}, {report.period} ({report.period_kind})"
    return about, sales_charts(report)


def _quality_charts(console: Console, period: Any) -> tuple[str, list[charts.Chart]]:
    assert console.reports is not None
    reply = console.reports.quality(g.identity, period)
    overall = reply.overall
    about = f"tickets received in {reply.period}: {overall.tickets}, surveys {overall.surveys}"
    return about, quality_charts(reply)


def _report(
    console: Console,
    kind: str,
    title: str,
    parse: Callable[[Any], Any],
    fetch: Callable[[Any], tuple[str, list[charts.Chart]]],
) -> Response:
    """A report page: the caller's role, the parameters, then the service's figures."""
    if not g.identity.has_any(REPORT_ROLES):
        text = (
            "The sales and service-quality reports are for administrators: the sales and "
            "after-sales services show them to their own staff and to admins only."
        )
        return console.page("message.html", 403, title="Not allowed", text=text)
    if console.reports is None:
        text = "The console is not connected to the sales and after-sales services."
        return console.page("message.html", 404, title="Not found", text=text)
    params = request.args.to_dict()
    status, error, about = 200, "", ""
    shown: list[charts.Chart] = []
    try:
        query = parse(request.args)
        if query is not None:  # no parameters yet: the form alone
            about, shown = fetch(query)
    except InvalidArgument as exc:
        status, error = 400, str(exc)
    except ServiceRefused as exc:
        log.warning("console: %s report for %s: %s", kind, g.who, exc)
        status, error = exc.status, str(exc)
    return console.page(
        "report.html",
        status,
        title=title,
        kind=kind,
        params=params,
        error=error,
        charts=shown,
        about=about,
    )
