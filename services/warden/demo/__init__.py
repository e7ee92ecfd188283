"""`make demo`: the scripted scenario, from a price change to the HR decision, on a real stack."""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from warden import cli
from warden.clients import Clients
from warden.compliance.review.cutover import is_marker
from warden.config import SERVICES, Settings
from warden.demo import aftersales, masking, rule_change, sales, violations
from warden.demo.common import step, wait_for
from warden.demo.console import print_console_help
from warden.platform.db import table_names
from warden.platform.kafka import read_topic
from warden.platform.signing import Verifier
from warden.platform.topics import AUDIT_ANCHORS, HR_PENALTY_DECISIONS
from warden.render import case_text
from warden.stack import Stack
from warden.v1 import compliance_pb2

OFFICER = "olivia.officer"


def refusals(settings: Settings) -> list[str]:
    """Why the demo must not run with these settings (none: it may). It publishes made-up
    events and writes made-up records: never to a configured Kafka cluster, whose services
    would judge them, and only to configured databases that are still empty (its own SQLite
    files under data_dir/demo are made afresh each run)."""
    reasons = []
    if settings.kafka_bootstrap:
        reasons.append(
            f"WARDEN_KAFKA_BOOTSTRAP={settings.kafka_bootstrap}: the demo runs its own embedded "
            "broker and would publish its made-up events to that cluster; unset it"
        )
    for service in SERVICES:
        url = getattr(settings, f"{service}_db_url")
        if not url:
            continue
        tables = table_names(url)
        if tables:
            shown = make_url(url).render_as_string(hide_password=True)
            reasons.append(
                f"WARDEN_{service.upper()}_DB_URL={shown} already holds {len(tables)} "
                f"table(s) ({', '.join(tables[:4])}{', ...' if len(tables) > 4 else ''}): the "
                "demo writes made-up records and needs an empty database; point it at a new one"
            )
    return reasons


def _databases(settings: Settings) -> str:
    configured = [s for s in SERVICES if getattr(settings, f"{s}_db_url")]
    if not configured:
        return f"SQLite under {settings.data_dir}"
    return "the configured databases: " + ", ".join(
        f"{s} {make_url(settings.db_url(s)).render_as_string(hide_password=True)}" for s in SERVICES
    )


def _public_key(clients: Clients, directory: Path) -> Path:
    """The deployment's public key as an HR system gets it (GetSigningKey), saved as PEM."""
    reply = clients.acting_as("hr-system", "hr_reader").compliance.GetSigningKey(
        compliance_pb2.GetSigningKeyRequest()
    )
    path = directory / "signing.pub.pem"
    path.write_text(reply.public_key_pem)
    return path


def run(settings: Settings) -> int:
    """Run the scenario on a fresh stack under data_dir/demo; return the exit code."""
    try:
        refused = refusals(settings)
    except OSError as exc:
        refused = [str(exc)]
    for reason in refused:
        print(f"error: {reason}", file=sys.stderr)
    if refused:
        return 2
    # A partition quiet for 2 s has its deadlines judged by the clock (60 s in production):
    # the demo's tickets left unanswered are flagged while it runs, not at the next event.
    quiet_s = min(settings.quiet_partition_s, 2.0) if settings.quiet_partition_s else 0.0
    # Its producers are the services beside it, never late: a read of customer data, judged
    # once every partition is complete up to it, waits 1 s, not the 300 s allowed in production.
    lateness_s = min(settings.event_lateness_s, 1.0)
    # The audit chain's end is anchored on Kafka every second (60 s in production).
    anchor_s = min(settings.audit_anchor_interval_s, 1.0)
    settings = replace(
        settings,
        data_dir=settings.data_dir / "demo",
        quiet_partition_s=quiet_s,
        event_lateness_s=lateness_s,
        audit_anchor_interval_s=anchor_s,
        allowed_sources=",".join(filter(None, (settings.allowed_sources, violations.SOURCES))),
    )
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    print(f"Warden demo: embedded broker + 3 services on {_databases(settings)}")
    with Stack(settings) as stack:
        print(
            f"  broker {stack.bootstrap}; services on ports "
            f"{settings.sales_port}, {settings.aftersales_port}, {settings.compliance_port}"
        )
        clients = Clients.connect(
            stack.address("sales"),
            stack.address("aftersales"),
            stack.address("compliance"),
            token=stack.token("warden-demo"),
            token_for=stack.token,
            settings=settings,
        )
        try:
            sales.scenario(clients)
            aftersales.scenario(clients)
            expected = violations.scenario(clients, stack.bootstrap, stack.kafka_security)
            step("Compliance: what was flagged")
            cases = wait_for(
                lambda: violations.flagged(clients, ("price-below-floor", *expected)),
                60,
                "the compliance cases",
            )
            if quiet_s:
                cases = violations.settled(clients, cases, pause_s=2 * quiet_s + 1)  # type: ignore[arg-type]
            for case in cases:  # type: ignore[attr-defined]
                print(case_text(case))
            clauses = sorted({c.clause for c in cases})  # type: ignore[attr-defined]
            summary = f"{len(cases)} case(s) opened for clauses {', '.join(clauses)}"  # type: ignore[arg-type]
            print(f"\n  {summary}")
            masking.scenario(stack, clients, cases, OFFICER)  # type: ignore[arg-type]
            case = next(c for c in cases if c.findings[0].rule_id == "price-below-floor")  # type: ignore[attr-defined]

            step(f"Compliance officer {OFFICER} reviews and confirms the proposal")
            officer = clients.acting_as(OFFICER, "officer").compliance
            decision = officer.DecideCase(
                compliance_pb2.DecideCaseRequest(
                    case_id=case.case_id,
                    outcome=compliance_pb2.OUTCOME_CONFIRMED,
                    reason="Price below floor without approval; employee informed.",
                )
            ).decision
            print(f"  decision {decision.decision_id} recorded")

            step(f"HR: the decision as received on {HR_PENALTY_DECISIONS}")
            records = [  # without the signing-started marker published at start-up
                r
                for r in read_topic(
                    stack.bootstrap, HR_PENALTY_DECISIONS, 30, 2, stack.kafka_security
                )
                if not is_marker(r.value)
            ]
            if not records:
                raise TimeoutError("the decision did not reach the HR topic in 30 s")
            print(json.dumps(json.loads(records[0].value), indent=2))
            public_key = _public_key(clients, settings.data_dir)
            Verifier.from_pem(public_key.read_bytes()).check(records[0].value)
            print(f"  its signature holds with the public key GetSigningKey serves ({public_key})")

            if anchor_s:
                step(f"The audit trail, checked against its anchors on {AUDIT_ANCHORS}")
                time.sleep(2 * anchor_s + 0.5)  # the decision's entries anchored meanwhile
                verify = ["audit", "verify", "--anchors", "--bootstrap", stack.bootstrap]
                verify += ["--db-url", settings.db_url("compliance"), "--timeout", "2"]
                verify += ["--public-key", str(public_key)]
                if cli.main(verify + ["--chain", settings.consumer_group]) != 0:
                    raise RuntimeError("the audit chain does not match its anchors")

            rule_change.scenario(clients, stack.bootstrap, settings, stack.kafka_security)
        finally:
            clients.close()
    print(
        f"\nDemo finished: {summary}; one confirmed by an officer and sent to HR. "
        f"Service logs are in {settings.data_dir / 'logs'}."
    )
    print_console_help(settings, OFFICER)
    return 0
