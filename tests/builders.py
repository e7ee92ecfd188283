"""CloudEvents for tests: one builder per event type, each field the event contract requires
filled with a plausible value (docs/events.md), any of them replaced by keyword. A test names
only what it is about; the envelope (event_id, at, source) is the builder's keywords too."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from warden.platform.cloudevents import CloudEvent, format_time

DESK = "/test/desk"  # a service desk of the enterprise's own
CRM = "/test/crm"  # an enterprise sales system
ERP = "/erp/sales"

PRICE_CHANGED = "warden.sales.price.changed"
EXPENSE_RECORDED = "warden.sales.expense.recorded"
DATA_ACCESSED = "warden.aftersales.customer_data.accessed"


def event(
    kind: str,
    data: dict[str, Any],
    *,
    subject: str,
    source: str,
    event_id: str | None = None,
    at: datetime | None = None,
) -> CloudEvent:
    """Any CloudEvent: a fresh id and the current time unless given."""
    misplaced = {"id", "time", "type", "event_id", "at"} & data.keys()
    if misplaced:  # an envelope attribute passed as a data field by mistake
        raise TypeError(f"envelope attributes given as data: {sorted(misplaced)}")
    return CloudEvent(
        type=kind,
        source=source,
        subject=subject,
        data=copy.deepcopy(data),  # defaults are shared: a test's change stays its own
        id=event_id if event_id is not None else str(uuid.uuid4()),
        time=at if at is not None else datetime.now(UTC),
    )


def price_changed(
    *,
    subject: str = "alice",
    source: str = ERP,
    event_id: str | None = None,
    at: datetime | None = None,
    **data: Any,
) -> CloudEvent:
    """`subject` changes X100's price from its list price of 1,000 EUR to 700 EUR, below the
    850 EUR floor, unapproved; `discount_bp` is not derived from a price given: pass both."""
    fields: dict[str, Any] = {
        "price_change_id": "PC-1",
        "product_id": "X100",
        "currency": "EUR",
        "list_price_minor": 100_000,
        "floor_price_minor": 85_000,
        "old_price_minor": 100_000,
        "new_price_minor": 70_000,
        "discount_bp": 3_000,
        "changed_by": subject,
        "changed_by_role": "sales_rep",
        "authority_bp": 1_000,
        "approval": {"status": "none", "approved_by": None, "requested_by": subject},
    }
    return event(
        PRICE_CHANGED, {**fields, **data}, subject=subject, source=source, event_id=event_id, at=at
    )


def expense_recorded(
    expense: str = "X-1",
    *,
    subject: str = "alice",
    at: datetime,
    source: str = CRM,
    event_id: str | None = None,
    **data: Any,
) -> CloudEvent:
    """`subject`'s gift of 200 EUR for customer C-7, incurred on the day of `at`."""
    fields: dict[str, Any] = {
        "expense_id": expense,
        "salesperson_id": subject,
        "customer_id": "C-7",
        "kind": "gift",
        "amount_minor": 20_000,
        "currency": "EUR",
        "incurred_on": at.date().isoformat(),
        "description": "a watch",
    }
    return event(
        EXPENSE_RECORDED,
        {**fields, **data},
        subject=subject,
        source=source,
        event_id=event_id,
        at=at,
    )


def ticket_event(
    kind: str,
    ticket: str = "T-1",
    *,
    agent: str = "dave",
    customer: str = "C-2",
    at: datetime | None = None,
    source: str = DESK,
    event_id: str | None = None,
    **data: Any,
) -> CloudEvent:
    """`warden.aftersales.<kind>` of one ticket, its agent the subject."""
    fields = {"ticket_id": ticket, "customer_id": customer, "agent_id": agent, **data}
    return event(
        f"warden.aftersales.{kind}", fields, subject=agent, source=source, event_id=event_id, at=at
    )


def ticket_received(ticket: str = "T-1", **envelope_and_data: Any) -> CloudEvent:
    """A ticket about product X100, taken by phone."""
    return ticket_event(
        "ticket.received", ticket, **{"product_id": "X100", "channel": "phone", **envelope_and_data}
    )


def ticket_classified(ticket: str = "T-1", *, at: datetime, **envelope_and_data: Any) -> CloudEvent:
    """A p2 defect: first response due 4 hours after `at`, resolution 2 days after."""
    agent = envelope_and_data.get("agent", "dave")
    fields: dict[str, Any] = {
        "category": "defect",
        "priority": "p2",
        "first_response_due": format_time(at + timedelta(hours=4)),
        "resolution_due": format_time(at + timedelta(days=2)),
        "classified_by": agent,
    }
    return ticket_event("ticket.classified", ticket, at=at, **{**fields, **envelope_and_data})


def ticket_responded(
    ticket: str = "T-1", *, due: datetime, at: datetime, **envelope_and_data: Any
) -> CloudEvent:
    """The first response to a ticket whose first response was `due`, in time."""
    fields: dict[str, Any] = {
        "first_response": True,
        "first_response_due": format_time(due),
        "late": False,
    }
    return ticket_event("ticket.responded", ticket, at=at, **{**fields, **envelope_and_data})


def customer_data_read(
    accessor: str = "dave",
    *,
    subject: str | None = None,
    at: datetime | None = None,
    source: str = DESK,
    event_id: str | None = None,
    **data: Any,
) -> CloudEvent:
    """`accessor`, an agent, reads customer C-2's phone and address for themselves."""
    fields: dict[str, Any] = {
        "access_id": f"D-{accessor}",
        "customer_id": "C-2",
        "accessor_id": accessor,
        "accessor_role": "agent",
        "action": "read",
        "fields": ["phone", "address"],
        "recipient_kind": "internal",
        "recipient": accessor,
        "purpose": "",
        "customer_count": 1,
    }
    return event(
        DATA_ACCESSED,
        {**fields, **data},
        subject=subject if subject is not None else accessor,
        source=source,
        event_id=event_id,
        at=at,
    )
