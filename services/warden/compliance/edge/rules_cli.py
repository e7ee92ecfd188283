"""The `warden rules` command: check rule files (validate), run their examples (test), replay
stored events through a candidate set to see what it would change (backtest); the catalogue
verbs (publish, activate, ...) come from catalogue_cli."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from warden.compliance.domain.findings import refs_text
from warden.compliance.edge.commands import aware_time
from warden.config import Settings

BACKTEST_DESCRIPTION = """\
Replay the stored events of [--from, --to) in event time through the candidate rules
and through the active ones (the catalogue's, or --against DIR), each on a scratch
database in memory with every rule in shadow, and report per rule the findings that
would be added, removed or changed. The replay starts a warm-up earlier: the longest
window or deadline any rule of either set looks back. The compliance database is only
read: no case, finding, decision, outbox row or HR record is created. Progress goes
to stderr, the report to stdout."""
BACKTEST_EXIT_CODES = """exit codes:
  0  the report was printed (whether or not the sets differ)
  1  a rule file is invalid, the database cannot be read, or it has no active rule
  2  bad command line (e.g. --from without a timezone, --from not before --to)
  3  no stored events in the period: nothing to compare"""
NO_EVENTS = 3


def _load(directory: Path) -> Any:
    """The rules of `directory`, or None after printing every error (file:line: reason)."""
    from warden.compliance.rules.reading import RuleBookInvalid
    from warden.compliance.rules.rulebook import load_rules

    try:
        rules = load_rules(directory)
    except RuleBookInvalid as invalid:
        for error in invalid.errors:
            print(error, file=sys.stderr)
        print(f"{len(invalid.errors)} error(s) in {directory}", file=sys.stderr)
        return None
    if not rules:
        print(f"{directory}: no rule files (*.yaml) in it", file=sys.stderr)
        return None
    return rules


def _directory(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.directory) if args.directory else settings.rules_dir


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    directory = _directory(args, settings)
    rules = _load(directory)
    if rules is None:
        return 1
    for rule in rules:
        print(f"ok  {rule.key:<32} {rule.clause:<6} {rule.severity:<8} {rule.title}")
    print(f"{len(rules)} rule(s) valid in {directory}")
    return 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def cmd_test(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.domain.ladder import DEFAULT_LADDER
    from warden.compliance.rule_testing import examples
    from warden.compliance.rules.ladder_file import load_ladder

    directory = _directory(args, settings)
    rules = _load(directory)
    if rules is None:
        return 1
    if args.rule:
        rules = [r for r in rules if r.rule_id == args.rule]
        if not rules:
            print(f"error: no rule {args.rule!r} in {directory}", file=sys.stderr)
            return 1
    ladder = load_ladder(directory) or DEFAULT_LADDER
    outcomes = examples.run_all(examples.examples_of(rules), ladder)
    print(f"{'rule':<38} {'example':<60} {'kind':<8} result")
    for outcome in outcomes:
        example = outcome.example
        print(
            f"{_cut(example.rule.key, 38):<38} {_cut(example.name, 60):<60} "
            f"{example.kind:<8} {'PASS' if outcome.passed else 'FAIL'}"
        )
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        example = outcome.example
        print(f"\nFAIL {example.rule.key} [{example.kind}] {example.name} ({example.rule.source})")
        for problem in outcome.problems:
            print("  " + problem.replace("\n", "\n    "))
    print(f"\n{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


class _Progress:
    """Events replayed on stderr, at most about once a second, and once at the end."""

    def __init__(self, out: TextIO, every_s: float = 1.0) -> None:
        self.out, self.every_s = out, every_s
        self.started = self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every_s:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        print(
            f"replayed {done}/{total} events ({100 * done / total:.0f}%, {rate:.0f} events/s)",
            file=self.out,
            flush=True,
        )


def _source(url: str) -> Any:
    """The compliance database to read events from, opened without creating anything."""
    from warden.platform.db import open_existing

    return open_existing(url, "events", "compliance database")


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _active(args: argparse.Namespace, source: Any, db: str) -> tuple[Any, str]:
    """The rules to compare against, and how to name them; None when there are none."""
    from warden.compliance.rule_testing.backtest import read_only
    from warden.compliance.rules import catalogue

    if args.against:
        rules = _load(Path(args.against))
        return rules, f"{args.against} ({len(rules or ())} rules)"
    from sqlalchemy import inspect

    if not inspect(source).has_table(catalogue.rule_modes.name):
        print(f"error: {db} has no rule catalogue; pass --against DIR", file=sys.stderr)
        return None, ""
    with read_only(source) as conn:
        book = catalogue.current(conn)
    if not book.active:
        print(
            f"error: the catalogue of {db} has no active rule; pass --against DIR", file=sys.stderr
        )
        return None, ""
    return list(book.active), (
        f"active set of the catalogue of {db}, generation {book.generation} "
        f"({len(book.active)} rules)"
    )


def _when(moment: datetime) -> str:
    from warden.platform.cloudevents import format_time

    return format_time(moment).replace(".000000Z", "Z")


def _days(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours / 24:g} day(s)" if hours % 24 == 0 else f"{hours:g} hour(s)"


def _version(version: int | None) -> str:
    return f"v{version}" if version is not None else "-"


SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def _difference_json(difference: Any) -> dict[str, Any]:
    finding = difference.finding
    return {
        "employee": difference.employee_id,
        "event_ids": list(finding.event_ids),
        "evidence": [{"source": s, "id": i} for s, i in finding.evidence],
        "occurred_at": _when(finding.occurred_at),
        "explanation": finding.explanation,
        "changes": list(difference.changes),
        "active_explanation": difference.active.explanation if difference.active else None,
        "officers_labels": [
            {"case_id": c.case_id, "rule_id": c.rule_id, "label": c.label.value}
            for c in difference.labels
        ],
    }


def _report_json(report: Any, candidate: str, active: str, limit: int) -> dict[str, Any]:
    return {
        "from": _when(report.start),
        "to": _when(report.end),
        "warm_up_seconds": int(report.warm_up.total_seconds()),
        "candidate": candidate,
        "active": active,
        "events_replayed": report.replayed,
        "events_in_period": report.in_period,
        "totals": {k: report.total(k) for k in ("added", "removed", "changed", "unchanged")},
        "rules": [
            {
                "rule_id": r.rule_id,
                "active_version": r.active_version,
                "candidate_version": r.candidate_version,
                "unchanged": r.unchanged,
                "notes": list(r.notes),
                **{
                    kind: {
                        "count": len(getattr(r, kind)),
                        "examples": [_difference_json(d) for d in getattr(r, kind)[:limit]],
                        **_labels_json(r, kind),
                    }
                    for kind in ("added", "removed", "changed")
                },
            }
            for r in report.rules
        ],
    }


def _labels_json(rule: Any, kind: str) -> dict[str, Any]:
    """For the findings added or removed: how officers labelled the same events."""
    if kind == "changed":
        return {}
    from warden.compliance.rule_testing.labelled import counted

    labels, unlabelled = counted(d.labels for d in getattr(rule, kind))
    return {"officers_labels": {**{k.value: n for k, n in labels.items()}, "none": unlabelled}}


def _print_report(report: Any, candidate: str, active: str, limit: int) -> None:
    print(
        f"backtest {_when(report.start)} .. {_when(report.end)}, warm-up "
        f"{_days(report.warm_up)} (replay from {_when(report.start - report.warm_up)})"
    )
    print(f"candidate: {candidate}")
    print(f"active:    {active}")
    print(f"replayed {report.replayed} stored event(s), {report.in_period} in the period\n")
    print(
        f"{'rule':<40} {'active':>6} {'cand.':>6} {'added':>6} {'removed':>8} "
        f"{'changed':>8} {'unchanged':>10}"
    )
    for r in report.rules:
        print(
            f"{_cut(r.rule_id, 40):<40} {_version(r.active_version):>6} "
            f"{_version(r.candidate_version):>6} {len(r.added):>6} {len(r.removed):>8} "
            f"{len(r.changed):>8} {r.unchanged:>10}"
        )
    print(
        f"{'total':<54} {report.total('added'):>6} {report.total('removed'):>8} "
        f"{report.total('changed'):>8} {report.total('unchanged'):>10}"
    )
    labelled = [(r, k) for r in report.rules for k in ("added", "removed") if getattr(r, k)]
    if labelled:
        print("\nofficers' labels on the same events (cases resting on them):")
        for r, kind in labelled:
            print(f"  {r.rule_id} {kind}: {r.labelled(kind)}")
    noted = [r for r in report.rules if r.notes]
    if noted:
        print("\nrule changes that findings do not show:")
        for r in noted:
            print(f"  {r.rule_id}: {'; '.join(r.notes)}")
    for r in report.rules:
        for kind in ("added", "removed", "changed"):
            found = getattr(r, kind)
            if not found or not limit:
                continue
            shown = f", first {limit}" if len(found) > limit else ""
            print(f"\n{r.rule_id}: {len(found)} {kind}{shown}")
            for difference in found[:limit]:
                finding = difference.finding
                print(
                    f"  {SIGNS[kind]} {difference.employee_id}  "
                    f"events {refs_text(finding.evidence)}  at {_when(finding.occurred_at)}"
                )
                for case in difference.labels:
                    print(
                        f"      labelled {case.label.words}: case {case.case_id} ({case.rule_id})"
                    )
                for change in difference.changes:
                    print(f"      {change}")
                if not difference.changes:
                    print("      " + finding.explanation.replace("\n", "\n      "))


def cmd_backtest(args: argparse.Namespace, settings: Settings) -> int:
    from warden.compliance.rule_testing import backtest

    if args.start >= args.end:
        args.backtest_parser.error(f"argument --from: {args.start} is not before --to {args.end}")
    candidate_dir = Path(args.candidate) if args.candidate else settings.rules_dir
    candidate_rules = _load(candidate_dir)
    if candidate_rules is None:
        return 1
    url = args.db_url or settings.db_url("compliance")
    db = _shown(url)
    source = _source(url)
    try:
        active_rules, active = _active(args, source, db)
        if active_rules is None:
            return 1
        warm = timedelta(days=args.warm_up_days) if args.warm_up_days is not None else None
        try:
            report = backtest.run(
                source,
                candidate_rules,
                active_rules,
                args.start,
                args.end,
                warm,
                _Progress(sys.stderr),
            )
        except backtest.NoStoredEvents:
            print(
                f"no stored events between {_when(args.start)} and {_when(args.end)} in {db}",
                file=sys.stderr,
            )
            return NO_EVENTS
    finally:
        source.dispose()
    candidate = f"{candidate_dir} ({len(candidate_rules)} rules)"
    if args.json:
        print(json.dumps(_report_json(report, candidate, active, args.examples), indent=2))
    else:
        _print_report(report, candidate, active, args.examples)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `warden rules` and its verbs to the `warden` command."""
    from warden.compliance.edge import catalogue_cli

    rules = sub.add_parser("rules", help="rule files: validate, test, backtest; the rule catalogue")
    verbs = rules.add_subparsers(dest="rules_command", required=True, metavar="VERB")
    validate = verbs.add_parser("validate", help="validate every rule file")
    validate.add_argument("directory", nargs="?", help="default: WARDEN_RULES_DIR or rules/")
    validate.set_defaults(func=cmd_validate)

    test = verbs.add_parser(
        "test",
        help="run every rule's examples and print a pass/fail table",
        description="Judge each example beside each rule (its events, by that rule alone, on a "
        "fresh database in memory) and compare the findings with those it expects. "
        "Exit 0 when every example passes, 1 otherwise.",
    )
    test.add_argument("directory", nargs="?", help="default: WARDEN_RULES_DIR or rules/")
    test.add_argument("--rule", default="", metavar="ID", help="only this rule id's examples")
    test.set_defaults(func=cmd_test)

    back = verbs.add_parser(
        "backtest",
        help="replay stored events through candidate rules and compare with the active ones",
        description=BACKTEST_DESCRIPTION,
        epilog=BACKTEST_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    back.add_argument("--from", dest="start", type=aware_time, required=True, metavar="TIME")
    back.add_argument("--to", dest="end", type=aware_time, required=True, metavar="TIME")
    back.add_argument(
        "--candidate", default="", metavar="DIR", help="default: WARDEN_RULES_DIR or rules/"
    )
    back.add_argument(
        "--against",
        default="",
        metavar="DIR",
        help="compare with these rule files instead of the catalogue's active set",
    )
    back.add_argument(
        "--db-url", default="", help="the compliance database (default: WARDEN_COMPLIANCE_DB_URL)"
    )
    back.add_argument(
        "--examples", type=_count, default=3, metavar="N", help="examples per rule and kind"
    )
    back.add_argument(
        "--warm-up-days",
        type=_count,
        default=None,
        metavar="N",
        help="replay from N days before --from (default: the rules' longest look-back)",
    )
    back.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    back.set_defaults(func=cmd_backtest, backtest_parser=back)

    catalogue_cli.add_verbs(verbs)
