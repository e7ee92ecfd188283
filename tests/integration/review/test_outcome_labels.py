"""Outcome labels on real databases: officers label decided cases, and the precision per rule
and version on the console's rules page matches what the test computes from the labels on
its own; a label on an undecided case, an unknown label and a label on one's own case are
refused with the reason and change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from tests.integration.review.test_console_requests import SECRET, call, session
from warden.compliance.domain.cases import Choice, Outcome, open_case
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.labels import Label
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.cases import Review
from warden.compliance.review.labels import Labels
from warden.compliance.rules.catalogue import RuleCatalog
from warden.compliance.storage import audit_store, case_store, schema
from warden.console.app import Console
from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.platform.db import make_engine

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# (rule, version, label) of each decided case; None: decided, not labelled.
LABELLED = [
    ("price-below-floor", 1, Label.TRUE_VIOLATION),
    ("price-below-floor", 1, Label.TRUE_VIOLATION),
    ("price-below-floor", 1, Label.FALSE_POSITIVE),
    ("price-below-floor", 2, Label.TRUE_VIOLATION),
    ("price-below-floor", 2, Label.INCONCLUSIVE),
    ("gift-above-threshold", 1, Label.FALSE_POSITIVE),
    ("gift-above-threshold", 1, Label.INCONCLUSIVE),
    ("gift-above-threshold", 1, None),
]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def add_case(engine: Engine, n: int, rule_id: str, version: int, employee: str = "alice") -> str:
    finding = Finding(
        finding_id=f"f-{n}",
        rule_id=rule_id,
        rule_version=version,
        clause="4.1.2",
        severity="major",
        title=f"{rule_id} v{version}",
        employee_id=employee,
        event_ids=(f"ev-{n}",),
        reasons=("new price: 700.00 EUR",),
        occurred_at=AT,
    )
    case = open_case(finding, Sanction(SanctionKind.FINE, 50_000, "EUR"), opened_at=AT)
    with engine.begin() as conn:
        case_store.add_case(conn, case)
    return case.case_id


def decided(engine: Engine, n: int, rule_id: str, version: int) -> str:
    case_id = add_case(engine, n, rule_id, version)
    Review(engine).decide(case_id, "olivia", Choice(Outcome.CONFIRMED, "checked"))
    return case_id


def expected_precision() -> dict[tuple[str, int], str]:
    """Each rule version's precision from LABELLED, counted here without Warden's code."""
    shown = {}
    for key in {(rule, version) for rule, version, _ in LABELLED}:
        labels = [label for rule, version, label in LABELLED if (rule, version) == key]
        true, false = labels.count(Label.TRUE_VIOLATION), labels.count(Label.FALSE_POSITIVE)
        shown[key] = f"{100 * true / (true + false):.1f} %" if true + false else "-"
    return shown


def rows_of(page: str, table: str) -> list[list[str]]:
    body = page.split(f'<table id="{table}">')[1].split("</table>")[0]
    rows = body.split("<tr>")[2:]  # after the header
    return [[c.split("</td>")[0] for c in row.split("<td>")[1:]] for row in rows]


def test_labels_feed_the_precision_of_each_rule_version_on_the_rules_page(
    engine: Engine,
) -> None:
    console = Console(Review(engine), SECRET, catalog=RuleCatalog(engine))
    oscar = session(console, "oscar", "officer")
    for n, (rule, version, label) in enumerate(LABELLED):
        case_id = decided(engine, n, rule, version)
        if label is None:
            continue
        form = {"csrf": console.csrf_for(oscar), "label": label.value}
        status, _, headers = call(console, "POST", f"/cases/{case_id}/label", oscar, form)
        assert status.startswith("303")
        assert "Outcome%20label%20recorded" in headers["Location"]

    figures = Labels(engine).precision()
    assert figures[("price-below-floor", 1)].value == pytest.approx(2 / 3)
    assert figures[("gift-above-threshold", 1)].labelled == 2  # the unlabelled case is not
    _, page, _ = call(console, "GET", "/rules", oscar)
    shown = {
        (rule.split(">")[1].split("<")[0], int(version[1:])): share
        for rule, version, _, _, _, share in rows_of(page, "precision")
    }
    assert shown == expected_precision()
    assert shown[("price-below-floor", 2)] == "100.0 %"  # inconclusive is left out
    assert shown[("gift-above-threshold", 1)] == "0.0 %"


def test_a_label_is_shown_on_the_case_audited_and_may_be_changed(engine: Engine) -> None:
    case_id = decided(engine, 1, "price-below-floor", 1)
    console = Console(Review(engine), SECRET)
    oscar = session(console, "oscar", "officer")
    form = {"csrf": console.csrf_for(oscar), "label": "false_positive"}
    status, _, headers = call(console, "POST", f"/cases/{case_id}/label", oscar, form)
    _, page, _ = call(console, "GET", headers["Location"], oscar)
    assert "Outcome label recorded: false positive." in page
    assert '<td id="label">false positive by oscar (' in page
    Labels(engine).label(case_id, "olivia", "true_violation")
    label = Labels(engine).of(case_id)
    assert label is not None and (label.label, label.labelled_by) == (
        Label.TRUE_VIOLATION,
        "olivia",
    )
    with engine.connect() as conn:
        audited = [
            (e.action, e.details.get("label")) for e in audit_store.audit_entries(conn, case_id)
        ]
    assert audited[-2:] == [("labelled", "false_positive"), ("labelled", "true_violation")]


def labels_stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.case_labels)).scalar() or 0)


def test_a_label_on_an_undecided_case_is_refused_and_changes_nothing(engine: Engine) -> None:
    case_id = add_case(engine, 1, "price-below-floor", 1)
    console = Console(Review(engine), SECRET)
    oscar = session(console, "oscar", "officer")
    form = {"csrf": console.csrf_for(oscar), "label": "true_violation"}
    status, page, _ = call(console, "POST", f"/cases/{case_id}/label", oscar, form)
    assert status.startswith("409")
    assert f"case {case_id} is open: an outcome label is recorded once the case is decided" in page
    with pytest.raises(FailedPrecondition, match="is open: an outcome label is recorded once"):
        Labels(engine).label(case_id, "oscar", "true_violation")
    assert labels_stored(engine) == 0
    with engine.connect() as conn:
        assert [e.action for e in audit_store.audit_entries(conn, case_id)] == ["created"]


def test_an_unknown_label_and_a_label_on_ones_own_case_are_refused(engine: Engine) -> None:
    case_id = decided(engine, 1, "price-below-floor", 1)  # about alice
    labels = Labels(engine)
    with pytest.raises(
        InvalidArgument,
        match="^label: choose one of true_violation, false_positive, inconclusive$",
    ):
        labels.label(case_id, "oscar", "probably fine")
    with pytest.raises(PermissionDenied, match="self-review: officer 'Alice' cannot label case"):
        labels.label(case_id, "Alice", "false_positive")
    assert labels_stored(engine) == 0
