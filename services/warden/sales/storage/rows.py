"""Every sales row to and from its domain object, in one place (tables in tables.py)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from warden.money import Money
from warden.platform.rows import Converted, MoneyColumn, Row, RowMap
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.contracts import Amendment, Contract, ContractLine, Payment
from warden.sales.domain.performance import report_from_json
from warden.sales.domain.periods import parse_period
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.domain.targets import Quota, Target
from warden.sales.usecases.ports import Publication


def dumps(value: Any) -> str:
    """JSON as the sales tables store it: keys sorted, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _quotas_out(quotas: tuple[Quota, ...]) -> str:
    return dumps([[q.salesperson_id, q.amount.amount_minor] for q in quotas])


def _quotas_in(text: str, row: Row) -> tuple[Quota, ...]:
    return tuple(Quota(sid, Money(amount, row["currency"])) for sid, amount in json.loads(text))


def _lines_out(lines: tuple[ContractLine, ...]) -> str:
    return dumps(
        [
            [
                line.product_id,
                line.quantity,
                line.unit_price.amount_minor,
                line.list_price.amount_minor,
                line.approved_price_change_id,
            ]
            for line in lines
        ]
    )


def _lines_in(text: str, row: Row) -> tuple[ContractLine, ...]:
    currency = row["currency"]
    return tuple(
        ContractLine(pid, qty, Money(unit, currency), Money(listed, currency), approved)
        for pid, qty, unit, listed, approved in json.loads(text)
    )


def _loads(text: str, row: Row) -> Any:
    return json.loads(text)


def _tuple(text: str, row: Row) -> tuple[Any, ...]:
    return tuple(json.loads(text))


SALESPERSON = RowMap(Salesperson)
PRODUCT = RowMap(
    Product,
    {
        "list_price": MoneyColumn("list_price_minor"),
        "floor_price": MoneyColumn("floor_price_minor"),
        "current_price": MoneyColumn("current_price_minor"),
    },
)
PRICE_CHANGE = RowMap(
    PriceChange,
    {
        "list_price": MoneyColumn("list_price_minor"),
        "floor_price": MoneyColumn("floor_price_minor"),
        "old_price": MoneyColumn("old_price_minor"),
        "new_price": MoneyColumn("new_price_minor"),
    },
)
PRICE_CHANGE_REQUEST = RowMap(
    PriceChangeRequest,
    {
        "requested_price": MoneyColumn("requested_price_minor"),
        "list_price": MoneyColumn("list_price_minor"),
    },
)
TARGET = RowMap(
    Target,
    {
        "team_target": MoneyColumn("team_target_minor"),
        "quotas": Converted("quotas_json", _quotas_out, _quotas_in),
    },
)
OPPORTUNITY = RowMap(Opportunity, {"estimated_value": MoneyColumn("estimated_minor")})
STAGE_CHANGE = RowMap(StageChange)
DOCUMENT = RowMap(Document)
CONTRACT = RowMap(
    Contract,
    {"lines": Converted("lines_json", _lines_out, _lines_in)},
    computed={"total_minor": lambda c: c.total.amount_minor},
)
AMENDMENT = RowMap(
    Amendment,
    {
        "changed_fields": Converted("changed_fields_json", lambda f: dumps(list(f)), _tuple),
        "old": Converted("old_json", dumps, _loads),
        "new": Converted("new_json", dumps, _loads),
    },
)
PAYMENT = RowMap(Payment, {"amount": MoneyColumn("amount_minor")})
SALES_REPORT = RowMap(
    SalesReport,
    {
        "period": Converted("period", lambda p: p.label, lambda label, row: parse_period(label)),
        "reported": MoneyColumn("reported_minor"),
    },
)
EXPENSE = RowMap(
    Expense,
    {
        "amount": MoneyColumn("amount_minor"),
        "incurred_on": Converted(
            "incurred_on", date.isoformat, lambda text, row: date.fromisoformat(text)
        ),
    },
)
PUBLICATION = RowMap(
    Publication,
    {
        "report": Converted(
            "body_json",
            lambda report: dumps(dataclasses.asdict(report)),
            lambda text, row: report_from_json(text),
        ),
        "recipients": Converted("recipients_json", lambda r: dumps(list(r)), _tuple),
    },
    computed={
        "scope": lambda p: p.report.scope,
        "scope_id": lambda p: p.report.scope_id,
        "period": lambda p: p.report.period.label,
        "currency": lambda p: p.report.currency,
    },
)
