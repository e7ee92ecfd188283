"""The `warden aftersales` verbs: the service desk from a terminal, over gRPC (the arguments
here, the handlers in commands.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from warden.aftersales.edge.commands import (
    Handler,
    agent_add,
    archive_records,
    customer_add,
    customer_data,
    customer_file,
    data_log,
    fee_charge,
    fee_list,
    fee_schedule,
    fee_set,
    minor,
    open_ticket,
    overdue_tickets,
    quality_report,
    search_records,
    show_ticket,
    stub,
    ticket_step,
)
from warden.config import Settings


def _run(handler: Handler) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        print(handler(stub(args, settings), args))
        return 0

    return run


def _verb(verbs: Any, name: str, help_text: str, handler: Handler, key: bool = False) -> Any:
    parser = verbs.add_parser(name, help=help_text, description=help_text)
    if key:
        parser.add_argument("--key", default="", help="idempotency key: a repeat changes nothing")
    parser.set_defaults(func=_run(handler))
    return parser


def _ticket_verbs(verbs: Any) -> None:
    p = _verb(
        verbs, "open", "receive a customer's problem and open a ticket", open_ticket, key=True
    )
    p.add_argument("--customer", required=True)
    p.add_argument("--product", required=True)
    p.add_argument("--channel", required=True, choices=("phone", "email", "web", "visit"))
    p.add_argument("--description", required=True)
    p.add_argument("--agent", default="", help=_AGENT_HELP)
    _verb(verbs, "show", "a ticket with its whole history", show_ticket).add_argument("ticket_id")
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
            ticket_step(rpc, rpc + "Request", ticket_id="ticket_id", **fields),
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
        ticket_step(
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
        ticket_step(
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
    p = _verb(verbs, "set", "set one entry of the fee schedule", fee_set)
    p.add_argument("code")
    p.add_argument("--price-minor", type=minor, required=True, help="price in cents")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--description", default="")
    p.add_argument("--warranty-covers", action="store_true", help="free under warranty")
    _verb(verbs, "schedule", "the fee schedule", fee_schedule)
    p = _verb(
        verbs,
        "charge",
        "record a fee (outside the schedule: recorded and flagged)",
        fee_charge,
        key=True,
    )
    p.add_argument("ticket_id")
    p.add_argument("--code", required=True)
    p.add_argument("--amount-minor", type=minor, required=True, help="amount in cents")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--warranty", action="store_true", help="the work is under warranty")
    p = _verb(verbs, "list", "fees charged", fee_list)
    p.add_argument("--ticket", default="")
    p.add_argument("--customer", default="")


def _data_verbs(verbs: Any) -> None:
    for name, help_text in [
        ("read", "read a customer's personal fields (logged)"),
        ("disclose", "hand a customer's personal fields to a recipient (logged)"),
        ("export", "export several customers' personal fields (logged; supervisors only)"),
    ]:
        p = _verb(verbs, name, help_text, customer_data)
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
    _verb(verbs, "log", "the log of reads, exports and disclosures", data_log).add_argument(
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

    p = _verb(groups, "agent", "register an after-sales employee", agent_add)
    p.add_argument("agent_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=("agent", "supervisor", "billing", "analyst"))
    p.add_argument("--team", default="")
    p = _verb(groups, "customer", "register a customer with personal data", customer_add)
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

    _verb(groups, "overdue", "tickets past a due time, now", overdue_tickets)
    _verb(groups, "file", "a customer's file", customer_file).add_argument("customer_id")
    p = _verb(groups, "search", "service records by category, product and outcome", search_records)
    p.add_argument("--category", default="")
    p.add_argument("--product", default="")
    p.add_argument("--outcome", default="", choices=("", "resolved", "unresolved", "open"))
    p.add_argument("--exclude-archived", action="store_true")
    p = _verb(
        groups,
        "archive",
        "move closed records older than N days to the archive",
        archive_records,
        key=True,
    )
    p.add_argument("--older-than-days", type=int, required=True)
    p.add_argument("--by", default="", help="who runs the job: the token's subject (default)")
    p = _verb(groups, "report", "the service quality report of a month", quality_report)
    p.add_argument("--period", required=True, help="a month, e.g. 2026-11")
    p.add_argument(
        "--publish", action="store_true", help="record it as published by the token's subject"
    )
    p.add_argument("--chart", metavar="FILE.html", help="also write the report with charts")
