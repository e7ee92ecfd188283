"""`warden cases inboxes` and `warden cases next INBOX`: the officers' inboxes and the next
case of one, over gRPC."""

from __future__ import annotations

import argparse
from typing import Any


def inboxes_text(reply: Any) -> str:
    """One block per inbox: SLA, what it takes, counts, and each officer's load."""
    lines = []
    for inbox in reply.inboxes:
        takes = ", ".join([*inbox.clauses, *(f"dept {d}" for d in inbox.departments)])
        lines.append(
            f"{inbox.name}  ({inbox.title})  SLA {inbox.sla_hours:g} h  takes "
            f"{takes or 'every other case'}"
        )
        lines.append(
            f"  waiting {inbox.waiting}, in review {inbox.in_review}, overdue {inbox.overdue}"
        )
        if inbox.officers:
            loads = ", ".join(f"{o.officer_id} {o.open_cases}" for o in inbox.officers)
            lines.append(f"  officers (open cases, limit {inbox.officer_limit}): {loads}")
        else:
            lines.append("  no officers: cases wait for `warden cases next`")
    return "\n".join(lines) or "no inboxes"


def run(stub: Any, args: argparse.Namespace) -> int:
    from warden.render import case_text
    from warden.v1 import compliance_pb2 as pb

    if args.cases_command == "inboxes":
        print(inboxes_text(stub.ListInboxes(pb.ListInboxesRequest(), timeout=10)))
        return 0
    reply = stub.NextCase(pb.NextCaseRequest(inbox=args.inbox), timeout=10)
    if not reply.HasField("case"):
        print(f"no case in inbox {args.inbox} that you may review is waiting")
        return 0
    print(f"case {reply.case.case_id} is yours (claimed)")
    print(case_text(reply.case))
    return 0
