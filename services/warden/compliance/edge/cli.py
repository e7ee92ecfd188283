"""The `warden cases|decisions|employees|audit|token|hr|dead-letters` verbs of the compliance
service."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from datetime import UTC, datetime
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


def _stub(args: argparse.Namespace, settings: Settings) -> Any:
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

    stub = _stub(args, settings)
    verb = args.cases_command
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
    reply = _stub(args, settings).ListDecisions(request, timeout=10)
    print("\n".join(decision_text(d) for d in reply.decisions) or "no decisions")
    return 0


def cmd_employees(args: argparse.Namespace, settings: Settings) -> int:
    from warden.render import decision_text
    from warden.v1 import compliance_pb2 as pb

    stub = _stub(args, settings)
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
    from warden.compliance.storage import store
    from warden.platform.db import open_existing
    from warden.platform.kafka import client_options, read_topic
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
            entries = store.audit_entries(conn)
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
    from warden.platform.kafka import client_options, read_topic
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


# Headers that describe a dead letter's value rather than where it came from.
_VALUE_HEADERS = ("warden.dlq.size", "warden.dlq.sha256", "warden.dlq.cut", "warden.dlq.tombstone")


def dead_letter_view(record: Any) -> dict[str, Any]:
    """A record of the dead-letter topic as an operator reads it: where it sits, why it is
    there, where it came from (an input topic's partition and offset, or a service's outbox
    row), and its value (the original bytes, as text where they are UTF-8): whole, or cut to
    its first bytes with the original size and SHA-256 (the whole kept in the database)."""
    headers = {name: value.decode(errors="replace") for name, value in record.headers or []}
    reason = headers.pop("warden.dlq.reason", "(no reason header)")
    about = {name: headers.pop(name, None) for name in _VALUE_HEADERS}
    value = record.value or b""
    try:
        text: str | None = value.decode()
    except UnicodeDecodeError:
        text = None
    return {
        "partition": record.partition,
        "offset": record.offset,
        "time": datetime.fromtimestamp(record.timestamp / 1000, UTC).isoformat(),
        "key": record.key.decode(errors="replace") if record.key else "",
        "reason": reason,
        "origin": {k.removeprefix("warden.dlq."): v for k, v in sorted(headers.items())},
        "bytes": len(value),
        "size": int(about["warden.dlq.size"] or len(value)),
        "sha256": about["warden.dlq.sha256"] or hashlib.sha256(value).hexdigest(),
        "cut": about["warden.dlq.cut"],
        "tombstone": about["warden.dlq.tombstone"] is not None,
        "value": text if text is not None else value.hex(),
    }


def once_each(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views with a dead letter published again (the relay stopped between the broker's
    acknowledgement and marking its row) shown once: the first of each `id`."""
    seen: set[str] = set()
    kept = []
    for view in views:
        key = view["origin"].get("id")
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        kept.append(view)
    return kept


def _value_line(view: dict[str, Any]) -> str:
    if view["tombstone"]:
        return "none (a tombstone record)"
    preview = view["value"][:120] + ("..." if len(view["value"]) > 120 else "")
    if view["cut"]:
        return f"{view['size']} bytes, sha256 {view['sha256']}; {view['cut']}: {preview!r}"
    return f"{view['bytes']} bytes: {preview!r}"


def cmd_dead_letters(args: argparse.Namespace, settings: Settings) -> int:
    from warden.platform.kafka import client_options, read_topic
    from warden.platform.topics import DEAD_LETTER

    if args.kept:
        return _write_kept(args, settings)
    bootstrap = args.bootstrap or settings.kafka_bootstrap
    if not bootstrap:
        raise OSError("no broker: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP")
    records = read_topic(bootstrap, DEAD_LETTER, args.timeout, 10**9, client_options(settings))
    views = [dead_letter_view(r) for r in records]
    views.sort(key=lambda v: (v["time"], v["partition"], v["offset"]))
    views = once_each(views)
    for view in views[-args.limit :] if args.limit else views:
        if args.json:
            print(json.dumps(view, sort_keys=True))
            continue
        origin = ", ".join(f"{k}={v}" for k, v in view["origin"].items())
        print(f"{view['time']}  [{view['partition']}]@{view['offset']}  key={view['key']!r}")
        print(f"  reason: {view['reason']}")
        print(f"  from:   {origin or '(no origin headers)'}")
        print(f"  value:  {_value_line(view)}")
    print(f"{len(views)} dead letter(s) on {DEAD_LETTER}", file=sys.stderr)
    return 0


def _write_kept(args: argparse.Namespace, settings: Settings) -> int:
    """Write the whole value the compliance database keeps of dead letter `args.kept` (its
    warden.dlq.id) to `args.out`, or to standard output."""
    from sqlalchemy import select

    from warden.compliance.storage import store
    from warden.platform.db import open_existing
    from warden.platform.deadletter import stored_value
    from warden.platform.topics import DEAD_LETTER

    table = store.outbox.table
    url = args.db_url or settings.db_url("compliance")
    engine = open_existing(url, table.name, "compliance database")
    try:
        with engine.connect() as conn:
            payload = conn.execute(
                select(table.c.payload).where(
                    table.c.event_id == args.kept, table.c.topic == DEAD_LETTER
                )
            ).scalar()
    finally:
        engine.dispose()
    if payload is None:
        raise OSError(f"no dead letter {args.kept!r} in the compliance database")
    value = stored_value(payload)
    if args.out:
        with open(args.out, "wb") as out:
            out.write(value)
        print(f"{len(value)} bytes of {args.kept} written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(value)
        sys.stdout.flush()
    return 0


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

    decisions = sub.add_parser("decisions", help="decisions HR receives")
    connected(decisions)
    decisions_verbs = decisions.add_subparsers(dest="decisions_command", metavar="VERB")
    decisions_list = decisions_verbs.add_parser("list", help="decisions since a time")
    for parser in (decisions, decisions_list):
        parser.add_argument("--since", type=aware_time, help="ISO 8601 time with zone")
        parser.add_argument("--page-size", type=int, default=100)
    decisions.set_defaults(func=cmd_decisions)

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

    token = sub.add_parser("token", help="signed bearer tokens for local use")
    token_verbs = token.add_subparsers(dest="token_command", required=True, metavar="VERB")
    issue = token_verbs.add_parser("issue", help="print a token signed with the local secret")
    issue.add_argument("--subject", required=True)
    issue.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("officer", "hr_reader", "sales", "aftersales", "admin", "desk"),
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
