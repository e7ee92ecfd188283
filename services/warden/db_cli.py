"""The `warden db status|upgrade` verbs: each service database's schema revision, and upgrades."""

from __future__ import annotations

import argparse

from warden.config import SERVICES, Settings

_SERVICE_HELP = f"any of {', '.join(SERVICES)} (default: all three)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser(
        "db",
        help="the services' database schemas: revision of each, upgrades",
        description="Each service keeps its own database, with its schema revision recorded "
        "in it (Alembic). A service refuses to start on a schema behind or ahead of its code; "
        "`warden db upgrade` brings the databases to this release. See docs/migrations.md.",
    )
    verbs = db.add_subparsers(dest="db_command", required=True, metavar="VERB")
    status = verbs.add_parser("status", help="each database's revision and this code's newest")
    status.add_argument("service", nargs="*", type=_service, help=_SERVICE_HELP)
    status.set_defaults(func=cmd_status)
    upgrade = verbs.add_parser(
        "upgrade",
        help="apply the missing revisions (back the databases up first)",
        description="Apply each named service's missing revisions (all three by default), "
        "each database in one transaction: a failed upgrade leaves it as it was. A database "
        "made before Warden had migrations is brought to the baseline and stamped first.",
    )
    upgrade.add_argument("service", nargs="*", type=_service, help=_SERVICE_HELP)
    upgrade.add_argument("--to", default="head", help="a revision id (default: the newest)")
    upgrade.set_defaults(func=cmd_upgrade)


def _service(name: str) -> str:
    if name not in SERVICES:
        raise argparse.ArgumentTypeError(f"no such service: {name!r} ({_SERVICE_HELP})")
    return name


def _chosen(args: argparse.Namespace) -> list[str]:
    return list(args.service) or list(SERVICES)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from warden import migrations
    from warden.platform.db import make_engine, shown_url

    behind = 0
    print(f"{'service':<11} {'state':<12} {'revision':<18} {'newest':<18} database")
    for service in _chosen(args):
        url = settings.db_url(service)
        engine = make_engine(url) if _exists(url) else None
        try:
            found = (
                migrations.status(engine, service)
                if engine
                else migrations.Status(service, None, migrations.head(service), 0)
            )
        finally:
            if engine:
                engine.dispose()
        behind += found.state not in ("current", "empty")
        print(
            f"{service:<11} {found.state:<12} {found.current or '-':<18} {found.head:<18} "
            f"{shown_url(url)}"
        )
    return 1 if behind else 0


def cmd_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import DBAPIError

    from warden import migrations
    from warden.platform.db import shown_url

    for service in _chosen(args):
        url = settings.db_url(service)
        try:
            done = migrations.upgrade(url, service, args.to, say=_say)
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise OSError(
                f"the {service} database {shown_url(url)} was not upgraded (nothing changed): "
                f"{reason}"
            ) from None
        print(f"{service}: at {done.current} ({done.state})", flush=True)
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _exists(url: str) -> bool:
    """False for an SQLite file not made yet (status must not create it)."""
    from warden.platform.db import table_names

    return bool(table_names(url))
