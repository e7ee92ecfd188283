"""Backtest on both databases: stored events judged by version 1 of the rules, replayed through
a candidate version 2, give exactly the known difference (added, removed, changed, unchanged,
with the events behind them); the warm-up and the period bound what is counted; a period with
no stored events says so; and the compliance database is only read."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.month import FILE as MONTH
from tests.integration.compliance.test_deadlines import classified
from warden.cli import main
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.rule_testing import backtest
from warden.compliance.rules import catalogue
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent, parse
from warden.platform.db import make_engine

RULES = Path(__file__).parents[3] / "rules" / "4.1.1"
GIFT = (RULES / "gift-above-threshold.yaml").read_text()
WINDOW = (RULES / "customer-expenses-over-window.yaml").read_text()
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def threshold_rule(rule_id: str, version: int, threshold_minor: int, fine: int = 50000) -> str:
    """The gift rule of rules/ under another id, version, threshold and first-time fine."""
    text = (
        GIFT.replace("id: gift-above-threshold\n", f"id: {rule_id}\n")
        .replace("version: 1\n", f"version: {version}\n")
        .replace("threshold_minor: 20000", f"threshold_minor: {threshold_minor}")
        .replace("amount_minor: 50000, currency", f"amount_minor: {fine}, currency")
    )
    assert f"threshold_minor: {threshold_minor}" in text and f"id: {rule_id}" in text
    return text


def rule_sets(tmp: Path) -> tuple[Path, Path]:
    """Active: version 1 of gift threshold 200 EUR and of large-expense 500 EUR, and the 90-day
    sum per customer as shipped (its version 2). Candidate: version 2 of the gift threshold,
    100 EUR and a 750 EUR fine, large-expense only renumbered, the 90-day sum dropped."""
    active, candidate = tmp / "v1", tmp / "v2"
    for directory, files in (
        (
            active,
            {
                "gift.yaml": threshold_rule("gift-above-threshold", 1, 20000),
                "large.yaml": threshold_rule("large-expense", 1, 50000),
                "window.yaml": WINDOW,
            },
        ),
        (
            candidate,
            {
                "gift.yaml": threshold_rule("gift-above-threshold", 2, 10000, fine=75000),
                "large.yaml": threshold_rule("large-expense", 2, 50000),
            },
        ),
    ):
        directory.mkdir()
        for name, text in files.items():
            (directory / name).write_text(text)
    return active, candidate


def expense(event_id: str, who: str, at: datetime, customer: str, amount_minor: int) -> CloudEvent:
    return builders.expense_recorded(
        event_id.upper(),
        subject=who,
        at=at,
        source="/warden/sales",
        event_id=event_id,
        customer_id=customer,
        amount_minor=amount_minor,
    )


EVENTS = (
    # In the warm-up: its own findings are not counted, but it counts in C-1's 90-day sum.
    expense("e-oct", "alice", datetime(2026, 10, 20, 9, tzinfo=UTC), "C-1", 30000),
    # 250 EUR: over both gift thresholds (explained differently); C-1's sum crosses 500 EUR.
    expense("e-1", "alice", datetime(2026, 11, 5, 9, tzinfo=UTC), "C-1", 25000),
    # 150 EUR: over the candidate's gift threshold only.
    expense("e-2", "bob", datetime(2026, 11, 6, 9, tzinfo=UTC), "C-2", 15000),
    # 90 EUR: over nothing.
    expense("e-3", "bob", datetime(2026, 11, 7, 9, tzinfo=UTC), "C-2", 9000),
    # 600 EUR: both gift versions, both large-expense versions, C-3's sum crosses 500 EUR.
    expense("e-4", "carol", datetime(2026, 11, 8, 9, tzinfo=UTC), "C-3", 60000),
    # After the period: not replayed.
    expense("e-dec", "dave", datetime(2026, 12, 2, 9, tzinfo=UTC), "C-4", 99000),
)


def judged_with_version_1(engine: Engine, active: Path) -> None:
    """The compliance database as production left it: version 1 active, the events judged."""
    judge = Judge.from_catalogue(engine, active)
    for offset, event in enumerate(EVENTS):
        judge.handle(event, "sales.events", offset % 2, offset)


WRITTEN = (
    schema.inbox,
    schema.events,
    schema.findings,
    schema.shadow_findings,
    schema.cases,
    schema.decisions,
    schema.audit_log,
    schema.outbox.table,
    catalogue.rule_versions,
    catalogue.rule_modes,
    catalogue.rule_activations,
)


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in WRITTEN
        }


def summary(report: backtest.Report) -> dict[str, tuple[object, ...]]:
    return {
        r.rule_id: (
            r.active_version,
            r.candidate_version,
            [d.event_id for d in r.added],
            [d.event_id for d in r.removed],
            [d.event_id for d in r.changed],
            r.unchanged,
        )
        for r in report.rules
    }


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return rule_sets(tmp_path)


def test_a_backtest_of_version_2_reports_exactly_what_it_would_change(
    fresh_db: FreshDb, versions: tuple[Path, Path]
) -> None:
    active, candidate = versions
    engine = fresh_db()
    judged_with_version_1(engine, active)
    before = row_counts(engine)
    with engine.connect() as conn:
        active_rules = list(catalogue.current(conn).active)
    seen: list[tuple[int, int]] = []

    report = backtest.run(
        engine, load_rules(candidate), active_rules, START, END, progress=lambda *p: seen.append(p)
    )

    assert summary(report) == {
        "customer-expenses-over-window": (2, None, [], ["e-1", "e-4"], [], 0),
        "gift-above-threshold": (1, 2, ["e-2"], [], ["e-1", "e-4"], 0),
        "large-expense": (1, 2, [], [], [], 1),
    }
    assert (report.replayed, report.in_period, report.warm_up) == (5, 4, timedelta(days=90))
    assert seen[-1] == (5, 5)
    window = next(r for r in report.rules if r.rule_id == "customer-expenses-over-window")
    # The sum crossing on e-1 rests on e-oct, judged only as warm-up.
    assert window.removed[0].finding.event_ids == ("e-1", "e-oct")
    assert window.removed[0].employee_id == "alice"
    gift = next(r for r in report.rules if r.rule_id == "gift-above-threshold")
    assert gift.added[0].employee_id == "bob"
    assert "150.00 EUR spent on the customer > single-item threshold 100.00 EUR" in (
        gift.added[0].finding.reasons
    )
    assert gift.changed[0].changes == (
        "reason no longer given: 250.00 EUR spent on the customer > single-item threshold "
        "200.00 EUR",
        "reason now given: 250.00 EUR spent on the customer > single-item threshold 100.00 EUR",
    )
    assert gift.notes == ("first-time sanction fine of 500.00 EUR -> fine of 750.00 EUR",)
    assert [r.notes for r in report.rules if r.rule_id != "gift-above-threshold"] == [(), ()]
    assert (report.total("added"), report.total("removed"), report.total("changed")) == (1, 2, 2)
    assert row_counts(engine) == before


def test_without_the_warm_up_a_window_misses_the_events_before_the_period(
    fresh_db: FreshDb, versions: tuple[Path, Path]
) -> None:
    active, candidate = versions
    engine = fresh_db()
    judged_with_version_1(engine, active)

    report = backtest.run(
        engine, load_rules(candidate), load_rules(active), START, END, warm=timedelta(0)
    )

    assert (report.replayed, report.in_period) == (4, 4)
    assert summary(report)["customer-expenses-over-window"] == (2, None, [], ["e-4"], [], 0)


def test_the_period_bounds_what_is_replayed_and_counted(
    fresh_db: FreshDb, versions: tuple[Path, Path]
) -> None:
    active, candidate = versions
    engine = fresh_db()
    judged_with_version_1(engine, active)

    report = backtest.run(
        engine,
        load_rules(candidate),
        load_rules(active),
        datetime(2026, 11, 6, tzinfo=UTC),
        datetime(2026, 11, 8, tzinfo=UTC),
    )

    # e-2 and e-3 only: e-1 is warm-up, e-4 is at the end bound (excluded), e-dec is later.
    assert (report.replayed, report.in_period) == (4, 2)
    assert summary(report) == {
        "customer-expenses-over-window": (2, None, [], [], [], 0),
        "gift-above-threshold": (1, 2, ["e-2"], [], [], 0),
        "large-expense": (1, 2, [], [], [], 0),
    }


def test_the_recorded_month_replayed_with_the_active_set_finds_what_production_found(
    fresh_db: FreshDb,
) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, Settings().rules_dir)
    offsets: Counter[str] = Counter()
    for line in MONTH.read_bytes().splitlines():
        event = parse(line)
        topic = "sales.events" if event.source == "/warden/sales" else "aftersales.events"
        judge.handle(event, topic, 0, offsets[topic])
        offsets[topic] += 1
    findings = schema.findings
    with engine.connect() as conn:
        active = list(catalogue.current(conn).active)
        produced = Counter(
            conn.execute(
                select(findings.c.rule_id).where(
                    findings.c.occurred_at >= START, findings.c.occurred_at < END
                )
            ).scalars()
        )

    report = backtest.run(engine, load_rules(Settings().rules_dir), active, START, END)

    assert {r.rule_id: r.unchanged for r in report.rules if r.unchanged} == dict(produced)
    assert produced["first-response-late"] > 0 and produced["customer-expenses-over-window"] > 0
    assert [r.rule_id for r in report.rules if r.differs] == []


def test_missed_deadline_events_the_engine_made_are_not_replayed(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    made = expense("missed-1", "erin", datetime(2026, 11, 3, tzinfo=UTC), "C-9", 1)
    with engine.begin() as conn:
        inbox_store.record_received(conn, made, INTERNAL_TOPIC, 0, 0, START)
    with backtest.read_only(engine) as conn:
        assert backtest.count_stored(conn, START, END) == 0
    with pytest.raises(backtest.NoStoredEvents, match="no stored events between 2026-11-01"):
        backtest.run(engine, [], [], START, END)


def test_the_database_refuses_writes_while_the_backtest_reads_it(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    with backtest.read_only(engine) as conn, pytest.raises(Exception, match="(?i)read.?only"):
        inbox_store.record_received(conn, EVENTS[0], "sales.events", 0, 0, START)
    assert row_counts(engine)["events"] == 0


# The command line, on a database URL of each backend, as an operator runs it.


@pytest.fixture
def stored(database_url: str, versions: tuple[Path, Path]) -> tuple[str, Path, Path]:
    engine = make_engine(database_url, schema.metadata)
    judged_with_version_1(engine, versions[0])
    engine.dispose()
    return database_url, *versions


def backtest_cli(url: str, candidate: Path, *more: str) -> int:
    return main(
        ["rules", "backtest", "--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z"]
        + ["--candidate", str(candidate), "--db-url", url, *more]
    )


def test_the_command_reports_the_difference_and_writes_nothing(
    stored: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, candidate = stored
    engine = make_engine(url)
    before = row_counts(engine)

    assert backtest_cli(url, candidate, "--json", "--examples", "1") == 0

    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["totals"] == {"added": 1, "removed": 2, "changed": 2, "unchanged": 1}
    assert report["active"].startswith("active set of the catalogue of")
    by_rule = {r["rule_id"]: r for r in report["rules"]}
    gift = by_rule["gift-above-threshold"]
    assert (gift["active_version"], gift["candidate_version"]) == (1, 2)
    assert gift["added"]["count"] == 1
    assert gift["added"]["examples"][0]["event_ids"] == ["e-2"]
    assert gift["changed"]["count"] == 2 and len(gift["changed"]["examples"]) == 1
    window = by_rule["customer-expenses-over-window"]
    assert window["candidate_version"] is None and window["removed"]["count"] == 2
    assert "replayed 5/5 events (100%" in err
    assert row_counts(engine) == before
    engine.dispose()


def test_the_report_in_words(
    stored: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, active, candidate = stored

    assert backtest_cli(url, candidate, "--against", str(active)) == 0

    out = capsys.readouterr().out
    assert f"active:    {active} (3 rules)" in out
    assert "replayed 5 stored event(s), 4 in the period" in out
    lines: dict[str, list[str]] = {}  # the table's row of each rule: the first line it heads
    for line in out.splitlines():
        if line.strip():
            lines.setdefault(line.split()[0], line.split()[1:])
    assert lines["gift-above-threshold"] == ["v1", "v2", "1", "0", "2", "0"]
    assert lines["customer-expenses-over-window"] == ["v2", "-", "0", "2", "0", "0"]
    assert lines["large-expense"] == ["v1", "v2", "0", "0", "0", "1"]
    assert lines["total"] == ["1", "2", "2", "1"]
    assert "gift-above-threshold: 1 added" in out
    assert "  + bob  events e-2 (/warden/sales)  at 2026-11-06T09:00:00Z" in out
    assert "customer-expenses-over-window: 2 removed" in out
    assert (
        "rule changes that findings do not show:\n"
        "  gift-above-threshold: first-time sanction fine of 500.00 EUR -> fine of 750.00 EUR"
    ) in out


def test_a_period_without_stored_events_says_so(
    stored: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, candidate = stored
    engine = make_engine(url)
    before = row_counts(engine)

    code = main(
        ["rules", "backtest", "--from", "2026-09-01T00:00:00Z", "--to", "2026-10-01T00:00:00Z"]
        + ["--candidate", str(candidate), "--db-url", url]
    )

    out, err = capsys.readouterr()
    assert code == 3
    assert out == ""
    assert "no stored events between 2026-09-01T00:00:00Z and 2026-10-01T00:00:00Z in" in err
    assert row_counts(engine) == before
    engine.dispose()


def test_an_invalid_candidate_is_refused_with_file_and_line(
    stored: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, candidate = stored
    (candidate / "gift.yaml").write_text(
        (candidate / "gift.yaml").read_text().replace("clause:", "claus:")
    )

    assert backtest_cli(url, candidate) == 1

    err = capsys.readouterr().err
    assert f"{candidate / 'gift.yaml'}:4: unknown field 'claus' in the rule" in err


def test_deadlines_due_before_the_periods_end_that_nothing_met_are_found(
    fresh_db: FreshDb,
) -> None:
    """A ticket classified on 20 November is the last event of its stream: production finds
    its missed deadlines by the clock once the partition is quiet (no later event comes). The
    replay takes every stream as complete up to the period's end, and finds them too."""
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, Settings().rules_dir)
    judge.handle(
        classified("T-Q", datetime(2026, 11, 20, 8, tzinfo=UTC)), "aftersales.events", 3, 0
    )
    with engine.connect() as conn:
        active = list(catalogue.current(conn).active)
        assert conn.execute(select(func.count()).select_from(schema.findings)).scalar_one() == 0

    report = backtest.run(engine, active, active, START, END)

    found = {r.rule_id: r.unchanged for r in report.rules if r.unchanged}
    assert found == {"first-response-late": 1, "resolution-late": 1}
