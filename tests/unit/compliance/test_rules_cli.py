"""`warden rules validate|test|backtest` through the real entry point: the examples table with a
failing example, and the bad input the verbs refuse before touching any database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from warden.cli import main
from warden.compliance.rule_testing import examples
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings

RULES = Settings().rules_dir
GIFT = "4.1.1/gift-above-threshold.yaml"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    return copy


def rows(out: str) -> list[list[str]]:
    """The table's rows: rule key, the rest of the line split at the kind and result."""
    table = out.split("\n\n")[0].splitlines()[1:]
    return [[line[:38].strip(), line[39:99].strip(), *line[100:].split()] for line in table]


def test_every_shipped_example_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test", str(RULES)]) == 0

    out = capsys.readouterr().out
    count = len(examples.examples_of(load_rules(RULES)))
    table = rows(out)
    assert len(table) == count
    assert {row[-1] for row in table} == {"PASS"}
    assert {row[-2] for row in table} == {"breaks", "inside", "boundary"}
    assert out.rstrip().endswith(f"{count} passed, 0 failed")


def test_a_broken_example_is_a_fail_row_with_its_difference(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rules_copy / GIFT
    path.write_text(path.read_text().replace('- "450.00 EUR spent', '- "451.00 EUR spent'))

    assert main(["rules", "test", str(rules_copy)]) == 1

    out = capsys.readouterr().out
    failed = [row for row in rows(out) if row[-1] == "FAIL"]
    assert failed == [
        ["gift-above-threshold@v1", "a 450 EUR dinner for a customer is flagged", "breaks", "FAIL"]
    ]
    assert (
        f"FAIL gift-above-threshold@v1 [breaks] a 450 EUR dinner for a customer is flagged "
        f"({path})" in out
    )
    assert (
        "  finding 1: explanation lacks '451.00 EUR spent on the customer > single-item "
        "threshold 200.00 EUR'" in out
    )
    count = len(examples.examples_of(load_rules(RULES)))
    assert out.rstrip().endswith(f"{count - 1} passed, 1 failed")


def test_one_rule_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test", str(RULES), "--rule", "gift-above-threshold"]) == 0

    out = capsys.readouterr().out
    assert {row[0] for row in rows(out)} == {"gift-above-threshold@v1"}
    assert out.rstrip().endswith("4 passed, 0 failed")


def test_an_unknown_rule_id_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test", str(RULES), "--rule", "no-such-rule"]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"error: no rule 'no-such-rule' in {RULES}" in captured.err


@pytest.mark.parametrize("verb", ["validate", "test"])
def test_an_invalid_rule_file_is_refused_with_file_and_line(
    verb: str, rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rules_copy / GIFT
    path.write_text(path.read_text().replace("clause:", "claus:"))

    assert main(["rules", verb, str(rules_copy)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path}:4: unknown field 'claus' in the rule" in captured.err
    assert f"1 error(s) in {rules_copy}" in captured.err


@pytest.mark.parametrize("verb", ["validate", "test"])
def test_a_missing_or_empty_rules_directory_is_refused(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "mistyped"
    assert main(["rules", verb, str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"{missing}: rules directory: no such directory" in err
    assert f"1 error(s) in {missing}" in err
    a_file = tmp_path / "rules.yaml"
    a_file.write_text("id: x\n")
    assert main(["rules", verb, str(a_file)]) == 1
    assert f"{a_file}: rules directory: not a directory" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["rules", verb, str(empty)]) == 1
    assert f"{empty}: no rule files (*.yaml) in it" in capsys.readouterr().err


def test_validate_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "validate", str(RULES)]) == 0

    out = capsys.readouterr().out
    assert f"{len(load_rules(RULES))} rule(s) valid in {RULES}" in out
    assert "ok  gift-above-threshold@v1" in out


def backtest(db: Path, *times: str) -> list[str]:
    return ["rules", "backtest", *times, "--candidate", str(RULES), "--db-url", f"sqlite:///{db}"]


@pytest.mark.parametrize(
    ("times", "says"),
    [
        (
            ["--from", "2026-11-01T00:00:00", "--to", "2026-12-01T00:00:00Z"],
            "argument --from: '2026-11-01T00:00:00' needs a timezone",
        ),
        (
            ["--from", "2026-11-01T00:00:00Z", "--to", "next week"],
            "argument --to: 'next week' is not a time",
        ),
        (
            ["--from", "2026-12-01T00:00:00Z", "--to", "2026-11-01T00:00:00Z"],
            "argument --from: 2026-12-01 00:00:00+00:00 is not before --to 2026-11-01",
        ),
        (
            ["--from", "2026-11-01T00:00:00Z", "--to", "2026-11-01T01:00:00+01:00"],
            "argument --from: 2026-11-01 00:00:00+00:00 is not before --to",
        ),
        (["--from", "2026-11-01T00:00:00Z"], "the following arguments are required: --to"),
        (
            ["--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--examples", "-1"],
            "argument --examples: '-1' is negative",
        ),
    ],
)
def test_bad_backtest_arguments_are_refused_naming_the_option(
    times: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "compliance.db"

    with pytest.raises(SystemExit) as exited:
        main(backtest(db, *times))

    assert exited.value.code == 2
    assert says in capsys.readouterr().err
    assert not db.exists()


def test_a_missing_database_is_named_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "compliance.db"

    code = main(backtest(db, "--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z"))

    assert code == 1
    assert f"error: no compliance database at {db}" in capsys.readouterr().err
    assert not db.exists()


def test_the_help_names_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["rules", "backtest", "--help"])

    out = capsys.readouterr().out
    assert "3  no stored events in the period: nothing to compare" in out
    assert "--warm-up-days N" in out
