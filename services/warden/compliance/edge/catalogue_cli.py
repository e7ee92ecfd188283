"""The `warden rules publish|activate|deactivate|list|history` verbs: the rule catalogue of a
running compliance service, over gRPC (RuleCatalogService). Changing it needs the admin role."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from warden.compliance.edge.cli import connected
from warden.compliance.edge.commands import channel
from warden.config import Settings


def _stub(args: argparse.Namespace, settings: Settings) -> Any:
    from warden.v1 import rules_pb2_grpc

    return rules_pb2_grpc.RuleCatalogServiceStub(channel(args, settings))


def _versions(status: Any) -> str:
    active = f"v{status.active_version}" if status.active_version else "off"
    shadow = f"v{status.shadow_version}" if status.shadow_version else "-"
    return f"{active:<7} {shadow:<7}"


def _line(status: Any) -> str:
    published = ",".join(f"v{v}" for v in status.versions)
    return (
        f"{status.rule_id:<40} {status.clause:<6} {_versions(status)} "
        f"{status.active_findings:>8} {status.shadow_findings:>8}  {published}"
    )


HEADER = (
    f"{'rule':<40} {'clause':<6} {'active':<7} {'shadow':<7} "
    f"{'findings':>8} {'shadow':>8}  published"
)


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.rules.reading import RuleBookInvalid
    from warden.compliance.rules.rule_files import files_in
    from warden.compliance.rules.rulebook import load_rules
    from warden.v1 import rules_pb2

    directory = Path(args.directory) if args.directory else settings.rules_dir
    try:
        load_rules(directory)  # the same checks the service makes, reported here first
    except RuleBookInvalid as invalid:
        for error in invalid.errors:
            print(error, file=sys.stderr)
        print(f"{len(invalid.errors)} error(s) in {directory}: nothing published", file=sys.stderr)
        return 1
    files = [rules_pb2.RuleFile(path=f.path, text=f.text) for f in files_in(directory)]
    reply = _stub(args, settings).PublishRules(
        rules_pb2.PublishRulesRequest(files=files), timeout=30
    )
    for key in reply.added:
        print(f"published  {key}")
    print(
        f"{len(reply.added)} new version(s), {len(reply.unchanged)} already published; "
        "activate with `warden rules activate RULE_ID VERSION [--shadow]`"
    )
    return 0


def _mode(args: argparse.Namespace) -> int:
    from warden.v1 import rules_pb2

    return rules_pb2.RULE_MODE_SHADOW if args.shadow else rules_pb2.RULE_MODE_ACTIVE


def cmd_activate(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import rules_pb2

    reply = _stub(args, settings).ActivateRule(
        rules_pb2.ActivateRuleRequest(
            rule_id=args.rule_id, version=args.version, mode=_mode(args), reason=args.reason
        ),
        timeout=10,
    )
    mode = "in shadow" if args.shadow else "active"
    print(f"{args.rule_id}@v{args.version} is {mode} (catalogue generation {reply.generation})")
    print(HEADER)
    print(_line(reply.rule))
    return 0


def cmd_deactivate(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import rules_pb2

    reply = _stub(args, settings).DeactivateRule(
        rules_pb2.DeactivateRuleRequest(rule_id=args.rule_id, mode=_mode(args), reason=args.reason),
        timeout=10,
    )
    what = "shadow version" if args.shadow else "active version"
    print(f"{args.rule_id}: {what} switched off (catalogue generation {reply.generation})")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import rules_pb2

    reply = _stub(args, settings).ListRules(rules_pb2.ListRulesRequest(), timeout=10)
    print(HEADER)
    for status in reply.rules:
        print(_line(status))
    active = sum(1 for s in reply.rules if s.active_version)
    shadow = sum(1 for s in reply.rules if s.shadow_version)
    print(
        f"{len(reply.rules)} rule(s): {active} active, {shadow} in shadow; "
        f"catalogue generation {reply.generation}"
    )
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import rules_pb2

    reply = _stub(args, settings).ListRuleChanges(
        rules_pb2.ListRuleChangesRequest(rule_id=args.rule_id or "", page_size=args.limit),
        timeout=10,
    )
    for change in reply.changes:
        mode = rules_pb2.RuleMode.Name(change.mode).removeprefix("RULE_MODE_").lower()
        what = f"v{change.version} {mode}" if change.version else f"{mode} off"
        at = change.at.ToDatetime().isoformat(timespec="seconds")
        reason = f"  ({change.reason})" if change.reason else ""
        print(f"#{change.seq:<5} {at}Z  {change.rule_id:<40} {what:<12} by {change.by}{reason}")
    if not reply.changes:
        print("no changes")
    return 0


def add_verbs(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the catalogue verbs to `warden rules`."""
    publish = connected(
        verbs.add_parser(
            "publish",
            help="store the new rule versions of a directory in the running service (admin)",
            description="Validates every rule file (nothing is published if one is invalid) "
            "and stores the versions the catalogue does not have yet. Nothing becomes active: "
            "see `warden rules activate`.",
        )
    )
    publish.add_argument("directory", nargs="?", help="default: WARDEN_RULES_DIR or rules/")
    publish.set_defaults(func=cmd_publish)

    for name, text in (
        ("activate", "make a published version active, or run it in shadow (admin)"),
        ("deactivate", "stop judging with a rule's active or shadow version (admin)"),
    ):
        verb = connected(verbs.add_parser(name, help=text, description=text))
        verb.add_argument("rule_id")
        if name == "activate":
            verb.add_argument("version", type=int, help="a published version number")
        verb.add_argument(
            "--shadow",
            action="store_true",
            help="the shadow version: findings are recorded and counted, no case is opened",
        )
        verb.add_argument("--reason", default="", help="kept in the catalogue's change log")
        verb.set_defaults(func=cmd_activate if name == "activate" else cmd_deactivate)

    listing = connected(
        verbs.add_parser("list", help="every rule: active and shadow version, findings made")
    )
    listing.set_defaults(func=cmd_list)

    changes = connected(verbs.add_parser("history", help="the catalogue's changes, newest first"))
    changes.add_argument("rule_id", nargs="?", help="only this rule's changes")
    changes.add_argument("--limit", type=int, default=50)
    changes.set_defaults(func=cmd_history)
