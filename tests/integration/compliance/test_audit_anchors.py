"""Audit anchors on both databases and the real embedded broker: the chain's end is anchored
once each time it moves, published through the outbox to warden.audit-anchors, and `warden
audit verify --anchors` finds what the hashes alone cannot: a chain cut short, and a chain
rewritten with its hashes recomputed. The compliance service anchors by itself."""

from __future__ import annotations

import re
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, delete, select, update

from tests.integration.compliance.test_deadlines import service_settings
from tests.keys import SIGNER, public_key_file
from tests.system import eventually
from warden.bootstrap import build_compliance
from warden.cli import main
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review import audit
from warden.compliance.review.anchoring import AuditAnchoring, anchor_end, anchor_event
from warden.compliance.storage import audit_store, schema
from warden.platform import jsontext
from warden.platform.db import make_engine
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import OutboxRelay
from warden.platform.signing import Signer
from warden.platform.topics import AUDIT_ANCHORS
from warden.sales.storage import tables as sales_tables

AT = datetime(2026, 11, 27, 9, tzinfo=UTC)


def append(engine: Engine, first: int, count: int) -> None:
    with engine.begin() as conn:
        for n in range(first, first + count):
            audit_store.append_audit(
                conn, f"C-{n}", "olivia", "created", AT + timedelta(minutes=n), {"n": n}
            )


def outbox_topics(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(schema.outbox.table.c.topic)).scalars())


def test_the_chains_end_is_anchored_once_each_time_it_moves(database_url: str) -> None:
    engine = make_engine(database_url, schema.metadata)
    try:
        anchoring = AuditAnchoring(engine, "warden", 60.0, clock=lambda: AT)
        assert anchoring.anchor_once() is None  # an empty chain has no end to anchor
        append(engine, 1, 2)
        first = anchoring.anchor_once()
        assert first is not None and (first.seq, first.chain) == (2, "warden")
        with engine.connect() as conn:
            assert first.hash == audit_store.audit_entries(conn)[-1].hash
        assert anchoring.anchor_once() is None  # not moved: nothing new to publish
        append(engine, 3, 1)
        with engine.begin() as conn:  # another replica, one round later
            second = anchor_end(conn, "warden", AT + timedelta(minutes=1))
        assert second is not None and second.seq == 3
        assert anchoring.anchor_once() is None
        assert outbox_topics(engine) == [AUDIT_ANCHORS, AUDIT_ANCHORS]
        assert anchoring.anchored == 1
    finally:
        engine.dispose()


def verify(url: str, broker: str, chain: str, *anchors: str) -> int:
    """`warden audit verify`; with --anchors, checked against SIGNER's public key."""
    key = public_key_file(Path(tempfile.gettempdir()))
    checked = ["--timeout", "2", "--public-key", str(key)] if anchors else []
    return main(
        ["audit", "verify", "--db-url", url, "--bootstrap", broker, "--chain", chain, *anchors]
        + checked
    )


def test_verify_with_anchors_finds_a_chain_cut_short_or_rewritten(
    broker: str,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    chain = f"test-{uuid.uuid4().hex[:8]}"  # a configured cluster may hold other runs' anchors
    engine = make_engine(database_url, schema.metadata)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, schema.outbox.table, publisher, batch=1)
    anchoring = AuditAnchoring(engine, chain, 60.0, signer=SIGNER)
    try:
        assert verify(database_url, broker, chain, "--anchors") == 0
        assert f"no anchor of chain {chain} on {AUDIT_ANCHORS} yet" in capsys.readouterr().out

        append(engine, 1, 3)
        anchoring.anchor_once()
        append(engine, 4, 2)
        anchoring.anchor_once()
        assert sum(iter(relay.publish_pending, 0)) == 2  # one row a round
        # Another deployment's anchor, and a record that is no anchor, on the same topic.
        publisher.send(AUDIT_ANCHORS, "other", b"\x00 not an anchor")
        assert verify(database_url, broker, chain, "--anchors") == 0
        out = capsys.readouterr()
        assert "audit chain intact: 5 entries verified" in out.out
        assert "2 anchor(s) match the chain; the latest, entry 5" in out.out
        assert "unreadable record left aside: partition" in out.err

        # Cut short: the last two entries deleted. The hashes still hold; the anchor does not.
        with engine.begin() as conn:
            conn.execute(delete(schema.audit_log).where(schema.audit_log.c.seq > 3))
        assert verify(database_url, broker, chain) == 0
        assert "audit chain intact: 3 entries verified" in capsys.readouterr().out
        assert verify(database_url, broker, chain, "--anchors") == 1
        err = capsys.readouterr().err
        assert "BROKEN: audit entry 5: anchored at" in err
        assert "but the chain ends at entry 3: entries were removed from its end" in err
        # The service notices too, at its next round, and anchors the cut chain no more.
        append(engine, 4, 1)
        assert anchoring.anchor_once() is None
        assert (
            "the audit chain was changed in the database: entry 5, anchored, is no longer in"
            in (caplog.text)
        )
        assert outbox_topics(engine) == [AUDIT_ANCHORS, AUDIT_ANCHORS]
        with engine.begin() as conn:
            conn.execute(delete(schema.audit_log).where(schema.audit_log.c.seq > 3))

        # Rewritten: entry 2's details changed and every hash from it on recomputed.
        with engine.begin() as conn:
            entries = audit_store.audit_entries(conn)
            prev = entries[0].hash
            for entry in entries[1:]:
                details = {"n": "forged"} if entry.seq == 2 else dict(entry.details)
                digest = audit.digest(
                    entry.seq, entry.case_id, entry.actor, entry.action, entry.at, details, prev
                )
                conn.execute(
                    update(schema.audit_log)
                    .where(schema.audit_log.c.seq == entry.seq)
                    .values(details=jsontext.dumps(details), prev_hash=prev, hash=digest)
                )
                prev = digest
        assert verify(database_url, broker, chain) == 0  # the hashes alone cannot tell
        capsys.readouterr()
        assert verify(database_url, broker, chain, "--anchors") == 1
        err = capsys.readouterr().err
        assert "BROKEN: audit entry 3: its hash is not the one anchored at" in err
        assert "the chain was rewritten" in err
        with engine.begin() as conn:  # the anchor row of entry 5 removed as well
            conn.execute(delete(schema.audit_anchors).where(schema.audit_anchors.c.seq == 5))
        caplog.clear()
        assert anchoring.anchor_once() is None
        assert "entry 3 no longer has the hash it was anchored with" in caplog.text
    finally:
        publisher.close()
        engine.dispose()


def test_verify_with_anchors_needs_a_broker_and_a_positive_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WARDEN_KAFKA_BOOTSTRAP", raising=False)
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    assert main(["audit", "verify", "--db-url", url, "--anchors"]) == 1
    assert (
        "--anchors reads Kafka: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "compliance.db").exists()  # refused before anything was opened
    with pytest.raises(SystemExit) as stopped:
        main(["audit", "verify", "--anchors", "--timeout", "0"])
    assert stopped.value.code == 2
    assert "argument --timeout: '0' is not above zero" in capsys.readouterr().err


def test_the_compliance_service_anchors_its_chain_by_itself(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    url, settings = service_settings(broker, database_url, tmp_path, audit_anchor_interval_s=0.2)
    runtime, review, _ = build_compliance(settings, port=0)
    assert review.signer is not None  # the embedded default: a key made under data_dir
    assert (settings.data_dir / "signing.key").stat().st_mode & 0o777 == 0o600
    runtime.start()
    try:
        review.raise_case(
            "olivia",
            "bob",
            "4.1.1",
            "major",
            "a gift seen at a fair",
            Sanction(SanctionKind.WARNING),
            "reported by a colleague",
        )
        engine = make_engine(url, schema.metadata)
        try:
            eventually(
                lambda: AUDIT_ANCHORS in outbox_topics(engine), what="the chain's end anchored"
            )
        finally:
            engine.dispose()
    finally:
        runtime.stop(grace_s=0.5)
    assert (
        main(
            ["audit", "verify", "--db-url", url, "--bootstrap", broker, "--anchors"]
            + ["--chain", settings.consumer_group, "--timeout", "2"]
            + ["--public-key", str(public_key_file(tmp_path, review.signer))]
        )
        == 0
    )


def test_verify_opens_no_database_that_is_not_there(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "mistyped.db"
    assert main(["audit", "verify", "--db-url", f"sqlite:///{missing}"]) == 1
    assert f"error: no compliance database at {missing}" in capsys.readouterr().err
    assert not missing.exists()
    # An existing database without an audit trail (the sales service's) is not a compliance one.
    make_engine(database_url, sales_tables.metadata).dispose()
    assert main(["audit", "verify", "--db-url", database_url]) == 1
    assert "has no audit_log table: not a compliance database" in capsys.readouterr().err


def test_verify_with_anchors_names_an_unreachable_broker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    make_engine(url, schema.metadata).dispose()
    argv = ["audit", "verify", "--db-url", url, "--anchors", "--bootstrap", "127.0.0.1:1"]
    argv += ["--public-key", str(public_key_file(tmp_path))]
    assert main([*argv, "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "error: no Kafka broker answered at 127.0.0.1:1 within 1 s" in err
    assert "Traceback" not in err


def test_a_forged_anchor_is_reported_by_offset_and_changes_no_verdict(
    broker: str, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chain = f"test-{uuid.uuid4().hex[:8]}"
    engine = make_engine(database_url, schema.metadata)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, schema.outbox.table, publisher, batch=1)
    try:
        append(engine, 1, 3)
        AuditAnchoring(engine, chain, 60.0, signer=SIGNER).anchor_once()
        assert sum(iter(relay.publish_pending, 0)) == 1
        # Someone who can write to the topic claims entry 2 had another hash: unsigned, and
        # signed with a key that is not the deployment's.
        forged = audit.Anchor(2, "f" * 64, AT, chain)
        other_key = Signer(Ed25519PrivateKey.generate())
        publisher.send(AUDIT_ANCHORS, chain, anchor_event(forged).to_bytes())
        publisher.send(AUDIT_ANCHORS, chain, other_key.sign(anchor_event(forged)).to_bytes())
        assert verify(database_url, broker, chain, "--anchors") == 0
        out, err = capsys.readouterr()
        assert "1 anchor(s) match the chain; the latest, entry 3" in out
        # Keyed by chain, like the genuine anchor: its partition, the two offsets after it.
        offsets = re.findall(r"FORGED record left aside: partition \d+ offset (\d+): ", err)
        assert offsets == ["1", "2"]
        assert "entry 2: no wardensignature attribute: unsigned" in err
        assert f"entry 2: wardensignature does not verify with key {SIGNER.key_id}" in err
        assert "BROKEN" not in err
    finally:
        publisher.close()
        engine.dispose()


def test_an_anchor_the_database_recorded_but_kafka_lacks_fails_verify(
    broker: str, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chain = f"test-{uuid.uuid4().hex[:8]}"
    engine = make_engine(database_url, schema.metadata)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, schema.outbox.table, publisher, batch=1)
    anchoring = AuditAnchoring(engine, chain, 60.0, signer=SIGNER)
    try:
        append(engine, 1, 2)
        anchoring.anchor_once()
        assert sum(iter(relay.publish_pending, 0)) == 1
        append(engine, 3, 1)
        anchoring.anchor_once()  # entry 3: recorded, not relayed yet: not missing
        assert verify(database_url, broker, chain, "--anchors") == 0
        capsys.readouterr()
        # The relay's row marked sent, but the anchor never reached the topic (or was
        # deleted from it): the database knows it was anchored.
        with engine.begin() as conn:
            conn.execute(update(schema.outbox.table).values(published_at=AT))
        assert verify(database_url, broker, chain, "--anchors") == 1
        err = capsys.readouterr().err
        assert (
            f"BROKEN: audit entry 3: anchored in the database, but no signed anchor of chain "
            f"{chain} on {AUDIT_ANCHORS} has it" in err
        )
        assert "audit entry 2" not in err
    finally:
        publisher.close()
        engine.dispose()
