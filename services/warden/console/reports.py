"""The sales performance and service-quality reports in the console, fetched from the sales
and after-sales services over gRPC. Each call carries a short-lived API token issued for the
logged-in person (their subject, their admin role), so the services see the caller as the
actor; a service that does not answer is named with its address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import grpc
from markupsafe import Markup

from warden.aftersales.domain.quality import month_bounds
from warden.config import Settings
from warden.console.charts import Chart
from warden.errors import InvalidArgument
from warden.platform.auth import ADMIN, API, Identity, issue_token
from warden.platform.charts import Series, bar_chart, legend
from warden.platform.tls import open_channel
from warden.sales.domain.periods import parse_period
from warden.v1 import aftersales_pb2, aftersales_pb2_grpc, sales_pb2, sales_pb2_grpc

# Who may open the reports: the sales service allows its reports to sales staff and admins,
# the after-sales one to after-sales staff and admins; of those, only admins use the console.
REPORT_ROLES = frozenset({ADMIN})
TOKEN_TTL_S = 60
SCOPES = ("team", "salesperson")
_ID = re.compile(r"^[\w.@-]{1,200}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ServiceRefused(Exception):
    """The service answered with an error, or did not answer: an HTTP status and the words."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status


@dataclass(frozen=True)
class SalesQuery:
    scope: str
    scope_id: str
    period: str
    currency: str


def sales_query(args: Any) -> SalesQuery | None:
    """The sales report's parameters, checked as the sales service checks them; None when none
    are given (the page shows its form)."""
    scope = args.get("scope", "").strip() or "team"
    scope_id, period = args.get("id", "").strip(), args.get("period", "").strip()
    currency = args.get("currency", "").strip().upper()
    if not scope_id and not period:
        return None
    if scope not in SCOPES:
        raise InvalidArgument("scope", f"choose team or salesperson, not {scope!r}")
    if not _ID.match(scope_id):
        raise InvalidArgument("id", f"give the {scope}'s id (letters, digits, . @ _ -)")
    parse_period(period)
    if currency and not _CURRENCY.match(currency):
        raise InvalidArgument("currency", f"{currency!r} is not a three-letter currency code")
    return SalesQuery(scope, scope_id, period, currency)


def quality_period(args: Any) -> str | None:
    """The quality report's month, checked as the after-sales service checks it."""
    period: str = args.get("period", "").strip()
    if not period:
        return None
    month_bounds(period)
    return period


class Reports:
    def __init__(
        self,
        secret: str,
        sales_address: str,
        aftersales_address: str,
        settings: Settings | None = None,
        timeout_s: float = 5.0,
    ) -> None:
        self.secret = secret
        self.addresses = {"sales": sales_address, "after-sales": aftersales_address}
        self.settings = settings or Settings()
        self.timeout_s = timeout_s

    def sales(self, identity: Identity, q: SalesQuery) -> sales_pb2.PerformanceReport:
        request = sales_pb2.GetPerformanceReportRequest(
            scope=q.scope, scope_id=q.scope_id, period=q.period, currency=q.currency
        )
        reply = self._call(
            "sales",
            identity,
            lambda ch: sales_pb2_grpc.SalesServiceStub(ch).GetPerformanceReport(
                request, timeout=self.timeout_s
            ),
        )
        report: sales_pb2.PerformanceReport = reply.report
        return report

    def quality(self, identity: Identity, period: str) -> aftersales_pb2.GetQualityReportResponse:
        request = aftersales_pb2.GetQualityReportRequest(period=period)
        reply: aftersales_pb2.GetQualityReportResponse = self._call(
            "after-sales",
            identity,
            lambda ch: aftersales_pb2_grpc.AfterSalesServiceStub(ch).GetQualityReport(
                request, timeout=self.timeout_s
            ),
        )
        return reply

    def _call(self, service: str, identity: Identity, call: Any) -> Any:
        roles = set(identity.roles) & REPORT_ROLES
        token = issue_token(self.secret, identity.subject, roles, TOKEN_TTL_S, audience=API)
        address = self.addresses[service]
        with open_channel(address, self.settings, token) as channel:
            try:
                return call(channel)
            except grpc.RpcError as exc:
                raise _refusal(service, address, exc) from None


_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 403,
}


def _refusal(service: str, address: str, exc: grpc.RpcError) -> ServiceRefused:
    code, details = exc.code(), exc.details() or ""
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        return ServiceRefused(
            503,
            f"The {service} service at {address} is unreachable ({code.name.lower()}); "
            "the report cannot be shown now. Try again once the service is running.",
        )
    status = _STATUS.get(code, 502)
    return ServiceRefused(status, f"The {service} service refused the report: {details}")


def _money(minor: int) -> float:
    return minor / 100


def sales_charts(report: sales_pb2.PerformanceReport) -> list[Chart]:
    """Target, signed and collected per salesperson (or the total), and the pipeline."""
    lines = list(report.members) or [report.totals]
    names = [line.id for line in lines]
    cur = report.currency

    def fmt(v: float) -> str:
        return f"{v:,.2f} {cur}"

    series = [
        Series(
            "target", [_money(m.target_minor) if m.HasField("target_minor") else 0 for m in lines]
        ),
        Series("signed", [_money(m.signed_minor) for m in lines]),
        Series("collected", [_money(m.collected_minor) for m in lines]),
    ]
    stages = list(report.pipeline)
    pipeline = [Series("opportunities", [s.count for s in stages])]
    return [
        Chart(
            "sales-performance",
            "Target against actual",
            Markup(
                bar_chart(
                    "sales-performance",
                    "Target against actual",
                    f"Target, signed and collected revenue in {cur} for {report.scope} "
                    f"{report.scope_id}, {report.period}.",
                    names,
                    series,
                    report.scope if report.members else "salesperson",
                    cur,
                    fmt,
                )
            ),
            Markup(legend(series)),
            ["Salesperson", "Target", "Signed", "Collected", "Signed / target"],
            [
                [
                    m.id,
                    fmt(_money(m.target_minor)) if m.HasField("target_minor") else "-",
                    fmt(_money(m.signed_minor)),
                    fmt(_money(m.collected_minor)),
                    f"{m.signed_completion_bp / 100:.1f} %"
                    if m.HasField("signed_completion_bp")
                    else "-",
                ]
                for m in lines
            ],
        ),
        Chart(
            "sales-pipeline",
            "Pipeline at the period's end",
            Markup(
                bar_chart(
                    "sales-pipeline",
                    "Pipeline at the period's end",
                    "Opportunities at each stage of the sales process when the period ended.",
                    [s.stage for s in stages],
                    pipeline,
                    "stage",
                    "opportunities",
                )
            ),
            Markup(legend(pipeline)),
            ["Stage", "Opportunities", "Estimated value"],
            [[s.stage, str(s.count), fmt(_money(s.value_minor))] for s in stages],
        ),
    ]


def _share(bp: int) -> str:
    return "-" if bp < 0 else f"{bp / 100:.1f} %"


def quality_charts(reply: aftersales_pb2.GetQualityReportResponse) -> list[Chart]:
    """The survey scores, and per agent the share of tickets within commitment."""
    spread = list(reply.overall.satisfaction_distribution)
    scores = [Series("surveys", [c.count for c in spread])]
    agents = list(reply.by_agent)
    within = [Series("within commitment %", [max(a.within_commitment_bp, 0) / 100 for a in agents])]
    return [
        Chart(
            "quality-scores",
            "Survey scores",
            Markup(
                bar_chart(
                    "quality-scores",
                    "Survey scores",
                    f"How many surveys gave each score, tickets received in {reply.period}.",
                    [f"score {c.score}" for c in spread],
                    scores,
                    "score",
                    "surveys",
                )
            ),
            Markup(legend(scores)),
            ["Score", "Surveys"],
            [[str(c.score), str(c.count)] for c in spread],
        ),
        Chart(
            "quality-agents",
            "Within commitment by agent",
            Markup(
                bar_chart(
                    "quality-agents",
                    "Within commitment by agent",
                    "Share of each agent's judged tickets handled within the service commitment.",
                    [a.group for a in agents],
                    within,
                    "agent",
                    "% within commitment",
                    lambda v: f"{v:.1f} %",
                )
            ),
            Markup(legend(within)),
            ["Agent", "Tickets", "Surveys", "Satisfaction", "Within commitment", "Reopened"],
            [
                [
                    a.group,
                    str(a.tickets),
                    str(a.surveys),
                    f"{a.satisfaction_average:.2f}" if a.has_satisfaction else "-",
                    _share(a.within_commitment_bp),
                    _share(a.reopen_rate_bp),
                ]
                for a in [*agents, reply.overall]
            ],
        ),
    ]
