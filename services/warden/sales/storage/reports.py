"""Rows of reported sales, customer expenses and published performance reports."""

from __future__ import annotations

from sqlalchemy import Connection, select

from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.storage import rows
from warden.sales.storage.tables import expenses, published_reports, sales_reports
from warden.sales.usecases import ports
from warden.sales.usecases.ports import Publication


class Reports(ports.Reports):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_sales_report(self, report: SalesReport, event_id: str) -> None:
        values = rows.SALES_REPORT.values(report, event_id=event_id)
        self.conn.execute(sales_reports.insert().values(**values))

    def sales_report(self, report_id: str) -> tuple[SalesReport, str]:
        query = select(sales_reports).where(sales_reports.c.report_id == report_id)
        row = self.conn.execute(query).one()
        return rows.SALES_REPORT.load(row), row.event_id

    def add_expense(self, expense: Expense, event_id: str) -> None:
        values = rows.EXPENSE.values(expense, event_id=event_id)
        self.conn.execute(expenses.insert().values(**values))

    def expense_event_id(self, expense_id: str) -> str:
        query = select(expenses.c.event_id).where(expenses.c.expense_id == expense_id)
        return str(self.conn.execute(query).scalar_one())

    def add_publication(self, publication: Publication, event_id: str) -> None:
        values = rows.PUBLICATION.values(publication, event_id=event_id)
        self.conn.execute(published_reports.insert().values(**values))

    def publication(self, report_id: str) -> tuple[Publication, str]:
        query = select(published_reports).where(published_reports.c.report_id == report_id)
        row = self.conn.execute(query).one()
        return rows.PUBLICATION.load(row), row.event_id
