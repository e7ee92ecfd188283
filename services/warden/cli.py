"""The `warden` command: run the services or the demo, review cases, check rule files."""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path

import grpc

from warden.config import SERVICES, Settings

log = logging.getLogger("warden")

# Modules that add their own verbs: each has register(subparsers), and sets func(args, settings).
EXTENSIONS = ("warden.sales.cli", "warden.aftersales.cli")


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from warden.bootstrap import BUILDERS

    if not settings.kafka_bootstrap:
        print(
            "error: WARDEN_KAFKA_BOOTSTRAP is not set. Point it at a Kafka cluster, or run "
            "`warden up` to start the embedded broker and all three services together.",
            file=sys.stderr,
        )
        return 2
    runtime = BUILDERS[args.service](settings)[0].start()
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    runtime.stop()
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from warden.stack import Stack

    with Stack(settings) as stack:
        print(f"Warden is up: broker {stack.bootstrap}")
        for service in SERVICES:
            print(f"  {service:<11} {stack.address(service)}")
        print(f"Logs in {stack.log_dir}. Ctrl-C stops everything.")
        stopped = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopped.set())
        stopped.wait()
    return 0


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from warden.platform.embedded_broker import EmbeddedBroker

    with EmbeddedBroker(port=args.port) as broker:
        print(f"embedded broker listening on {broker.bootstrap}; Ctrl-C stops it", flush=True)
        stopped = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopped.set())
        stopped.wait()
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from warden import demo

    return demo.run(settings)


def _compliance_stub(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    from warden.v1 import compliance_pb2_grpc

    address = args.address or f"127.0.0.1:{settings.compliance_port}"
    return compliance_pb2_grpc.ComplianceServiceStub(grpc.insecure_channel(address))


def cmd_cases(args: argparse.Namespace, settings: Settings) -> int:
    from warden.render import case_text, decision_text
    from warden.v1 import compliance_pb2

    stub = _compliance_stub(args, settings)
    if args.cases_command == "list":
        status = {"open": 1, "decided": 2, "all": 0}[args.status]
        reply = stub.ListCases(
            compliance_pb2.ListCasesRequest(
                status=status, page_size=args.page_size, page_token=args.page_token
            ),
            timeout=10,
        )
        if not reply.cases:
            print("no cases")
        for case in reply.cases:
            opened = case.opened_at.ToDatetime().strftime("%Y-%m-%d %H:%M")
            print(
                f"{case.case_id}  {opened}  {case.clause:<6} {case.severity:<8} "
                f"{case.employee_id:<16} {case.title}"
            )
        if reply.next_page_token:
            print(f"more: --page-token {reply.next_page_token}")
    elif args.cases_command == "show":
        reply = stub.GetCase(compliance_pb2.GetCaseRequest(case_id=args.case_id), timeout=10)
        print(case_text(reply.case))
    else:
        outcome = (
            compliance_pb2.OUTCOME_CONFIRMED if args.confirm else compliance_pb2.OUTCOME_DISMISSED
        )
        reply = stub.DecideCase(
            compliance_pb2.DecideCaseRequest(
                case_id=args.case_id, officer_id=args.officer, outcome=outcome, reason=args.reason
            ),
            timeout=10,
        )
        print(decision_text(reply.decision))
    return 0


def cmd_decisions(args: argparse.Namespace, settings: Settings) -> int:
    from google.protobuf.timestamp_pb2 import Timestamp

    from warden.render import decision_text
    from warden.v1 import compliance_pb2

    request = compliance_pb2.ListDecisionsRequest(page_size=args.page_size)
    if args.since:
        stamp = Timestamp()
        stamp.FromDatetime(args.since)
        request.since.CopyFrom(stamp)
    reply = _compliance_stub(args, settings).ListDecisions(request, timeout=10)
    if not reply.decisions:
        print("no decisions")
    for decision in reply.decisions:
        print(decision_text(decision))
    return 0


def cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.rulebook import RuleBookInvalid, load_rules

    directory = Path(args.directory) if args.directory else settings.rules_dir
    try:
        rules = load_rules(directory)
    except RuleBookInvalid as invalid:
        for error in invalid.errors:
            print(error, file=sys.stderr)
        print(f"{len(invalid.errors)} error(s) in {directory}", file=sys.stderr)
        return 1
    for rule in rules:
        print(f"ok  {rule.key:<32} {rule.clause:<6} {rule.severity:<8} {rule.title}")
    print(f"{len(rules)} rule(s) valid in {directory}")
    return 0


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a timezone, e.g. 2026-11-01T00:00:00Z")
    return moment


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="warden",
        description="Warden: compliance engine for sales and after-sales operations. "
        "Settings come from WARDEN_* environment variables (see README).",
    )
    top.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING (default: INFO)")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run one service (needs WARDEN_KAFKA_BOOTSTRAP)")
    serve.add_argument("service", choices=SERVICES)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("up", help="embedded broker and all three services, until Ctrl-C").set_defaults(
        func=cmd_up
    )
    broker = sub.add_parser("broker", help="run the embedded Kafka-compatible broker")
    broker.add_argument("--port", type=int, default=9092)
    broker.set_defaults(func=cmd_broker)
    sub.add_parser("demo", help="run the scripted scenario end to end").set_defaults(func=cmd_demo)

    cases = sub.add_parser("cases", help="list, show and decide compliance cases")
    cases.add_argument("--address", help="compliance service host:port")
    verbs = cases.add_subparsers(dest="cases_command", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="list cases, newest first")
    listing.add_argument("--status", choices=("open", "decided", "all"), default="open")
    listing.add_argument("--page-size", type=int, default=50)
    listing.add_argument("--page-token", default="")
    show = verbs.add_parser("show", help="a case with its findings explained")
    show.add_argument("case_id")
    decide = verbs.add_parser("decide", help="confirm or dismiss a case's proposed sanction")
    decide.add_argument("case_id")
    decide.add_argument("--officer", required=True, help="the deciding officer's id")
    choice = decide.add_mutually_exclusive_group(required=True)
    choice.add_argument("--confirm", action="store_true")
    choice.add_argument("--dismiss", action="store_true")
    decide.add_argument("--reason", default="", help="required to dismiss")
    cases.set_defaults(func=cmd_cases)

    decisions = sub.add_parser("decisions", help="list decisions (what HR receives)")
    decisions.add_argument("--address", help="compliance service host:port")
    decisions.add_argument("--since", type=_aware, help="ISO 8601 time with zone")
    decisions.add_argument("--page-size", type=int, default=100)
    decisions.set_defaults(func=cmd_decisions)

    rules = sub.add_parser("rules", help="check rule files")
    rules_verbs = rules.add_subparsers(dest="rules_command", required=True, metavar="VERB")
    validate = rules_verbs.add_parser("validate", help="validate every rule file")
    validate.add_argument("directory", nargs="?", help="default: WARDEN_RULES_DIR or rules/")
    rules.set_defaults(func=cmd_rules)
    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    quiet = args.command in ("demo", "cases", "decisions", "rules")
    _setup_logging(args.log_level or ("WARNING" if quiet else settings.log_level))
    try:
        return int(args.func(args, settings))
    except grpc.RpcError as exc:
        print(f"error: {exc.code().name}: {exc.details()}", file=sys.stderr)  # type: ignore[attr-defined]
        return 1
    except (TimeoutError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
