"""The `warden aftersales` verbs' handlers: each turns its arguments into an
AfterSalesService call over gRPC and returns the reply in words."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warden.config import Settings
from warden.money import MAX_MINOR

Handler = Callable[[Any, argparse.Namespace], str]


def stub(args: argparse.Namespace, settings: Settings) -> Any:
    from warden.platform.tls import open_channel
    from warden.v1 import aftersales_pb2_grpc

    address = args.address or f"127.0.0.1:{settings.aftersales_port}"
    token = args.token or os.environ.get("WARDEN_TOKEN", "")
    return aftersales_pb2_grpc.AfterSalesServiceStub(open_channel(address, settings, token))


def minor(text: str) -> int:
    """An amount in minor units (cents): a whole number within money.MAX_MINOR."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of cents") from None
    if abs(value) > MAX_MINOR:
        raise argparse.ArgumentTypeError(f"{text!r} is too large (at most {MAX_MINOR:,})")
    return value


def _money(amount_minor: int, currency: str) -> Any:
    from warden.v1 import common_pb2

    return common_pb2.Money(amount_minor=amount_minor, currency=currency)


def _result(reply: Any) -> str:
    from warden.aftersales.edge.view import ticket_line

    r = reply.result
    return f"{r.step.kind}: {ticket_line(r.ticket)}\n  event {r.event_id}"


def agent_add(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    agent = pb.Agent(agent_id=a.agent_id, name=a.name, role=a.role, team=a.team)
    reply = stub.RegisterAgent(pb.RegisterAgentRequest(agent=agent), timeout=10)
    return f"agent {reply.agent.agent_id} registered as {reply.agent.role}"


def customer_add(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.RegisterCustomer(
        pb.RegisterCustomerRequest(
            customer=pb.Customer(customer_id=a.customer_id, segment=a.segment),
            personal=pb.PersonalData(name=a.name, phone=a.phone, email=a.email, address=a.addr),
        ),
        timeout=10,
    )
    return f"customer {reply.customer.customer_id} registered (personal data stored apart)"


def open_ticket(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import ticket_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.OpenTicket(
        pb.OpenTicketRequest(
            customer_id=a.customer,
            product_id=a.product,
            channel=a.channel,
            description=a.description,
            agent_id=a.agent,
            idempotency_key=a.key,
        ),
        timeout=10,
    )
    return f"opened {ticket_line(reply.ticket)}"


def show_ticket(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import ticket_text
    from warden.v1 import aftersales_pb2 as pb

    return ticket_text(stub.GetTicket(pb.GetTicketRequest(ticket_id=a.ticket_id), timeout=10))


def ticket_step(rpc: str, request: str, **fields: str) -> Handler:
    """A verb that sends one ticket step: `fields` maps request fields to argument names."""

    def handler(stub: Any, a: argparse.Namespace) -> str:
        from warden.v1 import aftersales_pb2 as pb

        values = {name: getattr(a, arg) for name, arg in fields.items()}
        message = getattr(pb, request)(**values, idempotency_key=a.key)
        reply = getattr(stub, rpc)(message, timeout=10)
        extra = f"\n  escalation {reply.escalation_id}" if rpc == "EscalateTicket" else ""
        note = f"\n  note: {reply.note}" if rpc == "CloseTicket" else ""
        return _result(reply) + extra + note

    return handler


def overdue_tickets(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import ticket_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListOverdueTickets(pb.ListOverdueTicketsRequest(), timeout=10)
    lines = [f"{ticket_line(o.ticket)}  missed: {', '.join(o.missed)}" for o in reply.tickets]
    return "\n".join(lines) or "no ticket is past due"


def customer_file(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import fee_line, ticket_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.GetCustomerFile(pb.GetCustomerFileRequest(customer_id=a.customer_id), timeout=10)
    lines = [f"file of customer {reply.customer.customer_id}"]
    for entry in reply.entries:
        t = entry.ticket
        lines += [
            ticket_line(t),
            f"  problem: {t.description}",
            f"  solved:  {t.resolution or '-'} ({t.outcome or 'open'})",
            f"  feedback: {t.survey_score or '-'} {t.survey_comment}",
        ]
    lines += [fee_line(f) for f in reply.fees]
    return "\n".join(lines)


def search_records(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import ticket_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.SearchRecords(
        pb.SearchRecordsRequest(
            category=a.category,
            product_id=a.product,
            outcome=a.outcome,
            exclude_archived=a.exclude_archived,
        ),
        timeout=10,
    )
    return "\n".join(ticket_line(t) for t in reply.tickets) or "no record matches"


def archive_records(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ArchiveRecords(
        pb.ArchiveRecordsRequest(
            older_than_days=a.older_than_days, archived_by=a.by, idempotency_key=a.key
        ),
        timeout=30,
    )
    moved = "".join(f"\n  {ticket_id}" for ticket_id in reply.ticket_ids)
    return f"archive run {reply.run_id}: moved {reply.archived_count} closed record(s){moved}"


def fee_set(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    entry = pb.FeeScheduleEntry(
        service_code=a.code,
        description=a.description,
        price=_money(a.price_minor, a.currency),
        warranty_covers=a.warranty_covers,
    )
    reply = stub.SetFee(pb.SetFeeRequest(entry=entry), timeout=10)
    return f"fee {reply.entry.service_code} set"


def fee_schedule(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListFeeSchedule(pb.ListFeeScheduleRequest(), timeout=10)
    return "\n".join(
        f"{e.service_code:<14} {e.price.amount_minor:>9} {e.price.currency} "
        f"warranty_covers={e.warranty_covers}  {e.description}"
        for e in reply.entries
    )


def fee_charge(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import fee_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ChargeFee(
        pb.ChargeFeeRequest(
            ticket_id=a.ticket_id,
            service_code=a.code,
            amount=_money(a.amount_minor, a.currency),
            warranty=a.warranty,
            idempotency_key=a.key,
        ),
        timeout=10,
    )
    return f"{fee_line(reply.fee)}\n  {reply.explanation}"


def fee_list(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import fee_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListFees(pb.ListFeesRequest(ticket_id=a.ticket, customer_id=a.customer))
    return "\n".join(fee_line(f) for f in reply.fees) or "no fees"


def customer_data(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    fields = [f for f in (a.fields or "").split(",") if f]
    if a.data_command == "read":
        reply = stub.ReadCustomerData(
            pb.ReadCustomerDataRequest(customer_id=a.customer_id, fields=fields, purpose=a.purpose),
            timeout=10,
        )
        records = [reply.record]
    elif a.data_command == "disclose":
        reply = stub.DiscloseCustomerData(
            pb.DiscloseCustomerDataRequest(
                customer_id=a.customer_id,
                fields=fields,
                recipient=a.recipient,
                recipient_kind="internal" if a.internal else "external",
                purpose=a.purpose,
            ),
            timeout=10,
        )
        records = [reply.record]
    else:
        reply = stub.ExportCustomerData(
            pb.ExportCustomerDataRequest(
                customer_ids=a.customer or [],
                fields=fields,
                recipient=a.recipient,
                recipient_kind="external" if a.external else "internal",
                purpose=a.purpose,
            ),
            timeout=30,
        )
        records = list(reply.records)
    lines = [f"{r.customer_id}: {_personal(r.personal)}" for r in records]
    return "\n".join([*lines, f"logged as access {reply.access_id}"])


def _personal(p: Any) -> str:
    return ", ".join(
        f"{k}={v}"
        for k, v in (
            ("name", p.name),
            ("phone", p.phone),
            ("email", p.email),
            ("address", p.address),
        )
        if v
    )


def data_log(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListDataAccesses(pb.ListDataAccessesRequest(customer_id=a.customer), timeout=10)
    return (
        "\n".join(
            f"{x.at.ToDatetime():%Y-%m-%d %H:%M}Z {x.accessor_id:<10} {x.accessor_role:<10} "
            f"{x.action:<8} {','.join(x.customer_ids):<12} {','.join(x.fields):<20} -> "
            f"{x.recipient_kind}:{x.recipient} ({x.purpose or 'no purpose given'})"
            f"{'' if x.granted else '  REFUSED: ' + x.refusal}"
            for x in reply.accesses
        )
        or "no access logged"
    )


def quality_report(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.edge.view import report_html, report_text
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.GetQualityReport(
        pb.GetQualityReportRequest(period=a.period, publish=a.publish),
        timeout=30,
    )
    text = report_text(reply)
    if a.chart:
        Path(a.chart).write_text(report_html(reply))
        text += f"\nchart written to {a.chart}"
    return text
