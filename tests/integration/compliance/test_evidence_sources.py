"""Evidence names each event by (source, id): a finding resting on an event whose id another
source also used shows that event, not the other source's; a missed deadline's finding names
the source of the event that started it; a backtest pairs findings by (source, id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.test_deadlines import T0, classified, received
from warden.compliance.judging.judge import Judge
from warden.compliance.storage import case_store, inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent

AT = datetime(2026, 11, 15, 10, tzinfo=UTC)
OURS, THEIRS = "/warden/aftersales", "/erp/desk"


def fee(source: str, event_id: str, subject: str, duplicate_of: str | None) -> CloudEvent:
    data: dict[str, Any] = {
        "fee_id": event_id,
        "ticket_id": "T-1",
        "customer_id": "C-1",
        "agent_id": subject,
        "service_code": "CALLOUT",
        "amount_minor": 12_000,
        "currency": "EUR",
        "in_schedule": True,
        "schedule_price_minor": 12_000,
        "warranty": False,
        "warranty_covers": False,
        "duplicate_of": duplicate_of,
    }
    return CloudEvent(
        type="warden.aftersales.fee.charged",
        source=source,
        subject=subject,
        time=AT,
        id=event_id,
        data=data,
    )


def test_evidence_shows_the_named_event_of_its_own_source_not_another_sources_twin(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.handle(fee(OURS, "F-4", "dave", None), "aftersales.events", 0, 1)
    judge.handle(fee(THEIRS, "F-4", "zoe", None), "aftersales.events", 1, 1)  # a twin id
    opened = judge.handle(fee(OURS, "F-5", "dave", "F-4"), "aftersales.events", 0, 2).cases

    (case,) = opened
    (finding,) = case.findings
    assert finding.rule_id == "fee-charged-twice"
    assert finding.evidence == ((OURS, "F-5"), (OURS, "F-4"))
    with engine.connect() as conn:
        (stored,) = [
            c for c in case_store.list_cases(conn, None, 100, 0) if c.case_id == case.case_id
        ]
        assert stored.findings[0].evidence == finding.evidence  # kept as written
        shown = inbox_store.stored_events(conn, finding.evidence)
    assert [(e["source"], e["id"], e["subject"]) for e in shown] == [
        (OURS, "F-4", "dave"),
        (OURS, "F-5", "dave"),
    ]


def test_a_reference_of_unknown_source_still_finds_its_events_by_id(fresh_db: FreshDb) -> None:
    """Findings recorded before sources were kept (or whose id several events had) name no
    source: their evidence is every stored event with the id, as before."""
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.handle(fee(OURS, "F-4", "dave", None), "aftersales.events", 0, 1)
    judge.handle(fee(THEIRS, "F-4", "zoe", None), "aftersales.events", 1, 1)
    with engine.connect() as conn:
        shown = inbox_store.stored_events(conn, [("", "F-4")])
    assert sorted(e["source"] for e in shown) == [THEIRS, OURS]


def test_a_missed_deadline_names_the_source_of_the_event_that_started_it(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_directory(engine, Settings().rules_dir)
    judge.handle(classified("T-1", T0), "aftersales.events", 0, 1)
    opened = judge.handle(received("T-2", T0 + timedelta(days=3)), "aftersales.events", 0, 2)

    late = {c.findings[0].rule_id: c.findings[0] for c in opened.cases}
    started = (OURS, "T-1-ticket.classified")
    assert started in late["first-response-late"].evidence
    assert started in late["resolution-late"].evidence
    missed = late["first-response-late"].evidence[0]
    assert missed[0] == "/warden/compliance"  # the missed-deadline event is the service's own
    with engine.connect() as conn:
        rows = {
            r.ticket_id: r for r in conn.execute(schema.metadata.tables["rule_deadlines"].select())
        }
    assert rows["T-1"].started_by_source == OURS
    assert rows["T-1"].settled_by_source == "/warden/compliance"
