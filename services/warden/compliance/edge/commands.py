"""The `warden` compliance verbs' handlers: each turns its arguments into a
ComplianceService call over gRPC (or reads the HR topic) and prints the reply."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import grpc

from warden.config import Settings

OUTCOMES = {"confirm": 1, "dismiss": 2, "amend": 3}
STATUSES = {"all": 0, "open": 1, "decided": 2, "in_review": 3, "appealed": 4}


def aware_time(text: str) -> datetime:
    """An argparse type: an ISO 8601 time with its zone, or an error naming what is wrong."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time, e.g. 2026-11-01T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a timezone, e.g. 2026-11-01T00:00:00Z")
    return moment


def channel(args: argparse.Namespace, settings: Settings) -> grpc.Channel:
    """A channel to the compliance server (--address) carrying the caller's token (--token or
    $WARDEN_TOKEN); every compliance verb needs one."""
    from warden.platform.tls import open_channel

    token = args.token or os.environ.get("WARDEN_TOKEN", "")
    if not token:
        raise OSError("no token: pass --token or set WARDEN_TOKEN (see `warden token issue`)")
    address = args.address or f"127.0.0.1:{settings.compliance_port}"
    return open_channel(address, settings, token)


def compliance_stub(args: argparse.Namespace, settings: Settings) -> Any:
    from warden.v1 import compliance_pb2_grpc

    return compliance_pb2_grpc.ComplianceServiceStub(channel(args, settings))


def _sanction(args: argparse.Namespace) -> Any:
    from warden.v1 import common_pb2, compliance_pb2

    kind = compliance_pb2.SanctionKind.Value(f"SANCTION_KIND_{args.sanction.upper()}")
    fine = (
        common_pb2.Money(amount_minor=args.amount_minor, currency=args.currency)
        if args.amount_minor is not None
        else None
    )
    return compliance_pb2.Sanction(kind=kind, fine=fine, days=args.days or 0)


def cmd_cases(args: argparse.Namespace, settings: Settings) -> int:
    from warden.render import case_line, case_text, decision_text
    from warden.v1 import compliance_pb2 as pb

    stub = compliance_stub(args, settings)
    verb = args.cases_command
    if verb in ("inboxes", "next"):
        from warden.compliance.edge import inbox_commands

        return inbox_commands.run(stub, args)
    if verb == "list":
        reply = stub.ListCases(
            pb.ListCasesRequest(
                status=STATUSES[args.status],
                severity=args.severity,
                clause=args.clause,
                employee_id=args.employee,
                department=args.department,
                min_age_hours=args.min_age_hours,
                page_size=args.page_size,
                page_token=args.page_token,
                inbox=args.inbox,
                queue_order=args.by_due,
            ),
            timeout=10,
        )
        print("\n".join(case_line(c) for c in reply.cases) or "no cases")
        if reply.next_page_token:
            print(f"more: --page-token {reply.next_page_token}")
    elif verb == "show":
        print(case_text(stub.GetCase(pb.GetCaseRequest(case_id=args.case_id), timeout=10).case))
    elif verb == "claim":
        case = stub.ClaimCase(pb.ClaimCaseRequest(case_id=args.case_id), timeout=10).case
        print(f"case {case.case_id} claimed by {case.assignee}")
    elif verb == "comment":
        said = stub.CommentCase(
            pb.CommentCaseRequest(case_id=args.case_id, text=args.text), timeout=10
        ).comment
        print(f"comment by {said.author} recorded")
    elif verb == "appeal":
        stub.AppealCase(pb.AppealCaseRequest(case_id=args.case_id, reason=args.reason), timeout=10)
        print(f"case {args.case_id} reopened on appeal")
    elif verb == "second":
        if args.reject is not None:
            stub.RejectDecision(
                pb.RejectDecisionRequest(case_id=args.case_id, reason=args.reject), timeout=10
            )
            print(f"pending decision on {args.case_id} rejected")
        else:
            reply = stub.ConfirmDecision(
                pb.ConfirmDecisionRequest(case_id=args.case_id, on_behalf_of=args.on_behalf_of)
            )
            print(decision_text(reply.decision))
    else:
        outcome = {"decide": "confirm", "amend": "amend", "dismiss": "dismiss"}[verb]
        request = pb.DecideCaseRequest(
            case_id=args.case_id,
            outcome=OUTCOMES[outcome],
            reason=args.reason,
            on_behalf_of=args.on_behalf_of,
        )
        if verb == "amend":
            request.sanction.CopyFrom(_sanction(args))
        reply = stub.DecideCase(request, timeout=10)
        if reply.HasField("decision"):
            print(decision_text(reply.decision))
        else:
            print(f"case {args.case_id}: awaits a second officer (`warden cases second`)")
    return 0


def cmd_decisions(args: argparse.Namespace, settings: Settings) -> int:
    from warden.platform.proto_convert import timestamp_out
    from warden.render import decision_text
    from warden.v1 import compliance_pb2

    request = compliance_pb2.ListDecisionsRequest(page_size=args.page_size)
    if args.since:
        request.since.CopyFrom(timestamp_out(args.since))
    reply = compliance_stub(args, settings).ListDecisions(request, timeout=10)
    print("\n".join(decision_text(d) for d in reply.decisions) or "no decisions")
    return 0


def cmd_employees(args: argparse.Namespace, settings: Settings) -> int:
    from warden.render import decision_text
    from warden.v1 import compliance_pb2 as pb

    stub = compliance_stub(args, settings)
    if args.employees_command == "department":
        stub.SetEmployeeDepartment(
            pb.SetEmployeeDepartmentRequest(employee_id=args.employee_id, department=args.dept)
        )
        print(f"{args.employee_id} is in {args.dept}")
        return 0
    reply = stub.GetEmployeeRecord(pb.GetEmployeeRecordRequest(employee_id=args.employee_id))
    print(f"Employee {reply.employee_id} ({reply.department or 'no department on file'})")
    print("\n".join(decision_text(d) for d in reply.decisions) or "  no confirmed violations")
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.review import anchoring, audit
    from warden.compliance.storage import audit_store
    from warden.platform.db import open_existing
    from warden.platform.kafka import read_topic
    from warden.platform.kafka_options import client_options
    from warden.platform.topics import AUDIT_ANCHORS

    bootstrap = args.bootstrap or settings.kafka_bootstrap
    if args.anchors and not bootstrap:
        raise OSError("--anchors reads Kafka: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP")
    verifier = verifier_for(args, settings) if args.anchors else None
    chain = args.chain or settings.consumer_group
    engine = open_existing(
        args.db_url or settings.db_url("compliance"), "audit_log", "compliance database"
    )
    try:
        with engine.connect() as conn:
            entries = audit_store.audit_entries(conn)
            sent = anchoring.sent_anchors(conn, chain) if args.anchors else []
    finally:
        engine.dispose()
    checked, broken = audit.verify(entries)
    if broken:
        print(f"BROKEN: {broken} ({checked} entries read)", file=sys.stderr)
        return 1
    print(f"audit chain intact: {checked} entries verified")
    if not args.anchors:
        return 0
    records = read_topic(bootstrap, AUDIT_ANCHORS, args.timeout, 10**9, client_options(settings))
    read = anchoring.read_anchors(records, chain, verifier)
    anchors = read.anchors
    if read.others:
        print(f"anchors of other chains left aside: {', '.join(sorted(read.others))}")
    for problem in read.unreadable:
        print(f"unreadable record left aside: {problem}", file=sys.stderr)
    for problem in read.forged:
        print(f"FORGED record left aside: {problem}", file=sys.stderr)
    for legacy in audit.check_anchors(entries, read.legacy):
        print(
            f"WARNING: legacy anchor (unsigned, before signing began, so it proves nothing "
            f"alone): {legacy}",
            file=sys.stderr,
        )
    missing, notes = anchoring.missing_on_kafka(sent, chain, read)
    for note in notes:
        print(f"note: {note}")
    if read.legacy:
        print(f"{len(read.legacy)} legacy anchor(s): unsigned, before signing began")
    breaks = [str(b) for b in audit.check_anchors(entries, anchors)] + missing
    for anchor_break in breaks:
        print(f"BROKEN: {anchor_break}", file=sys.stderr)
    if breaks:
        return 1
    if not anchors:
        print(
            f"no anchor of chain {chain} on {AUDIT_ANCHORS} yet (the compliance service "
            "anchors the chain's end every WARDEN_AUDIT_ANCHOR_INTERVAL_S when it moved)"
        )
        return 0
    latest = max(anchors, key=lambda a: a.seq)
    print(
        f"{len(anchors)} anchor(s) match the chain; the latest, entry {latest.seq}, "
        f"anchored at {latest.anchored_at.isoformat()}; {checked - latest.seq} entries since"
    )
    return 0


def verifier_for(args: argparse.Namespace, settings: Settings) -> Any:
    """The public key records are checked with: --public-key (a PEM file, as GetSigningKey
    serves it), else that of the signing key of these settings, which must exist."""
    from warden.platform.signing import DEFAULT_KEY_FILE, Verifier, load_signer

    if args.public_key:
        try:
            return Verifier.from_pem(Path(args.public_key).read_bytes())
        except ValueError as exc:
            raise OSError(f"--public-key {args.public_key}: {exc}") from None
    configured = settings.signing_key_file
    if not configured and not (settings.data_dir / DEFAULT_KEY_FILE).exists():
        raise OSError(
            "no public key: pass --public-key (GetSigningKey serves it) or set "
            "WARDEN_SIGNING_KEY_FILE"
        )
    return load_signer(settings.data_dir, configured).verifier()


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from warden.platform.auth import API, CONSOLE, issue_token, secret_for

    ttl_s = args.ttl_hours * 3600
    if ttl_s > settings.token_max_ttl_s:
        print(
            f"error: --ttl-hours {args.ttl_hours} is over the {settings.token_max_ttl_s} s "
            "maximum (WARDEN_TOKEN_MAX_TTL_S): services would refuse the token",
            file=sys.stderr,
        )
        return 2
    secret = secret_for(settings.data_dir, settings.auth_secret)
    audience = CONSOLE if args.audience == "console" else API
    print(issue_token(secret, args.subject, args.role, ttl_s, audience=audience))
    return 0


def cmd_hr(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.review.cutover import LEGACY
    from warden.compliance.review.hrfeed import HrLedger
    from warden.platform.kafka import read_topic
    from warden.platform.kafka_options import client_options
    from warden.platform.topics import HR_PENALTY_DECISIONS

    bootstrap = args.bootstrap or settings.kafka_bootstrap
    if not bootstrap:
        raise OSError("no broker: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP")
    verifier = verifier_for(args, settings)
    ledger = HrLedger()
    records = read_topic(
        bootstrap, HR_PENALTY_DECISIONS, args.timeout, 10**9, client_options(settings)
    )
    applied = ledger.follow(records, verifier, legacy=args.legacy)
    legacy_ids = {id(r) for r in ledger.legacy_records}
    for decision in applied:
        mark = f" ({LEGACY})" if id(decision) in legacy_ids else ""
        print(json.dumps(decision, sort_keys=True) + mark)
    for problem in ledger.legacy:
        print(f"LEGACY record{'' if args.legacy else ' left aside'}: {problem}", file=sys.stderr)
    for problem in ledger.forged:
        print(f"FORGED record left aside: {problem}", file=sys.stderr)
    legacy = (
        f"{len(ledger.legacy_records)} legacy decision(s) delivered"
        if args.legacy
        else f"{len(ledger.legacy)} legacy record(s) left aside (--legacy delivers them)"
    )
    print(
        f"{len(ledger.records)} decision(s), {ledger.duplicates} redelivery(ies) ignored, "
        f"{legacy}, {len(ledger.forged)} forged record(s) left aside"
    )
    return 0
