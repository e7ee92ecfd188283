"""The demo's rule change: the compliance team tries a stricter gift threshold in shadow mode on
the running service (no restart), sees what it would flag, and rolls nothing out yet."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warden.clients import Clients
from warden.compliance.rule_testing.backtest import run
from warden.compliance.rules import catalogue
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings
from warden.demo.common import step, wait_for
from warden.demo.violations import demo_event, publish_events
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka_options import Security
from warden.platform.topics import SALES_EVENTS
from warden.v1 import rules_pb2

RULE = "gift-above-threshold"
STRICTER_MINOR = 10_000  # 100.00 EUR instead of 200.00 EUR


def candidate(rules_dir: Path) -> rules_pb2.RuleFile:
    """The shipped gift rule as its next version, with the stricter threshold."""
    path = rules_dir / "4.1.1" / f"{RULE}.yaml"
    text = path.read_text(encoding="utf-8")
    version = int(re.search(r"^version: (\d+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = re.sub(r"^version: \d+$", f"version: {version + 1}", text, flags=re.MULTILINE)
    text = re.sub(r"threshold_minor: \d+", f"threshold_minor: {STRICTER_MINOR}", text)
    return rules_pb2.RuleFile(path=f"candidate/{path.name}", text=text)


def _expense(subject: str, at: datetime, number: str, amount_minor: int, what: str) -> CloudEvent:
    return demo_event(
        "warden.sales.expense.recorded",
        subject,
        at,
        {
            "expense_id": number,
            "salesperson_id": subject,
            "customer_id": "C-208",
            "kind": "gift",
            "amount_minor": amount_minor,
            "currency": "EUR",
            "incurred_on": at.date().isoformat(),
            "description": what,
        },
    )


def _line(rule: rules_pb2.RuleStatus) -> str:
    return (
        f"  {rule.rule_id}: v{rule.active_version} active, {rule.active_findings} finding(s) "
        f"(cases); v{rule.shadow_version} in shadow, {rule.shadow_findings} finding(s) (no case)"
    )


def backtest(settings: Settings, stricter: rules_pb2.RuleFile) -> None:
    """What the stricter version would have changed over the last 30 days of stored events."""
    step("Before rolling it out: the last 30 days of stored events replayed (backtest)")
    candidate_dir = settings.data_dir / "candidate"
    shutil.rmtree(candidate_dir, ignore_errors=True)
    shutil.copytree(settings.rules_dir, candidate_dir)
    (candidate_dir / "4.1.1" / f"{RULE}.yaml").write_text(stricter.text, encoding="utf-8")
    source = make_engine(settings.db_url("compliance"))
    end = datetime.now(UTC)
    try:
        with source.connect() as conn:
            active = list(catalogue.current(conn).active)
        report = run(source, load_rules(candidate_dir), active, end - timedelta(days=30), end)
    finally:
        source.dispose()
    print(
        f"  {report.in_period} stored event(s) in the period, {report.replayed} replayed with "
        f"the warm-up; nothing written to the compliance database"
    )
    for rule in report.rules:
        if not rule.differs:
            continue
        print(
            f"  {rule.rule_id} v{rule.active_version} -> v{rule.candidate_version}: "
            f"{len(rule.added)} added, {len(rule.removed)} removed, {len(rule.changed)} changed, "
            f"{rule.unchanged} unchanged"
        )
        for difference in (*rule.added, *rule.removed, *rule.changed):
            changes, reasons = difference.changes, difference.finding.reasons
            said = changes[-1] if changes else reasons[0]
            print(f"    {difference.kind:<8} {difference.employee_id}: {said}")
    print(f"  full report: warden rules backtest --candidate {candidate_dir} --from ... --to ...")


def scenario(
    clients: Clients, bootstrap: str, settings: Settings, security: Security | None = None
) -> None:
    rules_dir = settings.rules_dir
    step("Compliance team: a stricter gift threshold, tried in shadow on the running service")
    stricter = candidate(rules_dir)
    published = clients.rules.PublishRules(rules_pb2.PublishRulesRequest(files=[stricter]))
    (key,) = published.added
    version = int(key.rsplit("@v", 1)[1])
    clients.rules.ActivateRule(
        rules_pb2.ActivateRuleRequest(
            rule_id=RULE,
            version=version,
            mode=rules_pb2.RULE_MODE_SHADOW,
            reason="try 100.00 EUR before rolling it out",
        )
    )
    print(f"  published {key} (threshold 100.00 EUR) and activated it in shadow beside v1")
    now = datetime.now(UTC)
    publish_events(
        bootstrap,
        SALES_EVENTS,
        [
            _expense("hana", now - timedelta(days=1), "EXP-7790", 15_000, "wine for C-208"),
            _expense("ivan", now - timedelta(hours=5), "EXP-7791", 8_000, "book for C-208"),
        ],
        security,
    )
    print("  hana: 150.00 EUR gift (v1 lets it pass, v2 would flag it); ivan: 80.00 EUR gift")
    rules = wait_for(
        lambda: [
            r
            for r in clients.rules.ListRules(rules_pb2.ListRulesRequest()).rules
            if r.rule_id == RULE and r.shadow_findings >= 1
        ],
        60,
        "the shadow finding",
    )
    print(_line(rules[0]))  # type: ignore[index]
    print(
        "  no case was opened for hana; `warden rules activate "
        f"{RULE} {version}` would make v{version} open cases from the next event on"
    )
    backtest(settings, stricter)
