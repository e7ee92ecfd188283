"""The console's inboxes on real databases: the inboxes page, a case's inbox, due date and
waiting reason in the queue and on its page, and the "next case" button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.integration.review.test_console_requests import SECRET, call, session
from tests.integration.review.test_inboxes import CONFIG, Clock, raise_one
from warden.compliance.domain.cases import CaseStatus
from warden.compliance.domain.inboxes import parse_inboxes
from warden.compliance.review.cases import Review
from warden.compliance.review.inboxes import Inboxes
from warden.compliance.storage import schema
from warden.console.app import Console
from warden.platform.db import make_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url, schema.metadata)
    yield made
    made.dispose()


@pytest.fixture
def console(engine: Engine) -> Console:
    clock = Clock()
    Inboxes(engine, clock).configure(parse_inboxes(CONFIG))
    return Console(Review(engine, clock=clock), SECRET)


def test_the_inboxes_page_shows_loads_and_a_case_waiting_at_the_limit(
    console: Console,
) -> None:
    review = console.review
    for employee in ("a1", "a2", "a3", "a4"):  # olga and oscar reach their limit of two
        raise_one(review, employee)
    waiting = raise_one(review, "a5")
    token = session(console, "olga", "officer")

    status, page, _ = call(console, "GET", "/inboxes", token)
    assert status.startswith("200")
    assert "olga 2/2, oscar 2/2" in page and 'id="next-sales"' in page
    _, queue, _ = call(console, "GET", "/cases?inbox=sales&status=open", token)
    assert waiting in queue
    assert "every officer of inbox sales is at the limit of 2 open case(s)" in queue
    _, shown, _ = call(console, "GET", f"/cases/{waiting}", token)
    assert 'id="waiting"' in shown and 'id="inbox"' in shown and "sales</a>, due" in shown


def test_the_next_case_button_claims_the_earliest_due_case_and_opens_it(
    console: Console,
) -> None:
    first = raise_one(console.review, "bob", "4.2.1")
    token = session(console, "carla", "officer")
    form = {"csrf": console.csrf_for(token)}

    status, _, headers = call(console, "POST", "/inboxes/after-sales/next", token, form)
    assert status.startswith("303") and headers["Location"].startswith(f"/cases/{first}?")
    case = console.review.get_case(first)
    assert (case.status, case.assignee) == (CaseStatus.IN_REVIEW, "carla")
    status, page, _ = call(console, "POST", "/inboxes/after-sales/next", token, form)
    assert status.startswith("200") and "No case in inbox after-sales" in page
    status, page, _ = call(console, "POST", "/inboxes/sales/next", token, form)
    assert status.startswith("403") and "not an officer of inbox sales" in page
    status, _, _ = call(console, "POST", "/inboxes/after-sales/next", token, {"csrf": "x"})
    assert status.startswith("403")
