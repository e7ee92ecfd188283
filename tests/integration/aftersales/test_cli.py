"""`warden aftersales ...` drives the same service over gRPC: a few verbs end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.aftersales.grpc_desk import SECRET, Desk, serving
from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.cli import main
from warden.platform.auth import AFTERSALES, issue_token


@pytest.fixture
def desk(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    with serving(app, clock) as built:
        yield built


def warden(
    desk: Desk, capsys: pytest.CaptureFixture[str], *argv: str, subject: str = ""
) -> tuple[int, str, str]:
    """Run the CLI with the desk's admin token, or with `subject`'s own after-sales token."""
    token = issue_token(SECRET, subject, [AFTERSALES]) if subject else desk.token
    code = main(["aftersales", "--address", desk.address, "--token", token, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cli_works_a_ticket_and_writes_the_quality_report_with_its_chart(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ticket = desk.open_ticket
    code, out, _ = warden(
        desk, capsys, "ticket", "respond", ticket, "--agent", "dave", "--message", "on it"
    )
    assert code == 0 and out.startswith("responded: ") and ticket in out
    code, out, _ = warden(
        desk,
        capsys,
        "fee",
        "charge",
        ticket,
        "--code",
        "GOLD",
        "--amount-minor",
        "9900",
        subject="dave",
    )
    assert code == 0 and "[not_in_schedule]" in out and "not refused" in out
    code, out, _ = warden(
        desk, capsys, "ticket", "resolve", ticket, "--agent", "dave", "--resolution", "fan replaced"
    )
    code, out, _ = warden(desk, capsys, "ticket", "close", ticket, "--agent", "dave")
    assert code == 0 and "note: closed with a resolution" in out
    code, out, _ = warden(desk, capsys, "ticket", "survey", ticket, "--score", "4")
    code, out, _ = warden(desk, capsys, "ticket", "show", ticket)
    assert "survey_answered" in out and "fan replaced" in out
    chart = tmp_path / "quality.html"
    code, out, _ = warden(desk, capsys, "report", "--period", "2026-10", "--chart", str(chart))
    assert code == 0 and "Service quality 2026-10" in out
    overall = next(line for line in out.splitlines() if line.startswith("all "))
    assert overall.split()[1:4] == ["2", "1", "4.00"]  # 2 tickets, 1 survey, mean 4
    html = chart.read_text()
    assert html.count("<svg") == 5 and "score 4" in html


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_refused_cli_request_exits_1_with_the_status_and_details(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = warden(desk, capsys, "data", "read", "C1", "--fields", "phone", subject="bill")
    assert code == 1 and out == ""
    assert err.strip() == "error: PERMISSION_DENIED: fields: role 'billing' may not see phone"
    code, out, _ = warden(desk, capsys, "data", "log", "--customer", "C1")
    assert "REFUSED" in out and "bill" in out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_archive_verb_reports_what_it_moved(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = warden(desk, capsys, "archive", "--older-than-days", "0", subject="sue")
    assert code == 0 and "moved 1 closed record(s)" in out and desk.closed_ticket in out
