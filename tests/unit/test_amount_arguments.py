"""Amounts on the command line: a decimal in major units (`warden sales ... --amount`) or whole
cents (`warden aftersales fee ... --price-minor`), refused by name, before any call, when they
are not numbers, not finite, finer than a cent or beyond the 64-bit integer the API and the
largest amount the services accept (money.MAX_MINOR; beyond int64 it ended in a protobuf
traceback)."""

from __future__ import annotations

import pytest

from warden.aftersales.edge.commands import minor
from warden.cli import main
from warden.money import MAX_MINOR
from warden.sales.edge.text import amount

EXPENSE = ["sales", "expense", "--salesperson", "s", "--customer", "c", "--kind", "gift"]


def test_amounts_in_range_are_read_exactly() -> None:
    assert amount("1,200.50") == 120_050
    assert amount("999,999,999,999.99") == MAX_MINOR
    assert minor("99999999999999") == MAX_MINOR
    assert minor("-5") == -5  # the service says whether a sign is allowed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not an amount like 1200.50"),
        ("inf", "'inf' is not an amount like 1200.50"),
        ("NaN", "'NaN' is not an amount like 1200.50"),
        ("10.001", "'10.001' has more than two decimals"),
        ("1e400", "'1e400' is too large (at most 999,999,999,999.99)"),
        ("1000000000000.00", "'1000000000000.00' is too large"),
        ("92233720368547758.07", "'92233720368547758.07' is too large"),
    ],
)
def test_a_bad_amount_is_refused_by_name(
    text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*EXPENSE, "--amount", text, "--on", "2026-11-01"])
    assert stopped.value.code == 2
    assert f"argument --amount: {message}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.5", "'1.5' is not a whole number of cents"),
        ("100000000000000", "'100000000000000' is too large (at most 99,999,999,999,999)"),
        ("9223372036854775807", "'9223372036854775807' is too large (at most 99,999,"),
    ],
)
def test_bad_cents_are_refused_by_name(
    text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["aftersales", "fee", "set", "X", "--price-minor", text])
    assert stopped.value.code == 2
    assert f"argument --price-minor: {message}" in capsys.readouterr().err
