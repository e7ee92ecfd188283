"""The after-sales events on `aftersales.events` (documented in docs/events.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from warden.aftersales.domain.fees import Fee
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Step, Ticket
from warden.platform.cloudevents import CloudEvent, format_time

SOURCE = "/warden/aftersales"
PREFIX = "warden.aftersales."
TICKET_RECEIVED = PREFIX + "ticket.received"


def _time(moment: datetime | str | None) -> str | None:
    if moment is None or isinstance(moment, str):
        return moment
    return format_time(moment)


def _event(kind: str, subject: str, at: datetime, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(type=PREFIX + kind, source=SOURCE, subject=subject, time=at, data=data)


def ticket_received(ticket: Ticket, recorded_by: str = "") -> CloudEvent:
    return _event(
        "ticket.received",
        ticket.agent_id,
        ticket.received_at,
        {
            "ticket_id": ticket.ticket_id,
            "customer_id": ticket.customer_id,
            "product_id": ticket.product_id,
            "channel": ticket.channel,
            "agent_id": ticket.agent_id,
            "description_length": len(ticket.description),
            **_recorder(recorded_by),
        },
    )


def _recorder(recorded_by: str) -> dict[str, str]:
    """`recorded_by`, when a desk integration recorded the step an agent took elsewhere."""
    return {"recorded_by": recorded_by} if recorded_by else {}


def _classified(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    return t.agent_id, {
        "category": t.category,
        "priority": t.priority,
        "first_response_due": _time(t.first_response_due),
        "resolution_due": _time(t.resolution_due),
        "classified_by": s.actor,
        "agent_id": t.agent_id,
    }


def _assigned(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return d["from_agent"] or d["to_agent"], {
        "from_agent": d["from_agent"],
        "to_agent": d["to_agent"],
        "assigned_by": s.actor,
        "reason": d["reason"],
        "reassignment_count": d["reassignment_count"],
    }


def _responded(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return s.actor, {
        "agent_id": s.actor,
        "first_response": d["first_response"],
        "first_response_due": _time(d["first_response_due"]),
        "late": d["late"],
    }


def _messaged(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    return t.agent_id, {"message_id": s.detail["message_id"], "agent_id": t.agent_id}


def _escalated(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return s.actor, {
        "escalation_id": d["escalation_id"],
        "department": d["department"],
        "escalated_by": s.actor,
        "agent_id": t.agent_id,
    }


def _answered(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return t.agent_id, {
        "escalation_id": d["escalation_id"],
        "department": d["department"],
        "answer_summary": d["answer_summary"],
        "answered_by": s.actor,
        "agent_id": t.agent_id,
    }


def _reported_back(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return s.actor, {
        "escalation_id": d["escalation_id"],
        "department": d["department"],
        "reported_by": s.actor,
        "answered_at": _time(d["answered_at"]),
        "agent_id": t.agent_id,
    }


def _resolved(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return s.actor, {
        "agent_id": s.actor,
        "resolution": d["resolution"],
        "resolution_due": _time(d["resolution_due"]),
        "late": d["late"],
        "first_response": d.get("first_response", False),
    }


def _closed(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    return s.actor, {"agent_id": s.actor, **s.detail}


def _reopened(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    d = s.detail
    return t.agent_id, {
        "agent_id": t.agent_id,
        "reopened_by": s.actor,
        "reason": d["reason"],
        "closed_at": _time(d["closed_at"]),
        "hours_since_close": d["hours_since_close"],
    }


def _surveyed(t: Ticket, s: Step) -> tuple[str, dict[str, Any]]:
    return t.agent_id, {"agent_id": t.agent_id, **s.detail}


_TICKET_EVENTS: dict[str, tuple[str, Callable[[Ticket, Step], tuple[str, dict[str, Any]]]]] = {
    "classified": ("ticket.classified", _classified),
    "assigned": ("ticket.assigned", _assigned),
    "responded": ("ticket.responded", _responded),
    "customer_messaged": ("customer.messaged", _messaged),
    "escalated": ("ticket.escalated", _escalated),
    "escalation_answered": ("escalation.answered", _answered),
    "reported_back": ("escalation.reported_back", _reported_back),
    "resolved": ("ticket.resolved", _resolved),
    "closed": ("ticket.closed", _closed),
    "reopened": ("ticket.reopened", _reopened),
    "survey_answered": ("survey.answered", _surveyed),
}


def ticket_step(ticket: Ticket, step: Step) -> CloudEvent:
    """The event of one ticket step; `ticket` is the ticket after the step."""
    kind, build = _TICKET_EVENTS[step.kind]
    subject, data = build(ticket, step)
    base = {"ticket_id": ticket.ticket_id, "customer_id": ticket.customer_id}
    by = _recorder(step.detail.get("recorded_by", ""))
    return _event(kind, subject, step.at, {**base, **data, **by})


def fee_charged(fee: Fee) -> CloudEvent:
    price = fee.schedule_price
    return _event(
        "fee.charged",
        fee.agent_id,
        fee.charged_at,
        {
            "fee_id": fee.fee_id,
            "ticket_id": fee.ticket_id,
            "customer_id": fee.customer_id,
            "agent_id": fee.agent_id,
            "service_code": fee.service_code,
            "amount_minor": fee.amount.amount_minor,
            "currency": fee.amount.currency,
            "in_schedule": fee.in_schedule,
            "schedule_price_minor": price.amount_minor if price else None,
            "warranty": fee.warranty,
            "warranty_covers": fee.warranty_covers,
            "duplicate_of": fee.duplicate_of,
            "flags": fee.flags,
        },
    )


def customer_data_accessed(access: Access) -> CloudEvent:
    return _event(
        "customer_data.accessed",
        access.accessor_id,
        access.at,
        {
            "access_id": access.access_id,
            "customer_id": access.customer_ids[0] if len(access.customer_ids) == 1 else "*",
            "customer_ids": list(access.customer_ids),
            "accessor_id": access.accessor_id,
            "accessor_role": access.accessor_role,
            "action": access.action,
            "fields": list(access.fields),
            "recipient_kind": access.recipient_kind,
            "recipient": access.recipient,
            "purpose": access.purpose,
            "customer_count": len(access.customer_ids),
            "granted": access.granted,
            "refusal": access.refusal,
        },
    )


def records_archived(
    run_id: str, ticket_ids: list[str], days: int, by: str, at: datetime
) -> CloudEvent:
    return _event(
        "records.archived",
        by,
        at,
        {
            "run_id": run_id,
            "archived_count": len(ticket_ids),
            "ticket_ids": ticket_ids,
            "older_than_days": days,
            "archived_by": by,
        },
    )


def quality_report_published(report_id: str, period: str, by: str, at: datetime) -> CloudEvent:
    return _event(
        "quality_report.published",
        by,
        at,
        {
            "report_id": report_id,
            "period": period,
            "published_at": format_time(at),
            "published_by": by,
        },
    )
