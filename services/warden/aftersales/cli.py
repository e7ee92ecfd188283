"""The `warden aftersales` verbs: the service desk from a terminal, over gRPC."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warden.config import Settings
from warden.money import MAX_MINOR

Handler = Callable[[Any, argparse.Namespace], str]


def _stub(args: argparse.Namespace, settings: Settings) -> Any:
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
    from warden.aftersales.view import ticket_line

    r = reply.result
    return f"{r.step.kind}: {ticket_line(r.ticket)}\n  event {r.event_id}"


def _agent_add(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    agent = pb.Agent(agent_id=a.agent_id, name=a.name, role=a.role, team=a.team)
    reply = stub.RegisterAgent(pb.RegisterAgentRequest(agent=agent), timeout=10)
    return f"agent {reply.agent.agent_id} registered as {reply.agent.role}"


def _customer_add(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.RegisterCustomer(
        pb.RegisterCustomerRequest(
            customer=pb.Customer(customer_id=a.customer_id, segment=a.segment),
            personal=pb.PersonalData(name=a.name, phone=a.phone, email=a.email, address=a.addr),
        ),
        timeout=10,
    )
    return f"customer {reply.customer.customer_id} registered (personal data stored apart)"


def _open(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import ticket_line
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


def _show(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import ticket_text
    from warden.v1 import aftersales_pb2 as pb

    return ticket_text(stub.GetTicket(pb.GetTicketRequest(ticket_id=a.ticket_id), timeout=10))


def _step(rpc: str, request: str, **fields: str) -> Handler:
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


def _overdue(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import ticket_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListOverdueTickets(pb.ListOverdueTicketsRequest(), timeout=10)
    lines = [f"{ticket_line(o.ticket)}  missed: {', '.join(o.missed)}" for o in reply.tickets]
    return "\n".join(lines) or "no ticket is past due"


def _file(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import fee_line, ticket_line
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


def _search(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import ticket_line
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


def _archive(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ArchiveRecords(
        pb.ArchiveRecordsRequest(
            older_than_days=a.older_than_days, archived_by=a.by, idempotency_key=a.key
        ),
        timeout=30,
    )
    moved = "".join(f"\n  {ticket_id}" for ticket_id in reply.ticket_ids)
    return f"archive run {reply.run_id}: moved {reply.archived_count} closed record(s){moved}"


def _fee_set(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    entry = pb.FeeScheduleEntry(
        service_code=a.code,
        description=a.description,
        price=_money(a.price_minor, a.currency),
        warranty_covers=a.warranty_covers,
    )
    reply = stub.SetFee(pb.SetFeeRequest(entry=entry), timeout=10)
    return f"fee {reply.entry.service_code} set"


def _fee_schedule(stub: Any, a: argparse.Namespace) -> str:
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListFeeSchedule(pb.ListFeeScheduleRequest(), timeout=10)
    return "\n".join(
        f"{e.service_code:<14} {e.price.amount_minor:>9} {e.price.currency} "
        f"warranty_covers={e.warranty_covers}  {e.description}"
        for e in reply.entries
    )


def _fee_charge(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import fee_line
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


def _fee_list(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import fee_line
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.ListFees(pb.ListFeesRequest(ticket_id=a.ticket, customer_id=a.customer))
    return "\n".join(fee_line(f) for f in reply.fees) or "no fees"


def _data(stub: Any, a: argparse.Namespace) -> str:
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


def _data_log(stub: Any, a: argparse.Namespace) -> str:
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


def _report(stub: Any, a: argparse.Namespace) -> str:
    from warden.aftersales.view import report_html, report_text
    from warden.v1 import aftersales_pb2 as pb

    reply = stub.GetQualityReport(
        pb.GetQualityReportRequest(
            period=a.period, publish=bool(a.publish), published_by=a.publish or ""
        ),
        timeout=30,
    )
    text = report_text(reply)
    if a.chart:
        Path(a.chart).write_text(report_html(reply))
        text += f"\nchart written to {a.chart}"
    return text


def _run(handler: Handler) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        print(handler(_stub(args, settings), args))
        return 0

    return run


def _verb(verbs: Any, name: str, help_text: str, handler: Handler, key: bool = False) -> Any:
    parser = verbs.add_parser(name, help=help_text, description=help_text)
    if key:
        parser.add_argument("--key", default="", help="idempotency key: a repeat changes nothing")
    parser.set_defaults(func=_run(handler))
    return parser


def _ticket_verbs(verbs: Any) -> None:
    p = _verb(verbs, "open", "receive a customer's problem and open a ticket", _open, key=True)
    p.add_argument("--customer", required=True)
    p.add_argument("--product", required=True)
    p.add_argument("--channel", required=True, choices=("phone", "email", "web", "visit"))
    p.add_argument("--description", required=True)
    p.add_argument("--agent", default="", help=_AGENT_HELP)
    _verb(verbs, "show", "a ticket with its whole history", _show).add_argument("ticket_id")
    steps = [
        (
            "classify",
            "set category and priority (p1-p4)",
            "ClassifyTicket",
            {"category": "category", "priority": "priority", "classified_by": "by"},
        ),
        (
            "assign",
            "hand the ticket to another agent, saying why",
            "AssignTicket",
            {"to_agent": "to", "assigned_by": "by", "reason": "reason"},
        ),
        (
            "respond",
            "answer the customer",
            "RespondToTicket",
            {"agent_id": "agent", "message": "message"},
        ),
        (
            "customer-message",
            "record that the customer wrote again",
            "RecordCustomerMessage",
            {"message": "message"},
        ),
        (
            "escalate",
            "ask another department (rnd, production, logistics, quality, finance)",
            "EscalateTicket",
            {"department": "department", "question": "question", "escalated_by": "by"},
        ),
        (
            "resolve",
            "write the resolution",
            "ResolveTicket",
            {"agent_id": "agent", "resolution": "resolution"},
        ),
        ("close", "close the ticket", "CloseTicket", {"agent_id": "agent"}),
        (
            "reopen",
            "reopen a closed ticket",
            "ReopenTicket",
            {"reopened_by": "by", "reason": "reason"},
        ),
        (
            "survey",
            "record the customer's satisfaction (1-5)",
            "AnswerSurvey",
            {"score": "score", "comment": "comment"},
        ),
    ]
    for name, help_text, rpc, fields in steps:
        p = _verb(
            verbs,
            name,
            help_text,
            _step(rpc, rpc + "Request", ticket_id="ticket_id", **fields),
            key=True,
        )
        p.add_argument("ticket_id")
        for arg in fields.values():
            kind = int if arg == "score" else str
            who = arg in ("agent", "by")
            p.add_argument(
                f"--{arg}",
                type=kind,
                required=arg != "comment" and not who,
                default="",
                help=_AGENT_HELP if who else None,
            )


# Who takes a step is the token's subject; only a desk integration's token names an agent.
_AGENT_HELP = (
    "who took the step: default and only choice with a person's token, its subject; a desk "
    "integration's token (role desk) names the agent"
)


def _escalation_verbs(verbs: Any) -> None:
    p = _verb(
        verbs,
        "answer",
        "record the department's answer",
        _step(
            "AnswerEscalation",
            "AnswerEscalationRequest",
            escalation_id="escalation_id",
            answer_summary="summary",
            answered_by="by",
        ),
        key=True,
    )
    p.add_argument("escalation_id")
    p.add_argument("--summary", required=True)
    p.add_argument("--by", default="", help=_AGENT_HELP)
    p = _verb(
        verbs,
        "report-back",
        "record that the answer was reported to the customer",
        _step(
            "ReportBackEscalation",
            "ReportBackEscalationRequest",
            escalation_id="escalation_id",
            reported_by="by",
            message="message",
        ),
        key=True,
    )
    p.add_argument("escalation_id")
    p.add_argument("--by", default="", help=_AGENT_HELP)
    p.add_argument("--message", required=True)


def _fee_verbs(verbs: Any) -> None:
    p = _verb(verbs, "set", "set one entry of the fee schedule", _fee_set)
    p.add_argument("code")
    p.add_argument("--price-minor", type=minor, required=True, help="price in cents")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--description", default="")
    p.add_argument("--warranty-covers", action="store_true", help="free under warranty")
    _verb(verbs, "schedule", "the fee schedule", _fee_schedule)
    p = _verb(
        verbs,
        "charge",
        "record a fee (outside the schedule: recorded and flagged)",
        _fee_charge,
        key=True,
    )
    p.add_argument("ticket_id")
    p.add_argument("--code", required=True)
    p.add_argument("--amount-minor", type=minor, required=True, help="amount in cents")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--warranty", action="store_true", help="the work is under warranty")
    p = _verb(verbs, "list", "fees charged", _fee_list)
    p.add_argument("--ticket", default="")
    p.add_argument("--customer", default="")


def _data_verbs(verbs: Any) -> None:
    for name, help_text in [
        ("read", "read a customer's personal fields (logged)"),
        ("disclose", "hand a customer's personal fields to a recipient (logged)"),
        ("export", "export several customers' personal fields (logged; supervisors only)"),
    ]:
        p = _verb(verbs, name, help_text, _data)
        if name == "export":
            p.add_argument("--customer", action="append", help="repeat; default every customer")
        else:
            p.add_argument("customer_id")
        p.add_argument("--fields", default="", help="comma list of name,phone,email,address")
        p.add_argument("--purpose", default="")
        if name != "read":
            p.add_argument("--recipient", required=True)
        if name == "disclose":
            p.add_argument("--internal", action="store_true", help="recipient is a colleague")
        if name == "export":
            p.add_argument("--external", action="store_true", help="recipient is outside")
    _verb(verbs, "log", "the log of reads, exports and disclosures", _data_log).add_argument(
        "--customer", default=""
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this service's verbs to the `warden` command."""
    top = sub.add_parser(
        "aftersales",
        help="the after-sales service desk: tickets, fees, customer data, quality report",
        description="Talk to AfterSalesService over gRPC. A token comes from --token or "
        "WARDEN_TOKEN when the service checks tokens.",
    )
    top.add_argument("--address", help="host:port (default 127.0.0.1:WARDEN_AFTERSALES_PORT)")
    top.add_argument("--token", default="", help="bearer token (default: WARDEN_TOKEN)")
    groups = top.add_subparsers(dest="aftersales_command", required=True, metavar="GROUP")

    p = _verb(groups, "agent", "register an after-sales employee", _agent_add)
    p.add_argument("agent_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=("agent", "supervisor", "billing", "analyst"))
    p.add_argument("--team", default="")
    p = _verb(groups, "customer", "register a customer with personal data", _customer_add)
    p.add_argument("customer_id")
    p.add_argument("--name", required=True)
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--address", dest="addr", default="")
    p.add_argument("--segment", default="")

    ticket = groups.add_parser("ticket", help="the ticket lifecycle")
    _ticket_verbs(ticket.add_subparsers(dest="ticket_command", required=True, metavar="VERB"))
    escalation = groups.add_parser("escalation", help="answers of other departments")
    _escalation_verbs(escalation.add_subparsers(dest="esc_command", required=True, metavar="VERB"))
    fee = groups.add_parser("fee", help="the fee schedule and fees charged")
    _fee_verbs(fee.add_subparsers(dest="fee_command", required=True, metavar="VERB"))
    data = groups.add_parser("data", help="customers' personal data, every access logged")
    _data_verbs(data.add_subparsers(dest="data_command", required=True, metavar="VERB"))

    _verb(groups, "overdue", "tickets past a due time, now", _overdue)
    _verb(groups, "file", "a customer's file", _file).add_argument("customer_id")
    p = _verb(groups, "search", "service records by category, product and outcome", _search)
    p.add_argument("--category", default="")
    p.add_argument("--product", default="")
    p.add_argument("--outcome", default="", choices=("", "resolved", "unresolved", "open"))
    p.add_argument("--exclude-archived", action="store_true")
    p = _verb(
        groups,
        "archive",
        "move closed records older than N days to the archive",
        _archive,
        key=True,
    )
    p.add_argument("--older-than-days", type=int, required=True)
    p.add_argument("--by", default="archiver", help="who runs the job")
    p = _verb(groups, "report", "the service quality report of a month", _report)
    p.add_argument("--period", required=True, help="a month, e.g. 2026-11")
    p.add_argument("--publish", metavar="BY", default="", help="record it as published by BY")
    p.add_argument("--chart", metavar="FILE.html", help="also write the report with charts")
