"""Schema migrations on real SQLite and PostgreSQL: the revisions build what the code defines,
rows written at the baseline survive every upgrade, and a database the code does not match is
refused without a write."""

from __future__ import annotations

import json
import shutil
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, inspect, select, text

from warden import cli, migrations
from warden.compliance.review import audit
from warden.compliance.storage import audit_store, case_store, decision_store, schema
from warden.platform.db import index_names, make_engine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "baseline"
SERVICES = migrations.SERVICES


def _baseline_revision(service: str) -> Any:
    script = ScriptDirectory.from_config(migrations.config(service))
    return script.get_revision(f"{service}_0001")


def baseline_tables(service: str) -> MetaData:
    """The service's tables as Warden made them before it had migrations (the baseline)."""
    frozen: MetaData = _baseline_revision(service).module.baseline
    return frozen


def _fixture(service: str) -> dict[str, list[dict[str, Any]]]:
    def revive(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"datetime"}:
            return datetime.fromisoformat(value["datetime"])
        return value

    tables = json.loads((FIXTURES / f"{service}.json").read_text())["tables"]
    return {
        name: [{k: revive(v) for k, v in row.items()} for row in rows]
        for name, rows in tables.items()
    }


def _write_baseline_rows(engine: Engine, service: str) -> dict[str, list[dict[str, Any]]]:
    """The rows the services wrote at the baseline (tests/fixtures/baseline/make.py), inserted
    into the baseline's own tables."""
    frozen: MetaData = _baseline_revision(service).module.baseline
    rows = _fixture(service)
    with engine.begin() as conn:
        for table in frozen.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
    return rows


def _read(engine: Engine, service: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the service's tables that the database has (a revision before the newest
    lacks the tables later ones add)."""
    meta = migrations.metadata(service)
    seen = inspect(engine)
    present = set(seen.get_table_names())
    with engine.connect() as conn:
        return {
            t.name: [dict(r._mapping) for r in conn.execute(select(*_columns(seen, t)))]
            for t in meta.sorted_tables
            if t.name in present
        }


def _columns(seen: Any, table: Any) -> list[Any]:
    """The table's columns the database has (a later revision may add some)."""
    have = {c["name"] for c in seen.get_columns(table.name)}
    return [c for c in table.columns if c.name in have]


def _differences(engine: Engine, service: str) -> list[Any]:
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite's expression indexes cannot be reflected: Alembic skips them with a warning.
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "version_table": migrations.version_table(service),
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and name.startswith("alembic_version_"))
                ),
            },
        )
        return compare_metadata(context, migrations.metadata(service))


@pytest.fixture
def engine(database_url: str) -> Any:
    made = make_engine(database_url)
    yield made
    made.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_the_revisions_build_exactly_the_schema_the_code_defines(
    database_url: str, engine: Engine, service: str
) -> None:
    done = migrations.upgrade(database_url, service)
    assert (done.current, done.state) == (migrations.head(service), "current")
    assert _differences(engine, service) == []
    for table in migrations.metadata(service).sorted_tables:  # expression indexes too
        assert {i.name for i in table.indexes} <= index_names(engine, table.name), table.name


@pytest.mark.parametrize("service", SERVICES)
def test_an_empty_database_is_created_at_the_newest_revision_when_a_service_opens_it(
    database_url: str, engine: Engine, service: str
) -> None:
    migrations.ensure_current(engine, service)
    assert migrations.status(engine, service).state == "current"
    assert _differences(engine, service) == []
    migrations.ensure_current(engine, service)  # current: opens again without a change


@pytest.mark.parametrize("service", SERVICES)
def test_rows_written_at_the_baseline_are_all_there_after_the_upgrade(
    database_url: str, engine: Engine, service: str
) -> None:
    migrations.upgrade(database_url, service, to=f"{service}_0001")
    written = _write_baseline_rows(engine, service)
    assert sum(map(len, written.values())) > 0

    migrations.upgrade(database_url, service)

    after = _read(engine, service)
    frozen: MetaData = _baseline_revision(service).module.baseline
    for table, rows in written.items():
        keys = [c.name for c in frozen.tables[table].primary_key]  # the rows' key then
        found = {tuple(r[k] for k in keys): r for r in after[table]}
        assert len(found) == len(rows), table
        for row in rows:
            kept = found[tuple(row[k] for k in keys)]
            assert {k: kept[k] for k in row if k in kept} == row, (table, row)


def test_the_audit_chain_written_at_the_baseline_verifies_after_the_upgrade(
    database_url: str, engine: Engine
) -> None:
    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    assert {e["action"] for e in written["audit_log"]} >= {"created", "decided", "appealed"}
    migrations.upgrade(database_url, "compliance")

    with engine.connect() as conn:
        entries = audit_store.audit_entries(conn)
    checked, broken = audit.verify(entries)
    assert broken is None
    assert checked == len(written["audit_log"])


def test_events_are_rekeyed_by_source_and_cases_keep_their_time_as_when_it_happened(
    database_url: str, engine: Engine
) -> None:
    """compliance_0002: held events take their stored event's source; a case opened before it
    happened at the time it was opened (`opened_at` held the event's time)."""
    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    assert written["held_judgements"]
    migrations.upgrade(database_url, "compliance", to="compliance_0002")

    after = _read(engine, "compliance")
    sources = {e["event_id"]: e["source"] for e in written["events"]}
    assert {(h["event_id"], h["source"]) for h in after["held_judgements"]} == {
        (h["event_id"], sources[h["event_id"]]) for h in written["held_judgements"]
    }
    assert {c["case_id"]: c["occurred_at"] for c in after["cases"]} == {
        c["case_id"]: c["opened_at"] for c in written["cases"]
    }
    first = written["events"][0]
    with engine.begin() as conn:  # the same id from another source is an event of its own
        conn.execute(schema.events.insert(), [first | {"source": "/erp/another-system"}])
    assert len(_read(engine, "compliance")["events"]) == len(written["events"]) + 1


def test_a_database_at_a_revision_the_code_does_not_know_is_refused_and_left_as_it_was(
    database_url: str, engine: Engine
) -> None:
    migrations.ensure_current(engine, "sales")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version_sales SET version_num = 'sales_9999'"))
    before = sorted(inspect(engine).get_table_names())

    with pytest.raises(migrations.SchemaAhead) as refused:
        migrations.ensure_current(engine, "sales")
    assert "revision sales_9999" in str(refused.value)
    assert f"its newest is {migrations.head('sales')}" in str(refused.value)
    with pytest.raises(migrations.SchemaAhead):
        migrations.upgrade(database_url, "sales")

    assert sorted(inspect(engine).get_table_names()) == before
    assert migrations.status(engine, "sales").current == "sales_9999"


def test_warden_serve_refuses_a_database_newer_than_its_code_naming_both_revisions(
    database_url: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    migrations.ensure_current(engine, "sales")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version_sales SET version_num = 'sales_9999'"))
    monkeypatch.setenv("WARDEN_SALES_DB_URL", database_url)
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")  # never reached

    assert cli.main(["serve", "sales"]) == 1

    err = capsys.readouterr().err
    assert "sales_9999" in err and migrations.head("sales") in err
    assert migrations.status(engine, "sales").current == "sales_9999"


def test_a_database_at_an_older_revision_is_refused_naming_both_and_the_command(
    database_url: str, engine: Engine
) -> None:
    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    with pytest.raises(migrations.SchemaBehind) as refused:
        migrations.ensure_current(engine, "compliance")
    said = str(refused.value)
    assert "at revision compliance_0001" in said
    assert f"needs {migrations.head('compliance')}" in said
    assert "`warden db upgrade compliance`" in said
    assert migrations.status(engine, "compliance").current == "compliance_0001"


def test_a_database_made_before_migrations_is_refused_until_upgraded_and_keeps_its_rows(
    database_url: str, engine: Engine
) -> None:
    frozen: MetaData = _baseline_revision("aftersales").module.baseline
    frozen.create_all(engine)  # as Warden made it before it had migrations: no revision
    written = _write_baseline_rows(engine, "aftersales")

    with pytest.raises(migrations.SchemaBehind) as refused:
        migrations.ensure_current(engine, "aftersales")
    assert "made before Warden had migrations" in str(refused.value)
    assert "`warden db upgrade aftersales`" in str(refused.value)

    said: list[str] = []
    done = migrations.upgrade(database_url, "aftersales", say=said.append)

    assert done.state == "current"
    assert said[0] == "aftersales: tables without a revision: bringing them to the baseline"
    migrations.ensure_current(engine, "aftersales")
    after = _read(engine, "aftersales")
    assert {t: len(r) for t, r in after.items() if t in written} == {
        t: len(r) for t, r in written.items()
    }


FAILING_REVISION = '''
"""A revision that fails half-way (tests only)."""
import sqlalchemy as sa
from alembic import op

revision = "{service}_9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_way", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_way (id) VALUES (1)")
    op.execute("INSERT INTO half_way (id) VALUES (1)")  # the key again: fails here


def downgrade() -> None:
    raise NotImplementedError
'''


def test_a_migration_that_fails_half_way_leaves_the_database_at_its_previous_revision(
    database_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both backends: the upgrade runs in one transaction, DDL included (on SQLite the driver's
    own transaction handling is off while migrating, so its DDL is transactional too)."""
    service = "sales"
    head = migrations.head(service)
    migrations.upgrade(database_url, service)
    copy = tmp_path / "versions"
    shutil.copytree(migrations.VERSIONS, copy)
    (copy / service / f"{service}_9000.py").write_text(
        FAILING_REVISION.format(service=service, head=head)
    )
    monkeypatch.setattr(migrations, "VERSIONS", copy)
    assert migrations.head(service) == f"{service}_9000"

    with pytest.raises(Exception, match="half_way"):
        migrations.upgrade(database_url, service)

    assert "half_way" not in inspect(engine).get_table_names()
    monkeypatch.undo()
    assert migrations.status(engine, service).current == head


def test_warden_db_status_and_upgrade_show_each_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    for service in SERVICES:
        monkeypatch.delenv(f"WARDEN_{service.upper()}_DB_URL", raising=False)

    assert cli.main(["db", "status"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in shown[1:]] == [[s, "empty"] for s in SERVICES]
    assert not list(tmp_path.glob("*.db"))  # status creates nothing

    assert cli.main(["db", "upgrade", "compliance"]) == 0
    said = capsys.readouterr().out
    assert f"compliance: at {migrations.head('compliance')} (current)" in said

    assert cli.main(["db", "status", "compliance", "sales"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert [r[:3] for r in rows] == [
        ["compliance", "current", migrations.head("compliance")],
        ["sales", "empty", "-"],
    ]


def test_warden_db_names_an_unknown_service(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["db", "upgrade", "billing"])
    assert "no such service: 'billing'" in capsys.readouterr().err


def test_compliance_0003_adds_an_empty_sessions_table_beside_the_baseline_rows(
    database_url: str, engine: Engine
) -> None:
    from warden.console.sessions import Sessions
    from warden.platform.auth import Identity

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0002")
    assert "console_sessions" not in inspect(engine).get_table_names()

    done = migrations.upgrade(database_url, "compliance", to="compliance_0003")

    assert done.current == "compliance_0003"
    assert {"ix_console_sessions_expires_at", "ix_console_sessions_token_hash"} <= index_names(
        engine, "console_sessions"
    )
    after = _read(engine, "compliance")
    assert after["console_sessions"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    sessions = Sessions(engine)
    opened = sessions.open(Identity("olivia", frozenset({"officer"}), 4_000_000_000), "a.b.c")
    assert sessions.find(opened).subject == "olivia"


def test_compliance_0004_names_each_evidence_event_by_its_source_where_one_event_has_the_id(
    database_url: str, engine: Engine
) -> None:
    """compliance_0004: a finding's and a deadline's events take the source of the one stored
    event with their id; an id two sources used stays without a source (looked up by id), and
    the inbox gains its index on received_at. No finding, case or decision is lost."""
    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0003")
    sources = {e["event_id"]: e["source"] for e in written["events"]}
    first = written["findings"][0]
    twin = json.loads(first["event_ids"])[0]  # another source uses this id too, from now on
    with engine.begin() as conn:
        event = next(e for e in written["events"] if e["event_id"] == twin)
        conn.execute(schema.events.insert(), [event | {"source": "/erp/another"}])

    migrations.upgrade(database_url, "compliance", to="compliance_0004")

    after = _read(engine, "compliance")
    for finding in after["findings"]:
        ids = json.loads(finding["event_ids"])
        expected = ["" if i == twin else sources.get(i, "") for i in ids]
        assert json.loads(finding["event_sources"]) == expected, finding["finding_id"]
    assert any(s for f in after["findings"] for s in json.loads(f["event_sources"]))
    for row in after["rule_deadlines"]:
        assert row["started_by_source"] == sources.get(row["started_by"])
        assert row["settled_by_source"] == sources.get(row["settled_by"] or "")
    assert "ix_inbox_received_at" in index_names(engine, "inbox")
    for table in ("cases", "decisions", "audit_log", "findings"):
        assert len(after[table]) == len(written[table])


def test_compliance_0005_adds_empty_account_and_failed_login_tables_beside_the_sessions(
    database_url: str, engine: Engine
) -> None:
    from warden.console.accounts import Accounts
    from warden.console.sessions import Sessions
    from warden.console.throttle import LoginThrottle
    from warden.platform.auth import Identity

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0004")
    session = Sessions(engine).open(Identity("olivia", frozenset({"officer"}), 4_000_000_000))
    assert "console_accounts" not in inspect(engine).get_table_names()

    done = migrations.upgrade(database_url, "compliance", to="compliance_0005")

    assert done.current == "compliance_0005"
    assert {"ix_console_login_failures_key", "ix_console_login_failures_at"} <= index_names(
        engine, "console_login_failures"
    )
    after = _read(engine, "compliance")
    assert after["console_accounts"] == [] and after["console_login_failures"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    assert Sessions(engine).find(session).subject == "olivia"  # a session survives
    accounts = Accounts(engine)
    accounts.add("oscar", "a long enough password", ["officer"])
    assert accounts.verify("oscar", "a long enough password").username == "oscar"
    LoginThrottle(engine).failed("oscar", "10.0.0.1")


def test_compliance_0006_adds_an_empty_labels_table_and_decided_cases_can_be_labelled(
    database_url: str, engine: Engine
) -> None:
    from warden.compliance.review.labels import Labels
    from warden.compliance.storage.schema import cases

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0005")
    assert "case_labels" not in inspect(engine).get_table_names()

    done = migrations.upgrade(database_url, "compliance", to="compliance_0006")

    assert done.current == "compliance_0006"
    after = _read(engine, "compliance")
    assert after["case_labels"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    with engine.connect() as conn:
        decided = conn.execute(select(cases.c.case_id).where(cases.c.status == "decided")).first()
    assert decided is not None  # the baseline has one; it takes a label after the upgrade
    migrations.upgrade(database_url, "compliance")  # the code reads the newest schema
    Labels(engine).label(decided.case_id, "officer-after-upgrade", "true_violation")
    (figures,) = Labels(engine).precision().values()
    assert (figures.true_violations, figures.value) == (1, 1.0)


def test_compliance_0007_adds_an_empty_signing_markers_table_and_keeps_every_decision(
    database_url: str, engine: Engine
) -> None:
    from tests.keys import SIGNER
    from warden.compliance.review.cutover import SIGNED_TOPICS, start_signing

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0006")
    assert "signing_markers" not in inspect(engine).get_table_names()

    done = migrations.upgrade(database_url, "compliance", to="compliance_0007")

    assert done.current == "compliance_0007"
    after = _read(engine, "compliance")
    assert after["signing_markers"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    outbox = schema.outbox.table
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # the rows came with their seqs
            conn.execute(text("SELECT setval('outbox_seq_seq', (SELECT max(seq) FROM outbox))"))
        queued = conn.execute(  # an HR decision the old relay had not published yet
            select(outbox.c.event_id).where(outbox.c.topic == "hr.penalty-decisions").limit(1)
        ).scalar_one()
        conn.execute(outbox.update().where(outbox.c.event_id == queued).values(published_at=None))
    # The service's first start with a key marks each signed topic, once.
    ends = {0: 4, 1: 0, 2: 1}
    at = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    assert start_signing(engine, SIGNER, "warden", lambda topic: ends, at) == list(SIGNED_TOPICS)
    assert start_signing(engine, SIGNER, "warden", lambda topic: ends, at) == []
    with engine.connect() as conn:
        marked = conn.execute(select(schema.signing_markers)).all()
    assert sorted((m.topic, json.loads(m.legacy_before)) for m in marked) == sorted(
        (topic, {"0": 4, "1": 0, "2": 1}) for topic in SIGNED_TOPICS
    )
    assert {m.topic: m.legacy_anchor_seq for m in marked} == {
        "hr.penalty-decisions": 0,
        "warden.audit-anchors": written["audit_anchors"][0]["seq"],
    }
    assert _read(engine, "compliance")["decisions"] == after["decisions"]
    with engine.connect() as conn:
        payloads = {r.event_id: json.loads(r.payload) for r in conn.execute(select(outbox))}
    assert SIGNER.verifier().check(json.dumps(payloads[queued]).encode())["id"] == queued
    published = [p for i, p in payloads.items() if i != queued and "signing" not in i]
    assert published and all("wardensignature" not in p for p in published)


def test_compliance_0008_keeps_every_decision_signed_by_its_officers_themselves(
    database_url: str, engine: Engine
) -> None:
    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0007")

    done = migrations.upgrade(database_url, "compliance", to="compliance_0008")

    assert done.current == "compliance_0008"
    after = _read(engine, "compliance")
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    assert written["decisions"] and all(r["on_behalf_of"] is None for r in after["decisions"])
    assert all(r["on_behalf_of"] is None for r in after["cases"])
    migrations.upgrade(database_url, "compliance")  # the code reads the newest schema
    with engine.connect() as conn:
        decisions = decision_store.list_decisions(conn, None, 100)
        decided = [c for c in after["cases"] if c["decided_by"]]
        case = case_store.get_case(conn, decided[0]["case_id"])
    assert {d.decision_id for d in decisions} == {r["decision_id"] for r in written["decisions"]}
    assert all(d.signatures == tuple((b, "") for b in d.decided_by) for d in decisions)
    assert case is not None and case.signatures
    assert all(named == "" for _, named in case.signatures)


def test_compliance_0009_places_every_case_in_an_inbox_with_a_due_date_and_keeps_decisions(
    database_url: str, engine: Engine
) -> None:
    from datetime import timedelta

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0008")
    before = _read(engine, "compliance")

    done = migrations.upgrade(database_url, "compliance", to="compliance_0009")

    assert done.current == "compliance_0009"
    after = _read(engine, "compliance")
    assert after["queues"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    assert after["decisions"] == before["decisions"]
    sla = {"sales": timedelta(days=3), "after-sales": timedelta(days=2)}
    assert written["cases"]
    for row in after["cases"]:
        family = row["clause"].rsplit(".", 1)[0]
        inbox = {"4.1": "sales", "4.2": "after-sales"}.get(family, "general")
        assert row["inbox"] == inbox
        assert row["due_at"] == row["opened_at"] + sla.get(inbox, timedelta(days=5))
    unchanged = sorted(
        ({k: v for k, v in r.items() if k not in ("inbox", "due_at")} for r in after["cases"]),
        key=lambda r: r["case_id"],
    )
    assert unchanged == sorted(before["cases"], key=lambda r: r["case_id"])
    migrations.upgrade(database_url, "compliance")  # the code reads the newest schema
    with engine.connect() as conn:
        decided = [c for c in after["cases"] if c["decided_by"]]
        case = case_store.get_case(conn, decided[0]["case_id"])
    assert case is not None and case.inbox and case.due_at is not None


def test_compliance_0010_adds_an_empty_snoozes_table_and_keeps_every_finding_on_its_case(
    database_url: str, engine: Engine
) -> None:
    from warden.compliance.review.snoozes import Snoozes

    migrations.upgrade(database_url, "compliance", to="compliance_0001")
    written = _write_baseline_rows(engine, "compliance")
    migrations.upgrade(database_url, "compliance", to="compliance_0009")
    assert "snoozes" not in inspect(engine).get_table_names()

    done = migrations.upgrade(database_url, "compliance", to="compliance_0010")

    assert done.current == "compliance_0010"
    after = _read(engine, "compliance")
    assert after["snoozes"] == []
    assert {t: len(after[t]) for t in written} == {t: len(r) for t, r in written.items()}
    assert written["findings"] and all(r["snooze_id"] is None for r in after["findings"])
    assert [(r["finding_id"], r["case_id"]) for r in after["findings"]] == [
        (r["finding_id"], r["case_id"]) for r in written["findings"]
    ]
    decided = [c for c in after["cases"] if c["status"] == "decided"]
    with engine.connect() as conn:
        case = case_store.get_case(conn, decided[0]["case_id"])
    assert case is not None
    # A snooze is set from a decided case of before the upgrade, and audited on it.
    snooze = Snoozes(engine).snooze(
        case.case_id, "officer-after-upgrade", case.findings[0].rule_id, 30, "after the upgrade"
    )
    assert Snoozes(engine).listed() == [snooze]
    with engine.connect() as conn:
        entries = audit_store.audit_entries(conn)
    assert entries[-1].action == "snoozed" and audit.verify(entries) == (len(entries), None)
