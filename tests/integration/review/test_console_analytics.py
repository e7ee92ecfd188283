"""The console's analytics page on real databases: the numbers in its tables and the bars in
its charts match what the test works out from the cases, decisions, findings and labels it
wrote; a bad period is a precise 400."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from tests.integration.review.test_console_requests import SECRET, call, session
from warden.compliance.domain.cases import Choice, Outcome, open_case
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.cases import Review
from warden.compliance.review.labels import Labels
from warden.compliance.storage import case_store, schema, shadow_store
from warden.console.app import Console
from warden.platform.db import make_engine

NOW = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)  # Thursday of 2026-W49
WEEKS = ["2026-W46", "2026-W47", "2026-W48", "2026-W49"]  # four weeks back from NOW
# (case, clause, rule, opened this long before NOW, decided this long after opening or None,
#  label or None)
CASES = [
    ("a", "4.1.1", "price-below-floor", timedelta(days=20), timedelta(hours=10), "true_violation"),
    ("b", "4.1.1", "price-below-floor", timedelta(days=2), timedelta(hours=30), "false_positive"),
    ("c", "4.2.1", "data-disclosed", timedelta(days=9), timedelta(hours=4), "true_violation"),
    ("d", "4.1.2", "gift-above-threshold", timedelta(hours=5), None, None),
    ("e", "4.2.1", "data-disclosed", timedelta(days=4), None, None),
    ("f", "4.1.1", "price-below-floor", timedelta(days=40), None, None),
]
SHADOW = [("price-below-floor", timedelta(days=1)), ("price-below-floor", timedelta(days=8))]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def finding(n: str, clause: str, rule: str, at: datetime) -> Finding:
    return Finding(
        finding_id=f"f-{n}",
        rule_id=rule,
        rule_version=1,
        clause=clause,
        severity="major",
        title=rule,
        employee_id="alice",
        event_ids=(f"ev-{n}",),
        reasons=("checked",),
        occurred_at=at,
    )


@pytest.fixture
def console(engine: Engine) -> Console:
    return seeded_console(engine)


def seeded_console(engine: Engine) -> Console:
    """The console over CASES and SHADOW written to `engine`, its clock at NOW."""
    for n, clause, rule, before, took, label in CASES:
        opened = NOW - before
        case = open_case(
            finding(n, clause, rule, opened), Sanction(SanctionKind.FINE, 50_000, "EUR"), opened
        )
        with engine.begin() as conn:
            case_store.add_case(conn, case)
        if took is not None:
            Review(engine, clock=lambda at=opened + took: at).decide(
                case.case_id, "olivia", Choice(Outcome.CONFIRMED, "checked")
            )
        if label is not None:
            Labels(engine).label(case.case_id, "oscar", label)
    with engine.begin() as conn:
        for i, (rule, before) in enumerate(SHADOW):
            shadow_store.add_shadow_finding(conn, finding(f"s{i}", "4.1.1", rule, NOW - before))
    return Console(Review(engine, clock=lambda: NOW), SECRET)


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def table(page: str, chart_id: str) -> list[list[str]]:
    found = re.search(rf'<table id="table-{chart_id}">(.*?)</table>', page, re.S)
    assert found, f"no table {chart_id}"
    return [
        re.findall(r"<t[dh]>(.*?)</t[dh]>", row) for row in re.findall(r"<tr>(.*?)</tr>", found[1])
    ]


def bars(page: str, chart_id: str) -> list[tuple[str, str, str]]:
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, f"no chart {chart_id}"
    return re.findall(
        r'<rect class="bar" data-series="([^"]*)" data-category="([^"]*)" data-value="([^"]*)"',
        found[0],
    )


def weekly(rows: list[tuple[str, datetime]]) -> list[list[str]]:
    """Rows of a per-week table (week, then one count per key in key order), counted here."""
    keys = sorted({k for k, at in rows if week_of(at) in WEEKS})
    return [
        [w, *(str(sum(1 for k, at in rows if k == key and week_of(at) == w)) for key in keys)]
        for w in WEEKS
    ]


def test_the_analytics_page_shows_the_figures_of_the_period(console: Console) -> None:
    cookie = session(console, "olivia", "officer")
    status, page, headers = call(console, "GET", "/analytics?weeks=4", cookie)
    assert status.startswith("200"), page
    assert "script" not in headers["Content-Security-Policy"]

    opened = [(c, NOW - before) for _, c, _, before, _, _ in CASES]
    assert table(page, "opened")[1:] == weekly(opened)
    decided = [(c, NOW - before + took) for _, c, _, before, took, _ in CASES if took]
    assert table(page, "decided")[1:] == weekly(decided)
    # Case "f" was opened before the period: no bar for it; bars are weeks x clauses.
    clauses = sorted({c for c, at in opened if week_of(at) in WEEKS})
    assert len(bars(page, "opened")) == len(WEEKS) * len(clauses) == 12

    spans = {
        c: [took / timedelta(hours=1) for _, cl, _, _, took, _ in CASES if took and cl == c]
        for c in ("4.1.1", "4.2.1")
    }
    every = [h for hs in spans.values() for h in hs]
    assert table(page, "time-to-decision")[1:] == [
        ["4.1.1", f"{statistics.median(spans['4.1.1']):.1f} h"],
        ["4.2.1", f"{statistics.median(spans['4.2.1']):.1f} h"],
        ["all", f"{statistics.median(every):.1f} h"],
    ]
    assert f"<b>{statistics.median(every):.1f} h</b> over 3 case(s)" in page

    assert table(page, "open-by-age")[1:] == [
        ["&lt;1d", "1"],
        ["1-3d", "0"],
        ["3-7d", "1"],
        ["7-30d", "0"],
        ["&gt;30d", "1"],
    ]
    assert [value for _, _, value in bars(page, "open-by-age")] == ["1", "0", "1", "0", "1"]

    found = [(f"{rule} (active)", NOW - before) for _, _, rule, before, _, _ in CASES]
    found += [(f"{rule} (shadow)", NOW - before) for rule, before in SHADOW]
    assert table(page, "findings")[1:] == weekly(found)
    assert table(page, "findings")[0] == [
        "Week",
        "data-disclosed (active)",
        "gift-above-threshold (active)",
        "price-below-floor (active)",
        "price-below-floor (shadow)",
    ]

    assert table(page, "precision")[1:] == [
        ["data-disclosed", "1", "0", "0", "100.0 %"],
        ["price-below-floor", "1", "1", "0", "50.0 %"],
    ]
    assert bars(page, "precision") == [
        ("precision %", "data-disclosed", "100"),
        ("precision %", "price-below-floor", "50"),
    ]
    assert '<a href="/analytics">Analytics</a>' in page


def test_a_longer_period_counts_the_older_case(console: Console) -> None:
    cookie = session(console, "olivia", "admin")
    status, page, _ = call(console, "GET", "/analytics?weeks=8", cookie)
    assert status.startswith("200"), page
    weeks = [row[0] for row in table(page, "opened")[1:]]
    assert len(weeks) == 8 and weeks[-1] == "2026-W49"
    assert sum(int(row[1]) for row in table(page, "opened")[1:]) == 3  # 4.1.1: a, b and f


@pytest.mark.parametrize(
    ("weeks", "message"),
    [("abc", "not &#39;abc&#39;"), ("0", "from 1 to 104, not 0"), ("500", "not 500")],
)
def test_a_bad_period_is_a_precise_400(console: Console, weeks: str, message: str) -> None:
    cookie = session(console, "olivia", "officer")
    status, page, _ = call(console, "GET", f"/analytics?weeks={weeks}", cookie)
    assert status.startswith("400"), status
    assert "weeks" in page and message in page
