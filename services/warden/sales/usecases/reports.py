"""Use cases of reporting: performance reports (2.3), reported sales and expenses (4.1.1)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from warden.errors import InvalidArgument, NotFound
from warden.money import Money
from warden.sales.domain import conduct, performance
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.performance import OpenValue, PerformanceReport, Revenue
from warden.sales.domain.periods import Period, parse_day, parse_period
from warden.sales.storage import contracts_store, pipeline_store, store
from warden.sales.storage.store import dumps
from warden.sales.usecases import events
from warden.sales.usecases.base import UseCases

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


class ReportUseCases(UseCases):
    def performance_report(
        self, scope: str, scope_id: str, period: str, currency: str = ""
    ) -> PerformanceReport:
        with self.engine.connect() as conn:
            return self._performance(conn, scope, scope_id, parse_period(period), currency)

    def _performance(
        self, conn: Connection, scope: str, scope_id: str, period: Period, currency: str
    ) -> PerformanceReport:
        if scope not in SCOPES:
            raise InvalidArgument("scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
        if scope == "salesperson":
            team, people = self.salesperson(conn, scope_id, "scope_id").team, [scope_id]
        else:
            team, people = scope_id, store.team_members(conn, scope_id)
            if not people:
                raise NotFound("scope_id: team", scope_id)
        target = pipeline_store.current_target(conn, period.year, team)
        currency = self._currency(currency, target.team_target.currency if target else "", period)
        quotas = {sid: target.quota_for(sid, period) if target else None for sid in people}
        opps = pipeline_store.opportunities_of(conn, people)
        return performance.build_report(
            scope,
            scope_id,
            period,
            currency,
            quotas,
            target.team_target_for(period) if target else None,
            self._signed(conn, people, currency),
            self._collected(conn, people, currency),
            [
                OpenValue(
                    o.opportunity_id,
                    o.salesperson_id,
                    o.estimated_value.amount_minor if o.estimated_value.currency == currency else 0,
                )
                for o in opps
            ],
            pipeline_store.history(conn, [o.opportunity_id for o in opps]),
        )

    @staticmethod
    def _currency(asked: str, target_currency: str, period: Period) -> str:
        if asked and target_currency and asked != target_currency:
            raise InvalidArgument("currency", f"the {period.year} target is in {target_currency}")
        if not (asked or target_currency):
            raise InvalidArgument("currency", f"is required: no target is set for {period.year}")
        return asked or target_currency

    @staticmethod
    def _signed(conn: Connection, people: list[str], currency: str) -> list[Revenue]:
        return [
            Revenue(c.salesperson_id, c.signed_at, c.total.amount_minor)
            for c in contracts_store.contracts_of(conn, people)
            if c.currency == currency
        ]

    @staticmethod
    def _collected(conn: Connection, people: list[str], currency: str) -> list[Revenue]:
        return [
            Revenue(p.salesperson_id, p.collected_at, p.amount.amount_minor)
            for p in contracts_store.payments_by(conn, people)
            if p.amount.currency == currency
        ]

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
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "PublishReport", request):
                row = contracts_store.published(conn, earlier)
                report = performance.report_from_json(row.body_json)
                return PublishedResult(row.report_id, report, row.published_at, row.event_id)
            if not recipients or any(not r.strip() for r in recipients):
                raise InvalidArgument("recipients", "name at least one recipient, none empty")
            report = self._performance(conn, scope, scope_id, parse_period(period), currency)
            report_id, at = self.new_id(), self.clock()
            event = events.report_published(report_id, report, recipients, published_by, at)
            contracts_store.add_published(
                conn,
                {
                    "report_id": report_id,
                    "scope": scope,
                    "scope_id": scope_id,
                    "period": report.period.label,
                    "currency": report.currency,
                    "recipients_json": dumps(recipients),
                    "body_json": dumps(dataclasses.asdict(report)),
                    "published_by": published_by,
                    "published_at": at,
                    "event_id": event.id,
                },
            )
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "PublishReport", request, report_id)
        return PublishedResult(report_id, report, at, event.id)

    def report_sales(
        self, salesperson_id: str, period: str, reported: Money, idempotency_key: str = ""
    ) -> SalesReportResult:
        request = {
            "salesperson_id": salesperson_id,
            "period": period,
            "reported": [reported.amount_minor, reported.currency],
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "ReportSales", request):
                row = contracts_store.sales_report(conn, earlier)
                return SalesReportResult(self._sales_report(row), row.event_id)
            span = parse_period(period)
            self.salesperson(conn, salesperson_id)
            conduct.check_reported(reported)
            people = [salesperson_id]
            report = SalesReport(
                self.new_id(),
                salesperson_id,
                span,
                reported,
                performance.revenue_in(
                    self._signed(conn, people, reported.currency), span, salesperson_id
                ),
                performance.revenue_in(
                    self._collected(conn, people, reported.currency), span, salesperson_id
                ),
                self.clock(),
            )
            event = events.sales_reported(report)
            contracts_store.add_sales_report(conn, report, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "ReportSales", request, report.report_id)
        return SalesReportResult(report, event.id)

    @staticmethod
    def _sales_report(row: Any) -> SalesReport:
        return SalesReport(
            row.report_id,
            row.salesperson_id,
            parse_period(row.period),
            Money(row.reported_minor, row.currency),
            row.proven_signed_minor,
            row.proven_collected_minor,
            row.reported_at,
        )

    def record_expense(
        self,
        salesperson_id: str,
        customer_id: str,
        kind: str,
        amount: Money,
        incurred_on: str,
        description: str = "",
        idempotency_key: str = "",
    ) -> tuple[str, str]:
        """Record a customer-facing expense; returns (expense_id, event_id)."""
        request = {
            "salesperson_id": salesperson_id,
            "customer_id": customer_id,
            "kind": kind,
            "amount": [amount.amount_minor, amount.currency],
            "incurred_on": incurred_on,
            "description": description,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "RecordExpense", request):
                return earlier, contracts_store.expense_event_id(conn, earlier)
            self.salesperson(conn, salesperson_id)
            expense = conduct.check_expense(
                Expense(
                    self.new_id(),
                    salesperson_id,
                    customer_id,
                    kind,
                    amount,
                    parse_day(incurred_on, "incurred_on"),
                    description,
                    self.clock(),
                )
            )
            event = events.expense_recorded(expense)
            contracts_store.add_expense(conn, expense, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "RecordExpense", request, expense.expense_id)
        return expense.expense_id, event.id
