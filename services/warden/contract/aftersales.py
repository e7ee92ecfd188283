"""Event types the after-sales service produces on `aftersales.events`."""

from __future__ import annotations

from warden.contract.fields import BOOL, INT, LIST, OPTIONAL_INT, OPTIONAL_TEXT, TEXT, FieldKinds

_TICKET: FieldKinds = {"ticket_id": TEXT, "customer_id": TEXT}
OPTIONAL_BOOL = (bool, type(None))

EVENTS: dict[str, FieldKinds] = {
    "warden.aftersales.ticket.received": {
        **_TICKET,
        "product_id": TEXT,
        "channel": TEXT,
        "agent_id": TEXT,
    },
    "warden.aftersales.ticket.classified": {
        **_TICKET,
        "category": TEXT,
        "priority": TEXT,
        "first_response_due": TEXT,
        "resolution_due": TEXT,
        "classified_by": TEXT,
        "agent_id": TEXT,
    },
    "warden.aftersales.ticket.assigned": {
        **_TICKET,
        "from_agent": OPTIONAL_TEXT,
        "to_agent": TEXT,
        "assigned_by": TEXT,
        "reason": TEXT,
        "reassignment_count": INT,
    },
    "warden.aftersales.ticket.responded": {
        **_TICKET,
        "agent_id": TEXT,
        "first_response": BOOL,
        "first_response_due": OPTIONAL_TEXT,
        "late": BOOL,
    },
    "warden.aftersales.customer.messaged": {**_TICKET, "message_id": TEXT},
    "warden.aftersales.ticket.escalated": {
        **_TICKET,
        "escalation_id": TEXT,
        "department": TEXT,
        "escalated_by": TEXT,
        "agent_id": TEXT,
    },
    "warden.aftersales.escalation.answered": {
        "ticket_id": TEXT,
        "escalation_id": TEXT,
        "department": TEXT,
        "answer_summary": TEXT,
    },
    "warden.aftersales.escalation.reported_back": {
        **_TICKET,
        "escalation_id": TEXT,
        "reported_by": TEXT,
        "answered_at": TEXT,
    },
    "warden.aftersales.ticket.resolved": {
        **_TICKET,
        "agent_id": TEXT,
        "resolution": TEXT,
        "resolution_due": OPTIONAL_TEXT,
        "late": BOOL,
    },
    "warden.aftersales.ticket.closed": {
        **_TICKET,
        "agent_id": TEXT,
        "has_resolution": BOOL,
        "customer_awaiting_answer": BOOL,
        "outcome": TEXT,
    },
    "warden.aftersales.ticket.reopened": {
        **_TICKET,
        "agent_id": TEXT,
        "reopened_by": TEXT,
        "closed_at": TEXT,
        "hours_since_close": INT,
    },
    "warden.aftersales.survey.answered": {
        **_TICKET,
        "agent_id": TEXT,
        "score": INT,
        "comment": TEXT,
        "ticket_outcome": TEXT,
    },
    "warden.aftersales.fee.charged": {
        "fee_id": TEXT,
        **_TICKET,
        "agent_id": TEXT,
        "service_code": TEXT,
        "amount_minor": INT,
        "currency": TEXT,
        "in_schedule": BOOL,
        "schedule_price_minor": OPTIONAL_INT,
        "warranty": BOOL,
        "warranty_covers": OPTIONAL_BOOL,
        "duplicate_of": OPTIONAL_TEXT,
    },
    "warden.aftersales.customer_data.accessed": {
        "access_id": TEXT,
        "customer_id": TEXT,
        "accessor_id": TEXT,
        "accessor_role": TEXT,
        "action": TEXT,
        "fields": LIST,
        "recipient_kind": TEXT,
        "recipient": TEXT,
        "purpose": TEXT,
        "customer_count": INT,
    },
    "warden.aftersales.records.archived": {
        "run_id": TEXT,
        "archived_count": INT,
        "older_than_days": INT,
        "archived_by": TEXT,
    },
    "warden.aftersales.quality_report.published": {
        "report_id": TEXT,
        "period": TEXT,
        "published_at": TEXT,
    },
}
