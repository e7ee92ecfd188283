"""Rows of contracts, amendments, payments, reported sales, expenses and published reports."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from warden.money import Money
from warden.platform.db import lock_row
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.contracts import Amendment, Contract, ContractLine, Payment
from warden.sales.storage.store import dumps
from warden.sales.storage.tables import (
    amendments,
    contracts,
    expenses,
    payments,
    published_reports,
    sales_reports,
)


def _lines_json(contract: Contract) -> str:
    return dumps(
        [
            [
                line.product_id,
                line.quantity,
                line.unit_price.amount_minor,
                line.list_price.amount_minor,
                line.approved_price_change_id,
            ]
            for line in contract.lines
        ]
    )


def _contract(row: Any) -> Contract:
    lines = tuple(
        ContractLine(pid, qty, Money(unit, row.currency), Money(listed, row.currency), approved)
        for pid, qty, unit, listed, approved in json.loads(row.lines_json)
    )
    return Contract(
        row.contract_id,
        row.opportunity_id,
        row.customer_id,
        row.salesperson_id,
        row.currency,
        lines,
        row.payment_terms_days,
        row.delivery_date,
        row.signed_at,
        row.version,
    )


def add_contract(conn: Connection, contract: Contract, event_id: str) -> None:
    conn.execute(
        contracts.insert().values(
            contract_id=contract.contract_id,
            opportunity_id=contract.opportunity_id,
            customer_id=contract.customer_id,
            salesperson_id=contract.salesperson_id,
            signed_at=contract.signed_at,
            event_id=event_id,
            **_terms(contract),
        )
    )


def _terms(contract: Contract) -> dict[str, Any]:
    return {
        "currency": contract.currency,
        "total_minor": contract.total.amount_minor,
        "lines_json": _lines_json(contract),
        "payment_terms_days": contract.payment_terms_days,
        "delivery_date": contract.delivery_date,
        "version": contract.version,
    }


def put_contract(conn: Connection, contract: Contract) -> None:
    conn.execute(
        contracts.update()
        .where(contracts.c.contract_id == contract.contract_id)
        .values(**_terms(contract))
    )


def get_contract(
    conn: Connection, contract_id: str, lock: bool = False
) -> tuple[Contract, str] | None:
    """The contract and its event id; `lock` holds its row until the transaction ends."""
    query = select(contracts).where(contracts.c.contract_id == contract_id)
    if lock:
        lock_row(conn, contracts, "contract_id", contract_id)
    row = conn.execute(query).first()
    return (_contract(row), row.event_id) if row else None


def contract_of(conn: Connection, opportunity_id: str) -> Contract | None:
    row = conn.execute(
        select(contracts).where(contracts.c.opportunity_id == opportunity_id)
    ).first()
    return _contract(row) if row else None


def contracts_of(conn: Connection, salesperson_ids: list[str]) -> list[Contract]:
    rows = conn.execute(select(contracts).where(contracts.c.salesperson_id.in_(salesperson_ids)))
    return [_contract(row) for row in rows]


def add_amendment(conn: Connection, amendment: Amendment, event_id: str) -> None:
    conn.execute(
        amendments.insert().values(
            amendment_id=amendment.amendment_id,
            contract_id=amendment.contract_id,
            changed_fields_json=dumps(list(amendment.changed_fields)),
            old_json=dumps(amendment.old),
            new_json=dumps(amendment.new),
            amended_by=amendment.amended_by,
            approved_by=amendment.approved_by,
            reason=amendment.reason,
            amended_at=amendment.amended_at,
            event_id=event_id,
        )
    )


def _amendment(row: Any) -> Amendment:
    return Amendment(
        row.amendment_id,
        row.contract_id,
        tuple(json.loads(row.changed_fields_json)),
        json.loads(row.old_json),
        json.loads(row.new_json),
        row.amended_by,
        row.approved_by,
        row.reason,
        row.amended_at,
    )


def amendments_of(conn: Connection, contract_id: str) -> list[Amendment]:
    rows = conn.execute(
        select(amendments)
        .where(amendments.c.contract_id == contract_id)
        .order_by(amendments.c.amended_at)
    )
    return [_amendment(row) for row in rows]


def amendment(conn: Connection, amendment_id: str) -> tuple[Amendment, str]:
    row = conn.execute(select(amendments).where(amendments.c.amendment_id == amendment_id)).one()
    return _amendment(row), row.event_id


def add_payment(conn: Connection, payment: Payment, event_id: str) -> None:
    conn.execute(
        payments.insert().values(
            payment_id=payment.payment_id,
            contract_id=payment.contract_id,
            customer_id=payment.customer_id,
            salesperson_id=payment.salesperson_id,
            currency=payment.amount.currency,
            amount_minor=payment.amount.amount_minor,
            recorded_by=payment.recorded_by,
            collected_at=payment.collected_at,
            event_id=event_id,
        )
    )


def _payment(row: Any) -> Payment:
    return Payment(
        row.payment_id,
        row.contract_id,
        row.customer_id,
        row.salesperson_id,
        Money(row.amount_minor, row.currency),
        row.recorded_by,
        row.collected_at,
    )


def payments_of(conn: Connection, contract_id: str) -> list[Payment]:
    rows = conn.execute(
        select(payments)
        .where(payments.c.contract_id == contract_id)
        .order_by(payments.c.collected_at)
    )
    return [_payment(row) for row in rows]


def payments_by(conn: Connection, salesperson_ids: list[str]) -> list[Payment]:
    rows = conn.execute(select(payments).where(payments.c.salesperson_id.in_(salesperson_ids)))
    return [_payment(row) for row in rows]


def collected_on(conn: Connection, contract_id: str) -> int:
    total = conn.execute(
        select(func.coalesce(func.sum(payments.c.amount_minor), 0)).where(
            payments.c.contract_id == contract_id
        )
    ).scalar_one()
    return int(total)


def payment(conn: Connection, payment_id: str) -> tuple[Payment, str]:
    row = conn.execute(select(payments).where(payments.c.payment_id == payment_id)).one()
    return _payment(row), row.event_id


def add_sales_report(conn: Connection, report: SalesReport, event_id: str) -> None:
    conn.execute(
        sales_reports.insert().values(
            report_id=report.report_id,
            salesperson_id=report.salesperson_id,
            period=report.period.label,
            currency=report.reported.currency,
            reported_minor=report.reported.amount_minor,
            proven_signed_minor=report.proven_signed_minor,
            proven_collected_minor=report.proven_collected_minor,
            reported_at=report.reported_at,
            event_id=event_id,
        )
    )


def sales_report(conn: Connection, report_id: str) -> Any:
    return conn.execute(select(sales_reports).where(sales_reports.c.report_id == report_id)).one()


def add_expense(conn: Connection, expense: Expense, event_id: str) -> None:
    conn.execute(
        expenses.insert().values(
            expense_id=expense.expense_id,
            salesperson_id=expense.salesperson_id,
            customer_id=expense.customer_id,
            kind=expense.kind,
            currency=expense.amount.currency,
            amount_minor=expense.amount.amount_minor,
            incurred_on=expense.incurred_on.isoformat(),
            description=expense.description,
            recorded_at=expense.recorded_at,
            event_id=event_id,
        )
    )


def expense_event_id(conn: Connection, expense_id: str) -> str:
    return str(
        conn.execute(
            select(expenses.c.event_id).where(expenses.c.expense_id == expense_id)
        ).scalar_one()
    )


def add_published(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(published_reports.insert().values(**values))


def published(conn: Connection, report_id: str) -> Any:
    return conn.execute(
        select(published_reports).where(published_reports.c.report_id == report_id)
    ).one()
