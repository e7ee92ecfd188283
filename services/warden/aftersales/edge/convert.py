"""Domain objects to and from AfterSalesService messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.quality import QualityFigures, QualityReport
from warden.aftersales.domain.tickets import PersonalData, Step, Ticket
from warden.platform.cloudevents import format_time
from warden.platform.proto_convert import money_out, timestamp_in, timestamp_out
from warden.v1 import aftersales_pb2 as pb


def _stamp(moment: datetime | None) -> Timestamp | None:
    return timestamp_out(moment) if moment is not None else None


def occurred_at(request: Any) -> datetime | None:
    """The request's `occurred_at`, None when it is not set (meaning now)."""
    return timestamp_in(request.occurred_at) if request.HasField("occurred_at") else None


def ticket_out(t: Ticket) -> pb.Ticket:
    return pb.Ticket(
        ticket_id=t.ticket_id,
        customer_id=t.customer_id,
        product_id=t.product_id,
        channel=t.channel,
        description=t.description,
        agent_id=t.agent_id,
        status=t.status,
        received_at=timestamp_out(t.received_at),
        category=t.category,
        priority=t.priority,
        first_response_due=_stamp(t.first_response_due),
        resolution_due=_stamp(t.resolution_due),
        first_response_at=_stamp(t.first_response_at),
        resolved_at=_stamp(t.resolved_at),
        resolution=t.resolution,
        closed_at=_stamp(t.closed_at),
        outcome=t.outcome,
        awaiting_answer=t.awaiting_answer,
        reassignment_count=t.reassignment_count,
        reopen_count=t.reopen_count,
        escalation_count=t.escalation_count,
        survey_score=t.survey_score or 0,
        survey_comment=t.survey_comment,
        archived=t.archived_at is not None,
        archived_at=_stamp(t.archived_at),
        closed_without_resolution=t.closed_without_resolution,
    )


def _json(value: object) -> object:
    return format_time(value) if isinstance(value, datetime) else str(value)


def step_out(step: Step) -> pb.TicketStep:
    return pb.TicketStep(
        kind=step.kind,
        actor=step.actor,
        at=timestamp_out(step.at),
        detail_json=json.dumps(step.detail, default=_json, sort_keys=True),
    )


def escalation_out(e: Escalation) -> pb.Escalation:
    return pb.Escalation(
        escalation_id=e.escalation_id,
        department=e.department,
        question=e.question,
        escalated_by=e.escalated_by,
        escalated_at=timestamp_out(e.escalated_at),
        answer_summary=e.answer_summary,
        answered_by=e.answered_by,
        answered_at=_stamp(e.answered_at),
        reported_by=e.reported_by,
        reported_at=_stamp(e.reported_at),
        status=e.status,
    )


def step_result_out(result: Any) -> pb.TicketStepResult:
    return pb.TicketStepResult(
        ticket=ticket_out(result.ticket), step=step_out(result.step), event_id=result.event_id
    )


def entry_out(entry: ScheduleEntry) -> pb.FeeScheduleEntry:
    return pb.FeeScheduleEntry(
        service_code=entry.service_code,
        description=entry.description,
        price=money_out(entry.price),
        warranty_covers=entry.warranty_covers,
    )


def fee_out(fee: Fee) -> pb.Fee:
    return pb.Fee(
        fee_id=fee.fee_id,
        ticket_id=fee.ticket_id,
        customer_id=fee.customer_id,
        agent_id=fee.agent_id,
        service_code=fee.service_code,
        amount=money_out(fee.amount),
        warranty=fee.warranty,
        charged_at=timestamp_out(fee.charged_at),
        in_schedule=fee.in_schedule,
        schedule_price=money_out(fee.schedule_price) if fee.schedule_price else None,
        warranty_covers=bool(fee.warranty_covers),
        duplicate_of=fee.duplicate_of or "",
        flags=fee.flags,
    )


def record_out(personal: PersonalData, fields: tuple[str, ...]) -> pb.CustomerDataRecord:
    shown = {name: value for name, value in personal.fields().items() if name in fields}
    return pb.CustomerDataRecord(
        customer_id=personal.customer_id, personal=pb.PersonalData(**shown)
    )


def access_out(a: Access) -> pb.DataAccess:
    return pb.DataAccess(
        access_id=a.access_id,
        customer_ids=list(a.customer_ids),
        accessor_id=a.accessor_id,
        accessor_role=a.accessor_role,
        action=a.action,
        fields=list(a.fields),
        recipient_kind=a.recipient_kind,
        recipient=a.recipient,
        purpose=a.purpose,
        at=timestamp_out(a.at),
        granted=a.granted,
        refusal=a.refusal,
    )


def _or(value: int | None) -> int:
    return -1 if value is None else value


def figures_out(group: str, f: QualityFigures) -> pb.QualityFigures:
    return pb.QualityFigures(
        group=group,
        tickets=f.tickets,
        closed=f.closed,
        surveys=f.surveys,
        satisfaction_average=f.satisfaction_average or 0.0,
        has_satisfaction=f.satisfaction_average is not None,
        satisfaction_distribution=[
            pb.SatisfactionCount(score=s, count=n)
            for s, n in sorted(f.satisfaction_distribution.items())
        ],
        first_response_met=f.first_response_met,
        first_response_missed=f.first_response_missed,
        mean_first_response_minutes=_or(f.mean_first_response_minutes),
        resolution_met=f.resolution_met,
        resolution_missed=f.resolution_missed,
        mean_resolution_minutes=_or(f.mean_resolution_minutes),
        commitment_judged=f.commitment_judged,
        within_commitment=f.within_commitment,
        within_commitment_bp=_or(f.within_commitment_bp),
        reopened=f.reopened,
        ever_closed=f.ever_closed,
        reopen_rate_bp=_or(f.reopen_rate_bp),
        escalations=f.escalations,
        reassignments=f.reassignments,
        closed_without_resolution=f.closed_without_resolution,
    )


def report_out(report: QualityReport) -> pb.GetQualityReportResponse:
    return pb.GetQualityReportResponse(
        period=report.period,
        period_start=timestamp_out(report.period_start),
        period_end=timestamp_out(report.period_end),
        computed_at=timestamp_out(report.computed_at),
        overall=figures_out("all", report.overall),
        by_agent=[figures_out(k, v) for k, v in report.by_agent.items()],
        by_category=[figures_out(k, v) for k, v in report.by_category.items()],
    )
