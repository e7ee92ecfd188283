"""`warden sales ...` drives SalesService over gRPC with the same behaviour: a salesperson's
month from the command line, its report and chart, and errors as the status and details."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warden.cli import main
from warden.platform.auth import ADMIN, SALES, issue_token

from .conftest import SECRET, Sales


def run(
    sales: Sales, capsys: pytest.CaptureFixture[str], *argv: str, who: str = ""
) -> tuple[int, str, str]:
    """The command as `who` runs it with their own sales token (default: an administrator)."""
    group, *rest = argv
    token = issue_token(SECRET, who, [SALES]) if who else issue_token(SECRET, "root", [ADMIN])
    code = main(["sales", group, *rest, "--address", sales.address, "--token", token])
    out, err = capsys.readouterr()
    return code, out, err


def ok(sales: Sales, capsys: pytest.CaptureFixture[str], *argv: str, who: str = "") -> str:
    code, out, err = run(sales, capsys, *argv, who=who)
    assert code == 0, err
    return out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_month_from_the_command_line(
    sales: Sales, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sales.clock.set(2025, 12, 20)
    for who, role in [("alice", "sales_rep"), ("bob", "sales_manager")]:
        ok(sales, capsys, "salesperson", who, "--name", who, "--role", role, "--team", "north")
    ok(
        sales,
        capsys,
        "price",
        "list",
        "P1",
        "--name",
        "valve",
        "--list-price",
        "100",
        "--floor",
        "80",
    )
    out = ok(
        sales,
        capsys,
        "target",
        "set",
        "2026",
        "--team",
        "north",
        "--amount",
        "24,000",
        "--quota",
        "alice=12000",
        "--quota",
        "bob=12000",
        "--by",
        "bob",
        who="bob",
    )
    assert "quotas alice 12,000.00 EUR, bob 12,000.00 EUR; difference 0.00 EUR" in out

    sales.clock.set(2026, 11, 3)
    out = ok(
        sales,
        capsys,
        "opportunity",
        "open",
        "--customer",
        "C1",
        "--salesperson",
        "alice",
        "--title",
        "valves",
        "--value",
        "500",
        who="alice",
    )
    opp = re.search(r"opportunity (\S+) opened", out).group(1)  # type: ignore[union-attr]
    code, _, err = run(
        sales, capsys, "opportunity", "move", opp, "proposal", "--by", "alice", who="alice"
    )
    assert code == 1
    assert err.startswith("error: FAILED_PRECONDITION: ") and "is at lead" in err
    for stage in ("visit", "needs_analysis", "proposal"):
        ok(sales, capsys, "opportunity", "move", opp, stage, "--by", "alice", who="alice")
    offer = tmp_path / "offer.pdf"
    offer.write_bytes(b"%PDF offer for 3 valves")
    out = ok(
        sales,
        capsys,
        "opportunity",
        "archive",
        opp,
        "--type",
        "proposal",
        "--file",
        str(offer),
        "--by",
        "alice",
        who="alice",
    )
    assert "sha256 " + __import__("hashlib").sha256(offer.read_bytes()).hexdigest() in out
    sales.clock.set(2026, 11, 20)
    out = ok(
        sales, capsys, "contract", "sign", opp, "--line", "P1:3:95.00", "--by", "alice", who="alice"
    )
    contract = re.search(r"contract (\S+) v1: total 285.00 EUR", out).group(1)  # type: ignore[union-attr]
    sales.clock.set(2026, 11, 25)
    out = ok(
        sales,
        capsys,
        "contract",
        "pay",
        contract,
        "--amount",
        "285",
        "--by",
        "finance",
        who="finance",
    )
    assert "collected 285.00 EUR" in out
    history = ok(sales, capsys, "opportunity", "show", opp)
    assert "contract_signed -> payment_collected by finance paid in full" in history

    sales.clock.set(2026, 12, 1)
    out = ok(sales, capsys, "report", "show", "--salesperson", "alice", "--period", "2026-11")
    # target 12,000.00 / 12 = 1,000.00; signed and collected 285.00 = 28.50%.
    assert "target:    1,000.00 EUR" in out
    assert "signed:    285.00 EUR (28.50% of target)" in out
    assert "collected: 285.00 EUR (28.50% of target)" in out
    out = ok(
        sales,
        capsys,
        "report",
        "publish",
        "--team",
        "north",
        "--period",
        "2026-11",
        "--to",
        "alice",
        "--to",
        "bob",
        "--by",
        "bob",
        who="bob",
    )
    assert "published as" in out and "to alice, bob" in out
    chart = tmp_path / "chart.html"
    ok(
        sales,
        capsys,
        "report",
        "chart",
        "--team",
        "north",
        "--period",
        "2026-11",
        "--out",
        str(chart),
    )
    page = chart.read_text()
    assert (
        "<svg" in page and "alice signed: 285.00 EUR" in page and "bob target: 1,000.00 EUR" in page
    )
    assert len(sales.events("warden.sales.report.published")) == 1


def test_missing_arguments_are_refused_before_any_call(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["sales", "contract", "pay", "K1", "--by", "fin"])
    assert refused.value.code == 2
    assert "--amount" in capsys.readouterr().err
