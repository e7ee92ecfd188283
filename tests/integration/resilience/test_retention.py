"""Retention on SQLite and PostgreSQL: what is older than the horizon is deleted in batches,
what is newer stays, and so does what is still needed (held judgements, events starting a
pending deadline, a finding's evidence, outbox rows not yet published). A horizon shorter
than what judging looks back on stops the compliance service before it touches anything."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from warden.cli import main
from warden.compliance.judging import state
from warden.compliance.operations.retention import purge_events, purge_inbox
from warden.compliance.storage import inbox_store, schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.retention import Retention, purge_published

NOW = datetime(2027, 6, 1, 12, tzinfo=UTC)
HORIZON = timedelta(days=400)
OLD = NOW - HORIZON - timedelta(days=1)
NEW = NOW - HORIZON + timedelta(days=1)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url, schema.metadata)
    yield made
    made.dispose()


def receive(engine: Engine, event_id: str, at: datetime) -> None:
    """A judged event: its stored event and inbox row, both of time `at`."""
    event = CloudEvent(
        id=event_id, type="warden.test.seen", source="/test", subject="s", time=at, data={}
    )
    with engine.begin() as conn:
        inbox_store.record_received(conn, event, "sales.events", 0, 1, at)


def publish(engine: Engine, event_id: str, created: datetime, published: datetime | None) -> None:
    table = schema.outbox.table
    with engine.begin() as conn:
        conn.execute(
            table.insert().values(
                event_id=event_id,
                topic="t",
                key="k",
                payload="{}",
                created_at=created,
                published_at=published,
            )
        )


def still_needed(engine: Engine) -> None:
    """An old held event, an old event starting a pending deadline (one starting a deadline
    already met is not kept for it), an old event a finding and a shadow finding point to."""
    for name in ("held", "deadline-pending", "deadline-met", "evidence", "shadow-evidence"):
        receive(engine, f"old-{name}", OLD)
    with engine.begin() as conn:
        conn.execute(
            state.held.insert().values(
                event_id="old-held",
                source="/test",
                time=OLD,
                stream="sales.events:0",
                offset=1,
                held_at=OLD,
            )
        )
        for status in ("pending", "met"):
            conn.execute(
                state.deadlines.insert().values(
                    deadline_id=f"d-{status}",
                    kind="report-back",
                    key="k",
                    ticket_id="t",
                    employee_id="e",
                    due=NEW,
                    started_by=f"old-deadline-{status}",
                    stream="sales.events:0",
                    status=status,
                )
            )
        finding = dict(
            rule_id="r",
            rule_version=1,
            clause="4.1.2",
            severity="minor",
            title="t",
            employee_id="e",
            reasons="[]",
            occurred_at=OLD,
        )
        conn.execute(
            schema.findings.insert().values(
                finding_id="f1", event_ids='["old-evidence"]', case_id=None, **finding
            )
        )
        conn.execute(
            schema.shadow_findings.insert().values(
                finding_id="f2", event_ids='["old-shadow-evidence"]', **finding
            )
        )


def ids(engine: Engine, column: object) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(column)).scalars())  # type: ignore[call-overload]


def retention(engine: Engine) -> Retention:
    return Retention(
        engine,
        HORIZON,
        {
            "published outbox rows": purge_published(schema.outbox.table),
            "inbox rows": purge_inbox,
            "stored events": purge_events(),
        },
        batch=2,  # several batches, and a cursor past the rows kept
        clock=lambda: NOW,
    )


def test_rows_older_than_the_horizon_are_deleted_in_batches_and_newer_ones_stay(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(5):
        receive(engine, f"old-{n}", OLD - timedelta(hours=n))
        receive(engine, f"new-{n}", NEW + timedelta(hours=n))
        publish(engine, f"out-old-{n}", OLD, OLD + timedelta(minutes=n))
    publish(engine, "out-new", OLD, NEW)
    with caplog.at_level(logging.INFO, logger="warden.platform.retention"):
        deleted = retention(engine).purge_once()
    assert deleted == {"published outbox rows": 5, "inbox rows": 5, "stored events": 5}
    new = {f"new-{n}" for n in range(5)}
    assert ids(engine, schema.events.c.event_id) == new
    assert ids(engine, schema.inbox.c.event_id) == new
    assert ids(engine, schema.outbox.table.c.event_id) == {"out-new"}
    (said,) = [r.getMessage() for r in caplog.records]
    assert said.startswith(
        "retention: deleted 5 published outbox rows, 5 inbox rows, 5 stored events older than "
    )
    assert retention(engine).purge_once() == dict.fromkeys(deleted, 0)  # nothing left to do


def test_what_is_still_needed_is_kept_however_old(engine: Engine) -> None:
    still_needed(engine)
    publish(engine, "out-unpublished", OLD, None)
    deleted = retention(engine).purge_once()
    kept = {"old-held", "old-deadline-pending", "old-evidence", "old-shadow-evidence"}
    assert ids(engine, schema.events.c.event_id) == kept
    assert ids(engine, schema.inbox.c.event_id) == {"old-held", "old-deadline-pending"}
    assert ids(engine, schema.outbox.table.c.event_id) == {"out-unpublished"}
    assert deleted == {"published outbox rows": 0, "inbox rows": 3, "stored events": 1}


def test_a_horizon_not_longer_than_what_judging_looks_back_on_stops_the_compliance_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_RETENTION_DAYS", "365")
    assert main(["serve", "compliance"]) == 2
    err = capsys.readouterr().err
    assert (
        "error: WARDEN_RETENTION_DAYS=365 is too short: judging looks back 365 days (rule "
        "customer-data-read-without-relation v2, the sanction ladder's lookback_days), and the "
        "horizon must be longer (or 0: keep everything); the service does not start"
    ) in err
    assert not (tmp_path / "compliance.db").exists()  # refused before the database was made
