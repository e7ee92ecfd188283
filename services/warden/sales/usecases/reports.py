"""Use cases of reporting: performance reports (2.3), reported sales and expenses (4.1.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warden.errors import InvalidArgument, NotFound
from warden.money import Money
from warden.platform.unit_of_work import Call
from warden.sales.domain import conduct, performance
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.performance import OpenValue, PerformanceReport, Revenue
from warden.sales.domain.periods import Period, parse_day, parse_period
from warden.sales.usecases import events
from warden.sales.usecases.context import Context, salesperson
from warden.sales.usecases.ports import Publication, SalesUnitOfWork

SCOPES = ("salesperson", "team")


@dataclass(frozen=True)
class SalesReportResult:
    report: SalesReport
    event_id: str


@dataclass(frozen=True)
class PublishedResult:
    report_id: str
    report: PerformanceReport
    published_at: datetime
    event_id: str


class Reports:
    def __init__(self, context: Context) -> None:
        self.context = context

    def performance_report(
        self, scope: str, scope_id: str, period: str, currency: str = ""
    ) -> PerformanceReport:
        with self.context.uow() as uow:
            return _performance(uow, scope, scope_id, parse_period(period), currency)

    def publish_report(
        self,
        scope: str,
        scope_id: str,
        period: str,
        recipients: list[str],
        published_by: str,
        currency: str = "",
        idempotency_key: str = "",
    ) -> PublishedResult:
        request = {
            "scope": scope,
            "scope_id": scope_id,
            "period": period,
            "currency": currency,
            "recipients": recipients,
            "published_by": published_by,
        }
        with self.context.uow() as uow:

            def act() -> tuple[PublishedResult, str]:
                if not recipients or any(not r.strip() for r in recipients):
                    raise InvalidArgument("recipients", "name at least one recipient, none empty")
                report = _performance(uow, scope, scope_id, parse_period(period), currency)
                report_id, at = self.context.new_id(), self.context.clock()
                event = events.report_published(report_id, report, recipients, published_by, at)
                published = Publication(report_id, report, tuple(recipients), published_by, at)
                uow.reports.add_publication(published, event.id)
                uow.outbox.add(event)
                return PublishedResult(report_id, report, at, event.id), report_id

            def replay(report_id: str) -> PublishedResult:
                published, event_id = uow.reports.publication(report_id)
                return PublishedResult(
                    report_id, published.report, published.published_at, event_id
                )

            return uow.once(Call("PublishReport", idempotency_key, request), act, replay)

    def report_sales(
        self,
        salesperson_id: str,
        period: str,
        reported: Money,
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> SalesReportResult:
        request = {
            "salesperson_id": salesperson_id,
            "period": period,
            "reported": [reported.amount_minor, reported.currency],
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[SalesReportResult, str]:
                span = parse_period(period)
                salesperson(uow, salesperson_id)
                conduct.check_reported(reported)
                people, currency = [salesperson_id], reported.currency
                report = SalesReport(
                    self.context.new_id(),
                    salesperson_id,
                    span,
                    reported,
                    performance.revenue_in(_signed(uow, people, currency), span, salesperson_id),
                    performance.revenue_in(_collected(uow, people, currency), span, salesperson_id),
                    self.context.clock(),
                )
                event = events.recorded(events.sales_reported(report), recorded_by)
                uow.reports.add_sales_report(report, event.id)
                uow.outbox.add(event)
                return SalesReportResult(report, event.id), report.report_id

            def replay(report_id: str) -> SalesReportResult:
                return SalesReportResult(*uow.reports.sales_report(report_id))

            return uow.once(Call("ReportSales", idempotency_key, request), act, replay)

    def record_expense(
        self,
        salesperson_id: str,
        customer_id: str,
        kind: str,
        amount: Money,
        incurred_on: str,
        description: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> tuple[str, str]:
        """Record a customer-facing expense; returns (expense_id, event_id)."""
        request = {
            "salesperson_id": salesperson_id,
            "customer_id": customer_id,
            "kind": kind,
            "amount": [amount.amount_minor, amount.currency],
            "incurred_on": incurred_on,
            "description": description,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[tuple[str, str], str]:
                salesperson(uow, salesperson_id)
                expense = conduct.check_expense(
                    Expense(
                        self.context.new_id(),
                        salesperson_id,
                        customer_id,
                        kind,
                        amount,
                        parse_day(incurred_on, "incurred_on"),
                        description,
                        self.context.clock(),
                    )
                )
                event = events.recorded(events.expense_recorded(expense), recorded_by)
                uow.reports.add_expense(expense, event.id)
                uow.outbox.add(event)
                return (expense.expense_id, event.id), expense.expense_id

            def replay(expense_id: str) -> tuple[str, str]:
                return expense_id, uow.reports.expense_event_id(expense_id)

            return uow.once(Call("RecordExpense", idempotency_key, request), act, replay)


def _performance(
    uow: SalesUnitOfWork, scope: str, scope_id: str, period: Period, currency: str
) -> PerformanceReport:
    if scope not in SCOPES:
        raise InvalidArgument("scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
    if scope == "salesperson":
        team, people = salesperson(uow, scope_id, "scope_id").team, [scope_id]
    else:
        team, people = scope_id, uow.salespeople.team_members(scope_id)
        if not people:
            raise NotFound("scope_id: team", scope_id)
    target = uow.targets.current(period.year, team)
    currency = _currency(currency, target.team_target.currency if target else "", period)
    quotas = {sid: target.quota_for(sid, period) if target else None for sid in people}
    opps = uow.pipeline.of_salespeople(people)
    return performance.build_report(
        scope,
        scope_id,
        period,
        currency,
        quotas,
        target.team_target_for(period) if target else None,
        _signed(uow, people, currency),
        _collected(uow, people, currency),
        [
            OpenValue(
                o.opportunity_id,
                o.salesperson_id,
                o.estimated_value.amount_minor if o.estimated_value.currency == currency else 0,
            )
            for o in opps
        ],
        uow.pipeline.history([o.opportunity_id for o in opps]),
    )


def _currency(asked: str, target_currency: str, period: Period) -> str:
    if asked and target_currency and asked != target_currency:
        raise InvalidArgument("currency", f"the {period.year} target is in {target_currency}")
    if not (asked or target_currency):
        raise InvalidArgument("currency", f"is required: no target is set for {period.year}")
    return asked or target_currency


def _signed(uow: SalesUnitOfWork, people: list[str], currency: str) -> list[Revenue]:
    return [
        Revenue(c.salesperson_id, c.signed_at, c.total.amount_minor)
        for c in uow.contracts.of_salespeople(people)
        if c.currency == currency
    ]


def _collected(uow: SalesUnitOfWork, people: list[str], currency: str) -> list[Revenue]:
    return [
        Revenue(p.salesperson_id, p.collected_at, p.amount.amount_minor)
        for p in uow.contracts.payments_by(people)
        if p.amount.currency == currency
    ]
