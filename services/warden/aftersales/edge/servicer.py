"""AfterSalesService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

import logging

from warden.aftersales.app import AfterSalesApp
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData
from warden.aftersales.edge import convert
from warden.aftersales.edge.convert import occurred_at, step_result_out, ticket_out
from warden.errors import PermissionDenied
from warden.people import same_person
from warden.platform.actors import Integration, acting_person, caller
from warden.platform.auth import DESK
from warden.platform.grpc_server import require
from warden.platform.proto_convert import money_in, timestamp_out
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import aftersales_pb2_grpc

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AfterSalesService"].full_name

__all__ = ["SERVICE_NAME", "AfterSalesServicer", "acting_employee", "ticket_out"]

log = logging.getLogger(__name__)


def acting_employee(named: str) -> tuple[str, str]:
    """Who a 4.2.1 call names as acting, and who is signed in: the token's subject, always.

    An empty name is the signed-in subject. Naming someone else (an admin too) is passed on
    with the caller's own subject, so that the use case logs the attempt as the caller and
    refuses it: no one reads, exports, discloses or charges in another's name."""
    identity = caller()
    named = named.strip()
    if not named or same_person(named, identity.subject):
        return identity.subject, identity.subject
    log.warning("%s is signed in and names %s as the acting employee", identity.subject, named)
    return named, identity.subject


# A desk integration records ticket steps agents took in it: it names the agent.
DESK_STEPS = Integration(DESK, act="record a step", names="the agent who took the step")


def step_agent(named: str, field: str) -> tuple[str, str]:
    """Who took a ticket step, and the desk integration that recorded it ("": no one).

    A person's token (an admin's too) takes the step as its subject: `named` may be empty or
    the subject (compared as people); naming anyone else is refused. A desk integration
    (role `desk`) records steps agents took in it: it names the agent, and is kept beside."""
    return acting_person(named, field, DESK_STEPS)


class AfterSalesServicer(aftersales_pb2_grpc.AfterSalesServiceServicer):
    def __init__(self, app: AfterSalesApp) -> None:
        self.app = app

    def RegisterAgent(self, request, context):  # type: ignore[no-untyped-def]
        a = request.agent
        agent = self.app.register_agent(
            Agent(
                require(a.agent_id, "agent.agent_id"),
                require(a.name, "agent.name"),
                require(a.role, "agent.role"),
                a.team.strip(),
            )
        )
        return pb.RegisterAgentResponse(agent=pb.Agent(**agent.__dict__))

    def RegisterCustomer(self, request, context):  # type: ignore[no-untyped-def]
        customer_id = require(request.customer.customer_id, "customer.customer_id")
        p = request.personal
        customer = self.app.register_customer(
            Customer(customer_id, request.customer.segment.strip()),
            PersonalData(customer_id, p.name.strip(), p.phone.strip(), p.email.strip(), p.address),
        )
        return pb.RegisterCustomerResponse(customer=pb.Customer(**customer.__dict__))

    def OpenTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent_id, recorded_by = step_agent(request.agent_id, "agent_id")
        ticket, event_id = self.app.open_ticket(
            customer_id=require(request.customer_id, "customer_id"),
            product_id=require(request.product_id, "product_id"),
            channel=require(request.channel, "channel"),
            description=require(request.description, "description"),
            agent_id=agent_id,
            idempotency_key=request.idempotency_key,
            occurred_at=occurred_at(request),
            recorded_by=recorded_by,
        )
        return pb.OpenTicketResponse(ticket=ticket_out(ticket), event_id=event_id)

    def GetTicket(self, request, context):  # type: ignore[no-untyped-def]
        view = self.app.ticket_view(require(request.ticket_id, "ticket_id"))
        return pb.GetTicketResponse(
            ticket=ticket_out(view.ticket),
            history=[convert.step_out(s) for s in view.history],
            escalations=[convert.escalation_out(e) for e in view.escalations],
        )

    def ClassifyTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.classified_by, "classified_by")
        result = self.app.classify(
            require(request.ticket_id, "ticket_id"),
            require(request.category, "category"),
            require(request.priority, "priority"),
            agent,
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.ClassifyTicketResponse(result=step_result_out(result))

    def AssignTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.assigned_by, "assigned_by")
        result = self.app.assign(
            require(request.ticket_id, "ticket_id"),
            require(request.to_agent, "to_agent"),
            agent,
            require(request.reason, "reason"),
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.AssignTicketResponse(result=step_result_out(result))

    def RespondToTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.agent_id, "agent_id")
        result = self.app.respond(
            require(request.ticket_id, "ticket_id"),
            agent,
            require(request.message, "message"),
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.RespondToTicketResponse(result=step_result_out(result))

    def RecordCustomerMessage(self, request, context):  # type: ignore[no-untyped-def]
        result = self.app.customer_message(
            require(request.ticket_id, "ticket_id"),
            require(request.message, "message"),
            request.idempotency_key,
            occurred_at(request),
        )
        return pb.RecordCustomerMessageResponse(result=step_result_out(result))

    def EscalateTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.escalated_by, "escalated_by")
        result = self.app.escalate(
            require(request.ticket_id, "ticket_id"),
            require(request.department, "department"),
            require(request.question, "question"),
            agent,
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.EscalateTicketResponse(
            result=step_result_out(result), escalation_id=result.step.detail["escalation_id"]
        )

    def AnswerEscalation(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.answered_by, "answered_by")
        result = self.app.answer_escalation(
            require(request.escalation_id, "escalation_id"),
            require(request.answer_summary, "answer_summary"),
            agent,
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.AnswerEscalationResponse(result=step_result_out(result))

    def ReportBackEscalation(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.reported_by, "reported_by")
        result = self.app.report_back(
            require(request.escalation_id, "escalation_id"),
            agent,
            require(request.message, "message"),
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.ReportBackEscalationResponse(result=step_result_out(result))

    def ResolveTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.agent_id, "agent_id")
        result = self.app.resolve(
            require(request.ticket_id, "ticket_id"),
            agent,
            require(request.resolution, "resolution"),
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.ResolveTicketResponse(result=step_result_out(result))

    def CloseTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.agent_id, "agent_id")
        result = self.app.close(
            require(request.ticket_id, "ticket_id"),
            agent,
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.CloseTicketResponse(result=step_result_out(result), note=_close_note(result))

    def ReopenTicket(self, request, context):  # type: ignore[no-untyped-def]
        agent, recorded_by = step_agent(request.reopened_by, "reopened_by")
        result = self.app.reopen(
            require(request.ticket_id, "ticket_id"),
            agent,
            require(request.reason, "reason"),
            request.idempotency_key,
            occurred_at(request),
            recorded_by,
        )
        return pb.ReopenTicketResponse(result=step_result_out(result))

    def AnswerSurvey(self, request, context):  # type: ignore[no-untyped-def]
        result = self.app.answer_survey(
            require(request.ticket_id, "ticket_id"),
            request.score,
            request.comment,
            request.idempotency_key,
            occurred_at(request),
        )
        return pb.AnswerSurveyResponse(result=step_result_out(result))

    def ListOverdueTickets(self, request, context):  # type: ignore[no-untyped-def]
        now = self.app.clock()
        return pb.ListOverdueTicketsResponse(
            tickets=[
                pb.OverdueTicket(ticket=ticket_out(t), missed=missed)
                for t, missed in self.app.overdue()
            ],
            as_of=timestamp_out(now),
        )

    def GetCustomerFile(self, request, context):  # type: ignore[no-untyped-def]
        file = self.app.customer_file(require(request.customer_id, "customer_id"))
        return pb.GetCustomerFileResponse(
            customer=pb.Customer(**file.customer.__dict__),
            entries=[
                pb.CustomerFileEntry(
                    ticket=ticket_out(v.ticket),
                    history=[convert.step_out(s) for s in v.history],
                    escalations=[convert.escalation_out(e) for e in v.escalations],
                )
                for v in file.tickets
            ],
            fees=[convert.fee_out(f) for f in file.fees],
        )

    def SearchRecords(self, request, context):  # type: ignore[no-untyped-def]
        found = self.app.search_records(
            request.category.strip(),
            request.product_id.strip(),
            request.outcome.strip(),
            include_archived=not request.exclude_archived,
        )
        return pb.SearchRecordsResponse(tickets=[ticket_out(t) for t in found])

    def ArchiveRecords(self, request, context):  # type: ignore[no-untyped-def]
        run = self.app.archive(
            request.older_than_days,
            acting_person(request.archived_by, "archived_by")[0],
            request.idempotency_key,
        )
        return pb.ArchiveRecordsResponse(
            run_id=run.run_id,
            ticket_ids=run.ticket_ids,
            archived_count=len(run.ticket_ids),
            event_id=run.event_id,
        )

    def SetFee(self, request, context):  # type: ignore[no-untyped-def]
        e = request.entry
        entry = self.app.set_fee(
            require(e.service_code, "entry.service_code"),
            e.description,
            money_in(e.price, "entry.price", positive=False),
            e.warranty_covers,
        )
        return pb.SetFeeResponse(entry=convert.entry_out(entry))

    def ListFeeSchedule(self, request, context):  # type: ignore[no-untyped-def]
        entries = self.app.fee_schedule()
        return pb.ListFeeScheduleResponse(entries=[convert.entry_out(e) for e in entries])

    def ChargeFee(self, request, context):  # type: ignore[no-untyped-def]
        agent_id, signed_in = acting_employee(request.agent_id)
        if agent_id != signed_in:
            raise PermissionDenied(
                f"agent_id: {signed_in!r} is signed in and may not charge a fee as {agent_id!r}"
            )
        result = self.app.charge_fee(
            require(request.ticket_id, "ticket_id"),
            agent_id,
            require(request.service_code, "service_code"),
            money_in(request.amount, "amount"),
            request.warranty,
            request.idempotency_key,
            occurred_at(request),
        )
        return pb.ChargeFeeResponse(
            fee=convert.fee_out(result.fee),
            explanation=result.explanation,
            event_id=result.event_id,
        )

    def ListFees(self, request, context):  # type: ignore[no-untyped-def]
        found = self.app.list_fees(request.ticket_id.strip(), request.customer_id.strip())
        return pb.ListFeesResponse(fees=[convert.fee_out(f) for f in found])

    def ReadCustomerData(self, request, context):  # type: ignore[no-untyped-def]
        accessor, signed_in = acting_employee(request.accessor_id)
        access, data, event_id = self.app.access_customer_data(
            accessor,
            "read",
            [require(request.customer_id, "customer_id")],
            list(request.fields),
            purpose=request.purpose,
            signed_in=signed_in,
        )
        (personal,) = data.values()
        return pb.ReadCustomerDataResponse(
            record=convert.record_out(personal, access.fields),
            access_id=access.access_id,
            event_id=event_id,
        )

    def ExportCustomerData(self, request, context):  # type: ignore[no-untyped-def]
        accessor, signed_in = acting_employee(request.accessor_id)
        access, data, event_id = self.app.access_customer_data(
            accessor,
            "export",
            list(request.customer_ids),
            list(request.fields),
            recipient=require(request.recipient, "recipient"),
            recipient_kind=request.recipient_kind or "internal",
            purpose=request.purpose,
            signed_in=signed_in,
        )
        return pb.ExportCustomerDataResponse(
            records=[convert.record_out(p, access.fields) for p in data.values()],
            access_id=access.access_id,
            event_id=event_id,
        )

    def DiscloseCustomerData(self, request, context):  # type: ignore[no-untyped-def]
        accessor, signed_in = acting_employee(request.accessor_id)
        access, data, event_id = self.app.access_customer_data(
            accessor,
            "disclose",
            [require(request.customer_id, "customer_id")],
            list(request.fields),
            recipient=require(request.recipient, "recipient"),
            recipient_kind=request.recipient_kind or "external",
            purpose=request.purpose,
            signed_in=signed_in,
        )
        (personal,) = data.values()
        return pb.DiscloseCustomerDataResponse(
            record=convert.record_out(personal, access.fields),
            access_id=access.access_id,
            event_id=event_id,
        )

    def ListDataAccesses(self, request, context):  # type: ignore[no-untyped-def]
        found = self.app.access_log(request.customer_id.strip())
        return pb.ListDataAccessesResponse(accesses=[convert.access_out(a) for a in found])

    def GetQualityReport(self, request, context):  # type: ignore[no-untyped-def]
        period = require(request.period, "period")
        if not request.publish:
            return convert.report_out(self.app.quality_report(period))
        published = self.app.publish_quality_report(
            period, acting_person(request.published_by, "published_by")[0]
        )
        reply = convert.report_out(published.report)
        reply.report_id, reply.event_id = published.report_id, published.event_id
        return reply


def _close_note(result: object) -> str:
    detail = result.step.detail  # type: ignore[attr-defined]
    notes = []
    if not detail["has_resolution"]:
        notes.append("closed without a resolution")
    if detail["customer_awaiting_answer"]:
        notes.append("closed while the customer's last message is unanswered")
    if not notes:
        return "closed with a resolution"
    return "recorded as " + " and ".join(notes) + " (the compliance rules judge it)"
