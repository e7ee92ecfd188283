"""Every after-sales row to and from its domain object, in one place (tables in tables.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Step, Ticket
from warden.platform.cloudevents import format_time
from warden.platform.rows import Converted, MoneyColumn, Row, RowMap


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"cannot store {type(value).__name__} in a step")


def _detail_out(detail: dict[str, Any]) -> str:
    return json.dumps(detail, default=_json_default, sort_keys=True)


def _loads(text: str, row: Row) -> Any:
    return json.loads(text)


def _ids(column: str) -> Converted:
    """A tuple of strings as a JSON list."""
    return Converted(column, lambda v: json.dumps(list(v)), lambda t, r: tuple(json.loads(t)))


AGENT = RowMap(Agent)
CUSTOMER = RowMap(Customer)
PERSONAL = RowMap(PersonalData)
TICKET = RowMap(Ticket)
STEP = RowMap(Step, {"detail": Converted("detail", _detail_out, _loads)})
ESCALATION = RowMap(Escalation)
SCHEDULE_ENTRY = RowMap(ScheduleEntry, {"price": MoneyColumn("price_minor")})
FEE = RowMap(
    Fee,
    {
        "amount": MoneyColumn("amount_minor"),
        "schedule_price": MoneyColumn("schedule_price_minor", optional=True),
    },
)
ACCESS = RowMap(Access, {"customer_ids": _ids("customer_ids"), "fields": _ids("fields")})
