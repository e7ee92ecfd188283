"""The rule catalogue on both databases: publication all or nothing, immutable versions,
activation and reactivation, shadow mode (findings recorded and counted, no case), and the
bad input that must change nothing: an invalid candidate, an unknown rule or version."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from warden.compliance.judging.judge import Judge
from warden.compliance.rules import catalogue
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rule_files import RuleFile
from warden.compliance.storage import schema, shadow_store
from warden.errors import FailedPrecondition, InvalidArgument, NotFound
from warden.platform.cloudevents import CloudEvent

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
GIFT = (Path(__file__).parents[3] / "rules" / "4.1.1" / "gift-above-threshold.yaml").read_text()


def gift(version: int, threshold_minor: int) -> RuleFile:
    """The gift rule of rules/ as version `version` with another threshold."""
    text = GIFT.replace("version: 1\n", f"version: {version}\n").replace(
        "threshold_minor: 20000", f"threshold_minor: {threshold_minor}"
    )
    assert f"threshold_minor: {threshold_minor}" in text
    return RuleFile(f"gift-v{version}.yaml", text)


def expense(n: int, amount_minor: int) -> CloudEvent:
    return builders.expense_recorded(
        f"X-{n}",
        at=datetime(2026, 11, 5, 20, n, tzinfo=UTC),
        source="/warden/sales",
        event_id=f"x-{n}",
        amount_minor=amount_minor,
    )


def counts(engine: Engine) -> dict[str, int]:
    tables = {
        "versions": catalogue.rule_versions,
        "modes": catalogue.rule_modes,
        "changes": catalogue.rule_activations,
        "cases": schema.cases,
        "findings": schema.findings,
        "shadow": schema.shadow_findings,
    }
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for name, t in tables.items()
        }


@pytest.fixture
def engine(fresh_db: FreshDb) -> Engine:
    engine = fresh_db()
    with engine.begin() as conn:
        catalogue.publish(conn, [gift(1, 20_000)], "ops", AT)
        catalogue.publish(conn, [gift(2, 10_000)], "ops", AT)
        catalogue.activate(conn, "gift-above-threshold", 1, "ops", AT)
    return engine


def versions_judging(engine: Engine) -> tuple[int | None, int | None]:
    with engine.connect() as conn:
        row = catalogue._mode_row(conn, "gift-above-threshold")
        return row.active_version, row.shadow_version


def test_publication_stores_new_versions_and_keeps_the_same_text_as_it_is(engine: Engine) -> None:
    with engine.begin() as conn:
        again = catalogue.publish(conn, [gift(1, 20_000)], "ops", AT)
        newer = catalogue.publish(conn, [gift(3, 5_000)], "ops", AT)
    assert again.added == () and again.unchanged == ("gift-above-threshold@v1",)
    assert newer.added == ("gift-above-threshold@v3",) and newer.unchanged == ()
    with engine.connect() as conn:
        (status,) = catalogue.statuses(conn)
    assert status.versions == (1, 2, 3) and status.active_version == 1


def test_an_invalid_candidate_is_refused_with_file_line_and_reason_and_nothing_is_stored(
    engine: Engine,
) -> None:
    before = counts(engine)
    other = RuleFile("other.yaml", gift(3, 5_000).text.replace("id: gift-above", "id: a-gift"))
    broken = RuleFile("broken.yaml", gift(4, 1_000).text.replace("op: gt", "op: bigger"))
    with pytest.raises(RuleBookInvalid) as refused, engine.begin() as conn:
        catalogue.publish(conn, [other, broken], "ops", AT)
    (error,) = refused.value.errors
    assert error.path == "broken.yaml" and error.line == 16
    assert "when[0].op 'bigger' is not one of" in error.reason
    assert counts(engine) == before
    with pytest.raises(NotFound), engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 4, "ops", AT)
    with pytest.raises(NotFound), engine.begin() as conn:
        catalogue.activate(conn, "a-gift-above-threshold", 3, "ops", AT)
    assert versions_judging(engine) == (1, None)


def test_a_changed_text_under_a_published_version_is_refused(engine: Engine) -> None:
    before = counts(engine)
    with (
        pytest.raises(FailedPrecondition, match="version 2 is already published"),
        engine.begin() as conn,
    ):
        catalogue.publish(conn, [gift(2, 12_345)], "ops", AT)
    assert counts(engine) == before


def test_the_same_rule_twice_in_one_candidate_is_refused(engine: Engine) -> None:
    with (
        pytest.raises(RuleBookInvalid, match="also defined in gift-v3.yaml"),
        engine.begin() as conn,
    ):
        catalogue.publish(conn, [gift(3, 5_000), gift(4, 1_000)], "ops", AT)


def test_activating_an_unknown_rule_or_version_is_refused_and_changes_nothing(
    engine: Engine,
) -> None:
    before = counts(engine)
    with (
        pytest.raises(NotFound, match="rule version 'gift-above-threshold@v9' not found"),
        engine.begin() as conn,
    ):
        catalogue.activate(conn, "gift-above-threshold", 9, "ops", AT)
    with pytest.raises(NotFound, match="rule 'no-such-rule' not found"), engine.begin() as conn:
        catalogue.activate(conn, "no-such-rule", 1, "ops", AT)
    with (
        pytest.raises(InvalidArgument, match="version: must be 1 or more"),
        engine.begin() as conn,
    ):
        catalogue.activate(conn, "gift-above-threshold", 0, "ops", AT)
    with pytest.raises(NotFound), engine.begin() as conn:
        catalogue.deactivate(conn, "no-such-rule", "ops", AT)
    assert counts(engine) == before
    assert versions_judging(engine) == (1, None)


def test_a_version_is_activated_and_the_previous_one_reactivated_with_each_change_logged(
    engine: Engine,
) -> None:
    judge = Judge.from_catalogue(engine, Path("/nonexistent"))
    assert judge.handle(expense(1, 15_000), "sales.events", 0, 1).cases == ()
    with engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 2, "ops", AT, reason="lower threshold")
    (case,) = judge.handle(expense(2, 15_000), "sales.events", 0, 2).cases
    assert case.findings[0].rule_version == 2
    with engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 1, "ops", AT, reason="rollback")
    assert judge.handle(expense(3, 15_000), "sales.events", 0, 3).cases == ()
    (case,) = judge.handle(expense(4, 25_000), "sales.events", 0, 4).cases
    assert case.findings[0].rule_version == 1
    with engine.connect() as conn:
        changes = catalogue.history(conn)
    assert [(c.version, c.mode, c.reason) for c in changes] == [
        (1, "active", "rollback"),
        (2, "active", "lower threshold"),
        (1, "active", ""),
    ]
    assert judge.generation == changes[0].seq


def test_a_shadow_version_records_and_counts_findings_and_opens_no_case(engine: Engine) -> None:
    with engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 2, "ops", AT, shadow=True)
    judge = Judge.from_catalogue(engine, Path("/nonexistent"))
    assert judge.handle(expense(1, 15_000), "sales.events", 0, 1).cases == ()  # v2 only
    (case,) = judge.handle(expense(2, 25_000), "sales.events", 0, 2).cases  # both
    assert case.findings[0].rule_version == 1
    with engine.connect() as conn:
        shadowed = shadow_store.list_shadow_findings(conn)
        tally = shadow_store.finding_counts(conn)
    assert [(f.rule_version, f.event_ids[0]) for f in shadowed] == [(2, "x-1"), (2, "x-2")]
    assert "15" in shadowed[0].explanation and "100.00 EUR" in shadowed[0].explanation
    assert tally == {
        ("gift-above-threshold", 1, "active"): 1,
        ("gift-above-threshold", 2, "shadow"): 2,
    }
    assert counts(engine)["cases"] == 1
    # Promoting the shadow version makes it the active one and ends the shadow.
    with engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 2, "ops", AT)
    assert versions_judging(engine) == (2, None)
    (case,) = judge.handle(expense(3, 15_000), "sales.events", 0, 3).cases
    assert case.findings[0].rule_version == 2


def test_the_active_version_cannot_also_run_in_shadow(engine: Engine) -> None:
    with (
        pytest.raises(FailedPrecondition, match="is the active version"),
        engine.begin() as conn,
    ):
        catalogue.activate(conn, "gift-above-threshold", 1, "ops", AT, shadow=True)


def test_a_deactivated_rule_judges_nothing_and_is_reactivated_by_its_version(
    engine: Engine,
) -> None:
    judge = Judge.from_catalogue(engine, Path("/nonexistent"))
    with engine.begin() as conn:
        catalogue.deactivate(conn, "gift-above-threshold", "ops", AT, reason="retired")
    assert judge.handle(expense(1, 99_000), "sales.events", 0, 1).cases == ()
    with (
        pytest.raises(FailedPrecondition, match="has no active version"),
        engine.begin() as conn,
    ):
        catalogue.deactivate(conn, "gift-above-threshold", "ops", AT)
    with engine.begin() as conn:
        catalogue.activate(conn, "gift-above-threshold", 1, "ops", AT)
    assert len(judge.handle(expense(2, 99_000), "sales.events", 0, 2).cases) == 1


def test_start_up_activates_new_rules_and_only_publishes_newer_versions(
    fresh_db: FreshDb, tmp_path: Path
) -> None:
    engine = fresh_db()
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "gift.yaml").write_text(gift(1, 20_000).text)
    Judge.from_catalogue(engine, rules)
    assert versions_judging(engine) == (1, None)
    (rules / "gift.yaml").write_text(gift(2, 10_000).text)
    judge = Judge.from_catalogue(engine, rules)  # a restart with a newer file
    assert versions_judging(engine) == (1, None)
    assert [r.key for r in judge.rules.rules] == ["gift-above-threshold@v1"]
    with engine.connect() as conn:
        (status,) = catalogue.statuses(conn)
    assert status.versions == (1, 2)
