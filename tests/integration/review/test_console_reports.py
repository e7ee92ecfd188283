"""The sales performance and service-quality reports in the console, fetched over gRPC from the
running sales and after-sales services: the figures and bars on the page match the sales the
test recorded; officers are refused, bad parameters are a precise 400 that calls no service,
and an unreachable service is named with its address."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.integration.review.test_console_analytics import bars, table
from tests.integration.review.test_console_requests import call
from tests.integration.sales.seed import seed
from tests.system import System
from warden.console.app import Console
from warden.console.reports import Reports
from warden.platform.auth import CONSOLE, issue_token, secret_for


def console_of(system: System, sales: str = "", aftersales: str = "") -> tuple[Console, str]:
    assert system.review is not None
    secret = secret_for(system.settings.data_dir, system.settings.auth_secret)
    reports = Reports(
        secret,
        sales or system.runtimes["sales"].address,
        aftersales or system.runtimes["aftersales"].address,
        system.settings,
        timeout_s=2.0,
    )
    return Console(system.review, secret, reports=reports), secret


def login(console: Console, secret: str, subject: str, role: str) -> str:
    token = issue_token(secret, subject, [role], audience=CONSOLE)
    status, _, headers = call(console, "POST", "/login", form={"token": token})
    assert status.startswith("303"), status
    return headers["Set-Cookie"].split(";")[0].split("=", 1)[1]


def test_an_admin_sees_the_team_report_with_its_chart(system: System) -> None:
    assert system.sales is not None
    seed(system.sales)  # alice signs 2 x 100.00 EUR this month; bob nothing
    console, secret = console_of(system)
    cookie = login(console, secret, "ada", "admin")
    month = f"{datetime.now(UTC):%Y-%m}"

    status, page, _ = call(
        console, "GET", f"/reports/sales?scope=team&id=north&period={month}&currency=EUR", cookie
    )
    assert status.startswith("200"), page
    rows = {row[0]: row for row in table(page, "sales-performance")[1:]}
    assert set(rows) == {"alice", "bob"}
    assert rows["alice"][2] == "200.00 EUR" and rows["bob"][2] == "0.00 EUR"
    signed = {c: v for s, c, v in bars(page, "sales-performance") if s == "signed"}
    assert signed == {"alice": "200", "bob": "0"}
    assert len(bars(page, "sales-performance")) == 2 * 3  # two people x target/signed/collected
    assert f"team north, {month} (month)" in page
    assert '<a href="/reports/sales">Sales report</a>' in page


def test_an_admin_sees_the_quality_report_of_a_month(system: System) -> None:
    console, secret = console_of(system)
    cookie = login(console, secret, "ada", "admin")
    status, page, _ = call(console, "GET", "/reports/quality?period=2026-11", cookie)
    assert status.startswith("200"), page
    assert "tickets received in 2026-11: 0, surveys 0" in page
    assert re.search(r'<svg [^>]*id="quality-scores"', page)
    # No ticket: the overall row alone, every figure empty.
    assert table(page, "quality-agents")[1:] == [["all", "0", "0", "-", "-", "-"]]


def test_officers_are_refused_the_reports(system: System) -> None:
    console, secret = console_of(system)
    cookie = login(console, secret, "olivia", "officer")
    for path in ("/reports/sales?scope=team&id=north&period=2026-11", "/reports/quality"):
        status, page, _ = call(console, "GET", path, cookie)
        assert status.startswith("403"), path
        assert "reports are for administrators" in page
    _, page, _ = call(console, "GET", "/analytics", cookie)
    assert "/reports/sales" not in page  # no link to what they may not open


def test_bad_report_parameters_are_a_precise_400(system: System) -> None:
    # Services that cannot be reached: a 400 proves the parameters were refused before a call.
    console, secret = console_of(system, "127.0.0.1:1", "127.0.0.1:1")
    cookie = login(console, secret, "ada", "admin")
    cases = {
        "/reports/sales?scope=galaxy&id=north&period=2026-11": "choose team or salesperson",
        "/reports/sales?scope=team&id=north&period=2026-13": "month 13 does not exist",
        "/reports/sales?scope=team&id=north&period=soon": "is not a period",
        "/reports/sales?scope=team&id=&period=2026-11": "give the team&#39;s id",
        "/reports/sales?scope=team&id=north&period=2026&currency=euro": "three-letter currency",
        "/reports/quality?period=2026-13": "not a month like 2026-11",
    }
    for path, message in cases.items():
        status, page, _ = call(console, "GET", path, cookie)
        assert status.startswith("400"), (path, status)
        assert message in page, (path, page)


def test_an_unreachable_service_is_named(system: System) -> None:
    console, secret = console_of(system, "127.0.0.1:1", "127.0.0.1:1")
    cookie = login(console, secret, "ada", "admin")
    status, page, _ = call(console, "GET", "/reports/quality?period=2026-11", cookie)
    assert status.startswith("503"), status
    assert "The after-sales service at 127.0.0.1:1 is unreachable" in page
    status, page, _ = call(console, "GET", "/reports/sales?id=north&period=2026-11", cookie)
    assert status.startswith("503") and "The sales service at 127.0.0.1:1" in page
