"""Snoozes in the console, on real databases: an officer snoozes a rule from a decided case's
page and lifts it from the snoozes page; a bad snooze, one on one's own case and a form without
its CSRF token are refused with the reason and change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape

import pytest
from sqlalchemy import Engine

from tests.integration.review.test_console_requests import SECRET, call, session
from tests.integration.review.test_outcome_labels import add_case, decided
from warden.compliance.review.cases import Review
from warden.compliance.review.snoozes import Snoozes
from warden.compliance.storage import schema
from warden.console.app import Console
from warden.platform.db import make_engine

RULE = "price-below-floor"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def snooze_form(console: Console, session_id: str, **change: str) -> dict[str, str]:
    form = {"csrf": console.csrf_for(session_id), "rule_id": RULE, "days": "30"}
    return {**form, "reason": "pricing campaign", **change}


def test_an_officer_snoozes_from_the_case_page_and_lifts_from_the_list(engine: Engine) -> None:
    console = Console(Review(engine), SECRET)
    oscar = session(console, "oscar", "officer")
    case_id = decided(engine, 1, RULE, 1)
    _, page, _ = call(console, "GET", f"/cases/{case_id}", oscar)
    assert 'id="snooze-rule"' in page and f"<option>{RULE}</option>" in page

    status, _, headers = call(
        console, "POST", f"/cases/{case_id}/snooze", oscar, snooze_form(console, oscar)
    )
    assert status.startswith("303")
    assert "snoozed%20for%20alice" in headers["Location"]
    (snooze,) = Snoozes(engine).listed()
    assert (snooze.snoozed_by, snooze.subject, snooze.reason) == (
        "oscar",
        "alice",
        "pricing campaign",
    )
    _, page, _ = call(console, "GET", f"/cases/{case_id}", oscar)
    assert 'id="case-snoozes"' in page and ">snoozed<" in page  # and in the audit trail
    _, listing, _ = call(console, "GET", "/snoozes?active=1", oscar)
    assert f'id="lift-{snooze.snooze_id}"' in listing and "employee alice" in listing

    form = {"csrf": console.csrf_for(oscar), "reason": "campaign over"}
    status, _, headers = call(console, "POST", f"/snoozes/{snooze.snooze_id}/lift", oscar, form)
    assert status.startswith("303") and headers["Location"].startswith("/snoozes?msg=")
    (lifted,) = Snoozes(engine).listed()
    assert (lifted.lifted_by, lifted.lift_reason) == ("oscar", "campaign over")
    _, listing, _ = call(console, "GET", "/snoozes?active=1", oscar)
    assert 'id="none"' in listing
    status, page, _ = call(console, "POST", f"/snoozes/{snooze.snooze_id}/lift", oscar, form)
    assert status.startswith("409") and "is already lifted" in unescape(page)


@pytest.mark.parametrize(
    ("who", "change", "status", "message"),
    [
        ("oscar", {"days": "181"}, "400", "a snooze lasts 1 to 180 days, not 181"),
        ("oscar", {"days": "soon"}, "400", "'soon' is not a whole number of days"),
        ("oscar", {"reason": ""}, "400", "is required: say why the rule is snoozed"),
        ("oscar", {"rule_id": "gift-above-threshold"}, "400", "is not a rule of case"),
        ("oscar", {"case": "undecided"}, "409", "a rule is snoozed from a decided case"),
        ("alice", {}, "403", "self-review"),
        ("oscar", {"csrf": "forged"}, "403", "Form expired."),
    ],
)
def test_a_bad_snooze_from_the_console_is_refused_and_changes_nothing(
    engine: Engine, who: str, change: dict[str, str], status: str, message: str
) -> None:
    console = Console(Review(engine), SECRET)
    caller = session(console, who, "officer")
    case_id = decided(engine, 1, RULE, 1)
    change = dict(change)  # the parameter is shared by both backends' runs
    if change.pop("case", "") == "undecided":
        case_id = add_case(engine, 2, RULE, 1)
    got, page, _ = call(
        console, "POST", f"/cases/{case_id}/snooze", caller, snooze_form(console, caller, **change)
    )
    assert got.startswith(status) and message in unescape(page)
    assert Snoozes(engine).listed() == []
