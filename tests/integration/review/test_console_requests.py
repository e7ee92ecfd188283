"""The console's HTTP edge on real databases, without a browser: sessions, CSRF on forms,
role checks, and customers' personal data masked for officers but shown to admins."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, delete

from tests.logs import captured
from warden.compliance.domain.cases import CaseStatus, open_case
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.judging import holding
from warden.compliance.review.anchoring import anchor_end
from warden.compliance.review.cases import Review
from warden.compliance.storage import audit_store, case_store, inbox_store, schema
from warden.console.app import COOKIE, Console
from warden.platform.auth import CONSOLE, issue_token
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine

SECRET = "console-test-secret-of-at-least-32-bytes"
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def console(engine: Engine) -> Console:
    return Console(Review(engine), SECRET)


def leak_case(
    engine: Engine,
    reasons: tuple[str, ...] = ("recipient kind: external",),
    **more: Any,
) -> str:
    """A 4.2.1 case whose evidence event names a customer (and `more` data)."""
    event = CloudEvent(
        id="ev-1",
        type="warden.aftersales.customer_data.accessed",
        source="/warden/aftersales",
        subject="dave",
        time=AT,
        data={
            "customer_id": "cust-4242",
            "recipient": "rival@example.com",
            "action": "export",
            **more,
        },
    )
    finding = Finding(
        finding_id="f-leak",
        rule_id="customer-data-disclosed",
        rule_version=1,
        clause="4.2.1",
        severity="critical",
        title="customer data disclosed outside",
        employee_id="dave",
        event_ids=("ev-1",),
        reasons=reasons,
        occurred_at=AT,
    )
    case = open_case(finding, Sanction(SanctionKind.FINE, 100_000, "EUR"), opened_at=AT)
    with engine.begin() as conn:
        inbox_store.record_received(conn, event, "aftersales.events", 0, 0, AT)
        case_store.add_case(conn, case)
    return case.case_id


def call(
    console: Console,
    method: str,
    path: str,
    token: str = "",
    form: dict[str, str] | None = None,
    scheme: str = "http",
    remote_addr: str = "127.0.0.1",
) -> tuple[str, str, dict[str, str]]:
    """One request to the console as a WSGI server would make it (with the server's name
    and the form's content type, which Flask reads); `token`: the session cookie."""
    body = urlencode(form or {}).encode()
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote_addr,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": scheme,
        "HTTP_COOKIE": f"{COOKIE}={token}" if token else "",
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    page = b"".join(console(environ, start_response)).decode()
    return seen["status"], page, seen["headers"]


def session(console: Console, subject: str, *roles: str) -> str:
    """Log in with a console token as `subject`; the session id the cookie carries."""
    token = issue_token(SECRET, subject, roles, audience=CONSOLE)
    status, _, headers = call(console, "POST", "/login", form={"token": token})
    assert status.startswith("303"), status
    return headers["Set-Cookie"].split(";")[0].split("=", 1)[1]


def test_without_a_session_every_page_goes_to_login_and_a_bad_token_is_refused(
    console: Console,
) -> None:
    status, _, headers = call(console, "GET", "/cases")
    assert status.startswith("303") and headers["Location"] == "/login"
    forged = issue_token("another-secret", "olivia", ["officer"], audience=CONSOLE)
    status, page, _ = call(console, "POST", "/login", form={"token": forged})
    assert status.startswith("401") and "bad signature" in page


def test_login_sets_an_httponly_strict_cookie_naming_a_session_not_the_token(
    console: Console,
) -> None:
    token = issue_token(SECRET, "olivia", ["officer"], audience=CONSOLE)
    status, _, headers = call(console, "POST", "/login", form={"token": token})
    assert status.startswith("303")
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and token not in cookie and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)
    token = session(console, "olivia", "officer")
    status, _, _ = call(console, "POST", f"/cases/{case_id}/claim", token, {"csrf": "guess"})
    assert status.startswith("403")
    assert console.review.get_case(case_id).status is CaseStatus.OPEN
    good = {"csrf": console.csrf_for(token)}
    status, _, _ = call(console, "POST", f"/cases/{case_id}/claim", token, good)
    assert status.startswith("303")
    assert console.review.get_case(case_id).assignee == "olivia"


def test_a_refused_action_shows_why_and_changes_nothing(console: Console, engine: Engine) -> None:
    case_id = leak_case(engine)
    token = session(console, "dave", "officer")
    form = {"csrf": console.csrf_for(token), "outcome": "confirmed"}
    status, page, _ = call(console, "POST", f"/cases/{case_id}/decide", token, form)
    assert status.startswith("403") and "self-review" in page
    assert console.review.get_case(case_id).status is CaseStatus.OPEN


def test_roles_other_than_officer_or_admin_cannot_use_the_console(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)
    status, page, _ = call(console, "GET", f"/cases/{case_id}", session(console, "h", "hr_reader"))
    assert status.startswith("403") and "for compliance officers" in page
    status, _, _ = call(console, "GET", f"/cases/{case_id}", session(console, "o", "officer"))
    assert status.startswith("200")


def test_personal_data_is_masked_for_officers_and_shown_to_admins(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)
    _, officer_page, _ = call(console, "GET", f"/cases/{case_id}", session(console, "o", "officer"))
    assert "cust-4242" not in officer_page and "rival@example.com" not in officer_page
    assert "c***2" in officer_page and "export" in officer_page
    _, admin_page, _ = call(console, "GET", f"/cases/{case_id}", session(console, "a", "admin"))
    assert "cust-4242" in admin_page and "rival@example.com" in admin_page


def test_explanations_and_nested_fields_are_masked_for_officers_and_shown_to_admins(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(
        engine,
        ("customer: cust-4242", "exported to: rival@example.com", "action: export"),
        customer={"phone": "+49 30 5550101", "address": "Hauptstrasse 5"},
    )
    _, officer_page, _ = call(console, "GET", f"/cases/{case_id}", session(console, "o", "officer"))
    for secret in ("cust-4242", "rival@example.com", "5550101", "Hauptstrasse"):
        assert secret not in officer_page
    assert "customer: c***2" in officer_page and "exported to: r***m" in officer_page
    assert "action: export" in officer_page
    _, admin_page, _ = call(console, "GET", f"/cases/{case_id}", session(console, "a", "admin"))
    assert "customer: cust-4242" in admin_page and "exported to: rival@example.com" in admin_page
    assert "Hauptstrasse 5" in admin_page


def test_the_overview_shows_the_audit_trails_last_anchor_and_a_changed_trail(
    console: Console, engine: Engine
) -> None:
    token = session(console, "olivia", "officer")
    _, page, _ = call(console, "GET", "/overview", token)
    assert "Audit trail: 0 entries, not anchored on Kafka yet." in page
    leak_case(engine)
    with engine.begin() as conn:
        anchor = anchor_end(conn, "warden", AT)
    assert anchor is not None and anchor.seq == 1
    _, page, _ = call(console, "GET", "/overview", token)
    assert (
        "Audit trail: 1 entry, anchored on Kafka up to entry 1 (2026-11-02 09:00 UTC); "
        "0 entries since." in page
    )
    with engine.begin() as conn:  # someone with access to the database removes the entry
        conn.execute(delete(schema.audit_log))
    _, page, _ = call(console, "GET", "/overview", token)
    assert "<b>The audit trail was changed in the database</b>: entry 1, anchored, is no " in page
    assert "warden audit verify --anchors" in page


def test_the_overview_counts_the_events_awaiting_every_partition(
    console: Console, engine: Engine
) -> None:
    token = session(console, "olivia", "officer")
    _, page, _ = call(console, "GET", "/overview", token)
    assert 'id="held"' not in page  # nothing held: nothing said
    with engine.begin() as conn:
        holding.hold(
            conn,
            [
                {"event_id": f"read-{n}", "source": "/desk", "time": AT,
                 "stream": "aftersales.events:1", "offset": n, "held_at": AT}
                for n in range(3)
            ],
        )  # fmt: skip
    _, page, _ = call(console, "GET", "/overview", token)
    assert (
        '<div class="box" id="held">3 event(s) not judged yet by the rules that wait for every '
        "partition to pass them (the oldest dated 2026-11-02 09:00 UTC): their findings may "
        "still come.</div>" in page
    )


def test_the_employee_concerned_cannot_see_comment_on_or_appeal_their_own_case_in_the_console(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)  # about dave
    token = session(console, " Dave", "officer")
    status, page, _ = call(console, "GET", f"/cases/{case_id}", token)
    assert status.startswith("403") and "self-review" in page and "cust" not in page
    _, queue, _ = call(console, "GET", "/cases", token)
    assert case_id not in queue
    csrf = console.csrf_for(token)
    for action, form in (("comment", {"text": "not me"}), ("appeal", {"reason": "unfair"})):
        status, page, _ = call(
            console, "POST", f"/cases/{case_id}/{action}", token, {"csrf": csrf, **form}
        )
        assert status.startswith("403") and "self-review" in page
    with engine.connect() as conn:
        assert [e.action for e in audit_store.audit_entries(conn, case_id)] == ["created"]
    assert console.review.get_case(case_id).comments == ()
    _, queue, _ = call(console, "GET", "/cases", session(console, "olivia", "officer"))
    assert case_id in queue


def test_an_action_in_the_console_is_logged_with_its_actor_and_case_as_fields(
    console: Console, engine: Engine
) -> None:
    case_id = leak_case(engine)
    token = session(console, "Olivia", "officer")
    with captured("json") as out:
        form = {"csrf": console.csrf_for(token)}
        status, _, _ = call(console, "POST", f"/cases/{case_id}/claim", token, form)
    assert status.startswith("303")
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    (claimed,) = [r for r in records if "claimed by" in r["message"]]
    assert (claimed["actor"], claimed["case_id"]) == ("Olivia", case_id)
