"""`warden snoozes add|list|lift`: officers snooze a rule from a decided case, list the snoozes
and lift one, over the ComplianceService gRPC API (the caller's token is the actor)."""

from __future__ import annotations

import argparse
from typing import Any

from warden.compliance.domain.snoozes import MAX_DAYS
from warden.compliance.edge.cli import connected
from warden.compliance.edge.commands import compliance_stub
from warden.config import Settings


def snooze_line(snooze: Any) -> str:
    """One snooze: id, state, rule, whom, period, from which case, by whom, why."""
    from warden.v1 import compliance_pb2

    scope = compliance_pb2.SnoozeScope.Name(snooze.scope).removeprefix("SNOOZE_SCOPE_").lower()
    ends = snooze.lifted_at if snooze.HasField("lifted_at") else snooze.ends_at
    period = (
        f"{snooze.starts_at.ToDatetime():%Y-%m-%d %H:%M} to {ends.ToDatetime():%Y-%m-%d %H:%M} UTC"
    )
    lifted = f", lifted by {snooze.lifted_by}" if snooze.lifted_by else ""
    return (
        f"{snooze.snooze_id}  {snooze.state:<7} {snooze.rule_id} for {scope} {snooze.subject}, "
        f"{period} (case {snooze.case_id}, by {snooze.snoozed_by}{lifted}): {snooze.reason}"
    )


def cmd_snoozes(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import compliance_pb2 as pb

    stub = compliance_stub(args, settings)
    verb = args.snoozes_command
    if verb == "add":
        scope = pb.SNOOZE_SCOPE_CUSTOMER if args.customer else pb.SNOOZE_SCOPE_EMPLOYEE
        reply = stub.SnoozeRule(
            pb.SnoozeRuleRequest(
                case_id=args.case_id,
                rule_id=args.rule,
                scope=scope,
                customer_id=args.customer,
                days=args.days,
                reason=args.reason,
            ),
            timeout=10,
        )
        print(f"snoozed: {snooze_line(reply.snooze)}")
    elif verb == "lift":
        reply = stub.LiftSnooze(
            pb.LiftSnoozeRequest(snooze_id=args.snooze_id, reason=args.reason), timeout=10
        )
        print(f"lifted: {snooze_line(reply.snooze)}")
    else:
        reply = stub.ListSnoozes(
            pb.ListSnoozesRequest(rule_id=args.rule, subject=args.subject, active_only=args.active),
            timeout=10,
        )
        print("\n".join(snooze_line(s) for s in reply.snoozes) or "no snoozes")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `warden snoozes` and its verbs to the `warden` command."""
    snoozes = sub.add_parser("snoozes", help="rule snoozes set from decided cases: add, list, lift")
    connected(snoozes)
    verbs = snoozes.add_subparsers(dest="snoozes_command", required=True, metavar="VERB")
    snooze = verbs.add_parser(
        "add", help="from a decided case: its findings' RULE opens no case for a while"
    )
    snooze.add_argument("case_id")
    snooze.add_argument("--rule", required=True, help="a rule id the case's findings name")
    snooze.add_argument("--days", type=int, required=True, help=f"1 to {MAX_DAYS}")
    snooze.add_argument("--reason", required=True, help="why (recorded in the audit trail)")
    snooze.add_argument(
        "--customer",
        default="",
        metavar="CUSTOMER_ID",
        help="snooze it for this customer of the case's events, not the case's employee",
    )
    unsnooze = verbs.add_parser("lift", help="lift an active snooze now")
    unsnooze.add_argument("snooze_id")
    unsnooze.add_argument("--reason", default="")
    listing = verbs.add_parser("list", help="the snoozes, newest first")
    listing.add_argument("--rule", default="")
    listing.add_argument("--subject", default="", help="an employee or customer id")
    listing.add_argument("--active", action="store_true", help="only those in force now")
    snoozes.set_defaults(func=cmd_snoozes)
