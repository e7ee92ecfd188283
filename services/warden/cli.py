"""The `warden` command: run the services or the demo, review cases, check rule files."""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading

import grpc

from warden.config import SERVICES, Settings
from warden.platform import logs

log = logging.getLogger("warden")

# Modules that add their own verbs: each has register(subparsers), and sets func(args, settings).
EXTENSIONS = (
    "warden.sales.edge.cli",
    "warden.aftersales.edge.cli",
    "warden.compliance.edge.cli",
    "warden.compliance.edge.snooze_cli",
    "warden.compliance.edge.rules_cli",
    "warden.db_cli",
    "warden.console.users_cli",
)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from warden.bootstrap import BUILDERS

    if not settings.kafka_bootstrap:
        print(
            "error: WARDEN_KAFKA_BOOTSTRAP is not set. Point it at a Kafka cluster, or run "
            "`warden up` to start the embedded broker and all three services together.",
            file=sys.stderr,
        )
        return 2
    from kafka.errors import KafkaError
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from warden.compliance.operations.retention import HorizonTooShort
    from warden.compliance.rules.reading import RuleBookInvalid
    from warden.migrations import SchemaError
    from warden.platform.runtime import freeze_startup_objects

    try:
        runtime = BUILDERS[args.service](settings)[0].start()
    except HorizonTooShort as short:
        print(f"error: {short}; the service does not start", file=sys.stderr)
        return 2
    except RuleBookInvalid as invalid:
        for error in invalid.errors:
            print(f"error: {error}", file=sys.stderr)
        print(
            f"{len(invalid.errors)} error(s) in {settings.rules_dir}: the service does not start",
            file=sys.stderr,
        )
        return 1
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        # Start-up reaches the database first: say which one, without its password.
        shown = make_url(settings.db_url(args.service)).render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(
            f"error: the {args.service} database {shown} is not reachable: {reason}",
            file=sys.stderr,
        )
        return 1
    except KafkaError as exc:  # NoBrokersAvailable, KafkaTimeoutError: nobody answered
        print(
            f"error: no Kafka broker answered at {settings.kafka_bootstrap} ({type(exc).__name__})",
            file=sys.stderr,
        )
        return 1
    freeze_startup_objects()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: runtime.end())
    runtime.ended.wait()  # a signal, or a worker that failed
    runtime.stop()
    if runtime.failure:
        print(f"error: the {args.service} service stopped: {runtime.failure}", file=sys.stderr)
        return 1
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from warden.stack import Stack

    with Stack(settings) as stack:
        print(f"Warden is up: broker {stack.bootstrap}")
        for service in SERVICES:
            print(f"  {service:<11} {stack.address(service)}")
        print(
            f"  {'console':<11} {stack.console_url} "
            "(log in with `warden token issue --audience console`)"
        )
        ports = ", ".join(f"{s} {settings.metrics_port(s)}" for s in SERVICES)
        print(f"  {'metrics':<11} http://{settings.metrics_host}:PORT/metrics ({ports})")
        print(f"Logs in {stack.log_dir}. Ctrl-C stops everything.", flush=True)
        stopped = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopped.set())
        while not stopped.wait(0.5):
            stack.supervise()  # a service that died is started again, with backoff
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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="warden",
        description="Warden: compliance engine for sales and after-sales operations. "
        "Settings come from WARDEN_* environment variables (see docs/configuration.md).",
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
    quiet = args.command in (
        "demo",
        "cases",
        "snoozes",
        "decisions",
        "rules",
        "employees",
        "audit",
        "token",
        "hr",
        "dead-letters",
        "db",
    )
    logs.setup(args.log_level or ("WARNING" if quiet else settings.log_level), settings.log_format)
    if quiet and not args.log_level:
        # A command's own error says when Kafka cannot be reached; kafka-python's retries
        # would log each failed connection first.
        logging.getLogger("kafka").setLevel(logging.CRITICAL)
    try:
        return int(args.func(args, settings))
    except grpc.RpcError as exc:
        print(f"error: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1
    except (TimeoutError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
