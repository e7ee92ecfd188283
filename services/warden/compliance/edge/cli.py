"""The `warden cases|decisions|employees|audit|token|hr|dead-letters` verbs of the compliance
service."""

from __future__ import annotations

import argparse
from typing import Any

from warden.compliance.edge.commands import (
    STATUSES,
    aware_time,
    cmd_audit,
    cmd_cases,
    cmd_decisions,
    cmd_employees,
    cmd_hr,
    cmd_token,
)
from warden.compliance.edge.dead_letters import cmd_dead_letters


def positive(kind: type[Any]) -> Any:
    """An argparse type: a number of `kind` above zero, or an error saying so."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} is not above zero")
        return value

    return parse


_PUBLIC_KEY_HELP = (
    "PEM file of the key records are signed with (GetSigningKey serves it); default: the "
    "public half of WARDEN_SIGNING_KEY_FILE, or of signing.key under WARDEN_DATA_DIR"
)


def connected(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`parser` with the --address and --token options `channel` reads."""
    parser.add_argument("--address", help="compliance service host:port")
    parser.add_argument("--token", default="", help="bearer token (default: $WARDEN_TOKEN)")
    return parser


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the compliance verbs to the `warden` command."""
    _cases(sub)
    _decisions(sub)
    _employees(sub)
    _audit(sub)
    _token(sub)
    _hr(sub)
    _dead_letters(sub)


def _cases(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden cases`: the case queue's verbs."""
    cases = sub.add_parser("cases", help="the case queue: list, show, claim, decide, appeal")
    connected(cases)
    verbs = cases.add_subparsers(dest="cases_command", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="the queue, newest first, with filters")
    listing.add_argument("--status", choices=tuple(STATUSES), default="open")
    listing.add_argument("--severity", default="")
    listing.add_argument("--clause", default="")
    listing.add_argument("--employee", default="")
    listing.add_argument("--department", default="")
    listing.add_argument("--min-age-hours", type=int, default=0)
    listing.add_argument("--page-size", type=int, default=50)
    listing.add_argument("--page-token", default="")
    listing.add_argument(
        "--inbox", default="", help="only this inbox's cases, overdue first, then by due date"
    )
    listing.add_argument("--by-due", action="store_true", help="overdue first, then by due date")
    verbs.add_parser("inboxes", help="the inboxes: SLA, officers and their loads, counts")
    verbs.add_parser(
        "next", help="claim the earliest-due case of an inbox you may review"
    ).add_argument("inbox")
    for name, text in (("show", "a case with evidence, comments, audit"), ("claim", "claim it")):
        verbs.add_parser(name, help=text).add_argument("case_id")
    comment = verbs.add_parser("comment", help="comment on a case")
    comment.add_argument("case_id")
    comment.add_argument("text")
    for name, text in (
        ("decide", "confirm the proposed sanction"),
        ("dismiss", "dismiss the case (reason required)"),
        ("amend", "impose another sanction (reason required)"),
        ("appeal", "record the employee's appeal (reason: their grounds)"),
    ):
        verb = verbs.add_parser(name, help=text)
        verb.add_argument("case_id")
        verb.add_argument("--reason", default="")
    amend = verbs.choices["amend"]
    amend.add_argument(
        "--sanction", required=True, choices=("warning", "fine", "suspension", "dismissal")
    )
    amend.add_argument("--amount-minor", type=int, help="fine amount in minor units")
    amend.add_argument("--currency", default="EUR")
    amend.add_argument("--days", type=int, help="suspension days")
    second = verbs.add_parser("second", help="second officer: confirm (or --reject) a pending one")
    second.add_argument("case_id")
    second.add_argument("--reject", metavar="REASON")
    for name in ("decide", "dismiss", "amend", "second"):
        verbs.choices[name].add_argument(
            "--on-behalf-of",
            default="",
            metavar="OFFICER",
            help="admins: record a decision OFFICER took on paper (you stay the actor; both "
            "are recorded; one signature)",
        )
    cases.set_defaults(func=cmd_cases)


def _decisions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden decisions`: the decisions HR receives."""
    decisions = sub.add_parser("decisions", help="decisions HR receives")
    connected(decisions)
    decisions_verbs = decisions.add_subparsers(dest="decisions_command", metavar="VERB")
    decisions_list = decisions_verbs.add_parser("list", help="decisions since a time")
    for parser in (decisions, decisions_list):
        parser.add_argument("--since", type=aware_time, help="ISO 8601 time with zone")
        parser.add_argument("--page-size", type=int, default=100)
    decisions.set_defaults(func=cmd_decisions)


def _employees(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden employees`: employees' records and departments."""
    employees = sub.add_parser("employees", help="employees' records and departments")
    connected(employees)
    employees_verbs = employees.add_subparsers(
        dest="employees_command", required=True, metavar="VERB"
    )
    employees_verbs.add_parser("record", help="confirmed violations").add_argument("employee_id")
    department = employees_verbs.add_parser("department", help="admin: set the department")
    department.add_argument("employee_id")
    department.add_argument("dept")
    employees.set_defaults(func=cmd_employees)


def _audit(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden audit`: the audit trail's verification."""
    audit = sub.add_parser("audit", help="the tamper-evident audit trail")
    audit_verbs = audit.add_subparsers(dest="audit_command", required=True, metavar="VERB")
    verify = audit_verbs.add_parser(
        "verify",
        help="check the chain; name the first broken entry",
        description="Recompute every entry's hash and its link to the previous one, and name "
        "the first entry that does not hold. With --anchors, also check the chain against "
        "every anchor on warden.audit-anchors (the chain's end as the compliance service "
        "published it): that shows a chain rewritten with its hashes recomputed, or cut short, "
        "which the hashes alone cannot. Exit status 1 on any break.",
    )
    verify.add_argument("--db-url", help="default: the compliance database of WARDEN_* settings")
    verify.add_argument(
        "--anchors", action="store_true", help="also check the anchors published on Kafka"
    )
    verify.add_argument("--bootstrap", help="default: WARDEN_KAFKA_BOOTSTRAP")
    verify.add_argument(
        "--chain", help="whose anchors: a deployment's consumer group (WARDEN_CONSUMER_GROUP)"
    )
    verify.add_argument(
        "--timeout", type=positive(float), default=3.0, help="seconds to read anchors (default 3)"
    )
    verify.add_argument("--public-key", help=_PUBLIC_KEY_HELP)
    audit.set_defaults(func=cmd_audit)


def _token(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden token`: bearer tokens for local use."""
    token = sub.add_parser("token", help="signed bearer tokens for local use")
    token_verbs = token.add_subparsers(dest="token_command", required=True, metavar="VERB")
    issue = token_verbs.add_parser("issue", help="print a token signed with the local secret")
    issue.add_argument("--subject", required=True)
    issue.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("officer", "hr_reader", "sales", "aftersales", "admin", "desk", "crm"),
    )
    issue.add_argument(
        "--ttl-hours", type=positive(int), default=8, help="how long it is valid (default 8)"
    )
    issue.add_argument(
        "--audience",
        choices=("api", "console"),
        default="api",
        help="api: gRPC calls and the CLI (default); console: logging in to the web console",
    )
    token.set_defaults(func=cmd_token)


def _hr(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden hr`: the reference HR consumer."""
    hr = sub.add_parser("hr", help="a reference HR consumer of hr.penalty-decisions")
    hr_verbs = hr.add_subparsers(dest="hr_command", required=True, metavar="VERB")
    follow = hr_verbs.add_parser("follow", help="print each decision once (de-duplicated by id)")
    follow.add_argument("--bootstrap", help="default: WARDEN_KAFKA_BOOTSTRAP")
    follow.add_argument("--timeout", type=float, default=5.0)
    follow.add_argument("--public-key", help=_PUBLIC_KEY_HELP)
    follow.add_argument(
        "--legacy",
        action="store_true",
        help="also deliver the unsigned decisions published before signing began (marked "
        "legacy; they never replace a signed decision)",
    )
    hr.set_defaults(func=cmd_hr)


def _dead_letters(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`warden dead-letters`: reading the dead letters."""
    dead = sub.add_parser(
        "dead-letters",
        help="what went to warden.dead-letter, with its reason and origin",
        description="Read warden.dead-letter from the beginning for --timeout seconds and print "
        "each dead letter once: when, why (warden.dlq.reason), where it came from (an input "
        "topic's partition and offset, or a service's outbox row) and its value. Input records "
        "the compliance service refuses land there (not a CloudEvent, over the size or depth "
        "limit, an unknown type or field, a source not allowed on the topic: "
        "WARDEN_ALLOWED_SOURCES), and events Kafka refused to take from a service's outbox. "
        "A value over 512 KiB is shown cut, with its size and SHA-256; the whole of it is kept "
        "in the compliance database: --kept writes it out.",
    )
    dead.add_argument("--bootstrap", help="default: WARDEN_KAFKA_BOOTSTRAP")
    dead.add_argument(
        "--timeout", type=positive(float), default=3.0, help="seconds to read (default 3)"
    )
    dead.add_argument(
        "--limit", type=positive(int), default=0, help="only the last N (default: all)"
    )
    dead.add_argument("--json", action="store_true", help="one JSON object per line")
    dead.add_argument(
        "--kept",
        metavar="ID",
        help="instead of reading the topic, write the whole value the compliance database "
        "keeps of this dead letter of an input record (its warden.dlq.id, e.g. "
        "dead-letter:sales.events:0:41; a cut one's too)",
    )
    dead.add_argument("--db-url", help="with --kept; default: WARDEN_COMPLIANCE_DB_URL")
    dead.add_argument("--out", help="with --kept: the file to write (default: standard output)")
    dead.set_defaults(func=cmd_dead_letters)
