"""The cut-over to signing on both databases and the real embedded broker: a deployment whose
older Warden published HR decisions and audit anchors unsigned turns signing on; `warden hr
follow` and `warden audit verify --anchors` then read those records as legacy, an unsigned
record written after signing began as forged by its offset, a forged marker as forged, and
nothing unsigned replaces a genuine decision."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

from tests.integration.compliance.test_audit_anchors import append
from tests.integration.review.test_review_workflow import seed
from tests.keys import SIGNER, public_key_file
from warden.cli import main
from warden.compliance.domain.cases import Choice, Outcome
from warden.compliance.review.anchoring import AuditAnchoring
from warden.compliance.review.cases import Review
from warden.compliance.review.cutover import SIGNED_TOPICS, marker_event, start_signing
from warden.compliance.review.hrfeed import HrLedger
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka import end_offsets, ensure_topics, read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import OutboxRelay
from warden.platform.signing import Signer
from warden.platform.topics import AUDIT_ANCHORS, HR_PENALTY_DECISIONS

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)


def decide(review: Review, employee: str, n: int, outcome: Outcome = Outcome.CONFIRMED) -> str:
    """A case decided by one officer; its decision id."""
    case_id = seed(review.engine, employee, n)
    _, decision = review.decide(case_id, "olivia", Choice(outcome, "seen"))
    assert decision is not None
    return decision.decision_id


def relay_all(relay: OutboxRelay) -> int:
    return sum(iter(relay.publish_pending, 0))


def hr_follow(broker: str, key: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple:
    argv = ["hr", "follow", "--bootstrap", broker, "--timeout", "2", "--public-key", str(key)]
    assert main([*argv, *flags]) == 0
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return lines, out, err


@pytest.fixture
def engine(database_url: str) -> Engine:
    made = make_engine(database_url, schema.metadata)
    yield made  # type: ignore[misc]
    made.dispose()


def test_records_published_before_signing_read_as_legacy_and_later_unsigned_ones_as_forged(
    broker: str,
    database_url: str,
    engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chain = f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(broker, SIGNED_TOPICS)  # as the compliance service does at start-up
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, schema.outbox.table, publisher)
    key = public_key_file(tmp_path)
    try:
        # An older Warden: it decides and anchors unsigned.
        old = Review(engine)
        legacy_fine = decide(old, "alice", 1)
        old_anchoring = AuditAnchoring(engine, chain, 60.0)
        assert old_anchoring.anchor_once() is not None
        assert relay_all(relay) == 2
        queued = decide(old, "carol", 3)  # queued unsigned, not yet relayed at the upgrade
        legacy_seq = old_anchoring.anchor_once()
        assert legacy_seq is not None

        # Signing turned on: the markers are made once, whatever the restarts.
        ends = lambda topic: end_offsets(broker, topic)  # noqa: E731
        assert start_signing(engine, SIGNER, chain, ends, AT) == list(SIGNED_TOPICS)
        assert start_signing(engine, SIGNER, chain, ends, AT) == []
        with engine.connect() as conn:
            marked = conn.execute(select(schema.signing_markers)).all()
        assert sorted(m.topic for m in marked) == sorted(SIGNED_TOPICS)
        assert {m.legacy_anchor_seq for m in marked if m.topic == AUDIT_ANCHORS} == {legacy_seq.seq}
        new = Review(engine, signer=SIGNER)
        # The case alice's legacy fine is about is decided again, signed; a new case too.
        signed_bob = decide(new, "bob", 2)
        anchoring = AuditAnchoring(engine, chain, 60.0, signer=SIGNER)
        append(engine, 100, 1)
        assert anchoring.anchor_once() is not None
        relay_all(relay)

        # Someone who can write to the topics: an unsigned decision after signing began, a
        # forged marker that would make everything legacy, a genuine-looking marker signed
        # with another key, and an unsigned dismissal of bob's signed decision.
        wide = {0: 10**6, 1: 10**6, 2: 10**6}
        forged_marker = marker_event(HR_PENALTY_DECISIONS, chain, SIGNER.key_id, wide, 99, AT)
        other_key = Signer(Ed25519PrivateKey.generate())
        forged_decision = CloudEvent(
            id=str(uuid.uuid4()),
            type="warden.compliance.penalty.decided",
            source="/warden/compliance",
            subject="bob",
            data={"decision_id": "x", "case_id": "any", "outcome": "dismissed"},
        )
        for value in (
            forged_decision.to_bytes(),
            forged_marker.to_bytes(),
            other_key.sign(forged_marker).to_bytes(),
        ):
            publisher.send(HR_PENALTY_DECISIONS, "bob", value)
        forged_anchor_marker = marker_event(AUDIT_ANCHORS, chain, SIGNER.key_id, wide, 99, AT)
        publisher.send(AUDIT_ANCHORS, chain, forged_anchor_marker.to_bytes())
    finally:
        publisher.close()

    records = read_topic(broker, HR_PENALTY_DECISIONS, 2.0, 10**9)
    forged_at = {
        (r.partition, r.offset)
        for r in records
        if r.key == b"bob" and b"wardensignature" not in r.value
    } | {(r.partition, r.offset) for r in records if other_key.key_id.encode() in r.value}
    assert len(forged_at) == 3

    # Without --legacy: the signed decisions only; the legacy one reported as such.
    lines, out, err = hr_follow(broker, key, capsys)
    ids = [json.loads(line)["decision_id"] for line in lines]
    assert sorted(ids) == sorted([queued, signed_bob])  # the queued one was signed at start
    assert re.findall(r"LEGACY record left aside: partition \d+ offset \d+: decision", err)
    assert "legacy, unsigned, before signing began" in err
    assert "2 decision(s), 0 redelivery(ies) ignored, 1 legacy record(s) left aside" in out
    assert "3 forged record(s) left aside" in out
    for partition, offset in forged_at:
        assert f"FORGED record left aside: partition {partition} offset {offset}: " in err
    assert "unsigned, after signing began (at offset" in err
    assert "a signing-started marker: no wardensignature attribute: unsigned" in err
    assert (
        f"a signing-started marker: wardensignature does not verify with key {SIGNER.key_id}" in err
    )

    # With --legacy: the legacy fine delivered too, marked, and bob's signed one stands.
    lines, out, err = hr_follow(broker, key, capsys, "--legacy")
    legacy_lines = [
        line for line in lines if line.endswith("(legacy, unsigned, before signing began)")
    ]
    assert [json.loads(line.split(" (legacy")[0])["decision_id"] for line in legacy_lines] == [
        legacy_fine
    ]
    assert "1 legacy decision(s) delivered" in out

    ledger = HrLedger()
    ledger.follow(records, SIGNER.verifier(), legacy=True)
    assert {d["decision_id"] for d in ledger.standing.values()} == {legacy_fine, queued, signed_bob}

    # The anchors: the legacy ones are legacy, not missing; the forged marker is forged.
    argv = ["audit", "verify", "--db-url", database_url, "--bootstrap", broker, "--anchors"]
    argv += ["--chain", chain, "--timeout", "2", "--public-key", str(key)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "1 legacy anchor(s): unsigned, before signing began" in out
    # The anchor queued unsigned at the upgrade was signed then; one more since.
    assert "2 anchor(s) match the chain" in out
    assert "FORGED record left aside: partition" in err
    assert "a signing-started marker: no wardensignature attribute: unsigned" in err
    assert "BROKEN" not in err


def test_a_legacy_record_never_replaces_or_dismisses_a_signed_decision(
    broker: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_topics(broker, SIGNED_TOPICS)  # as the compliance service does at start-up
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, schema.outbox.table, publisher)
    try:
        old = Review(engine)
        case_id = seed(engine, "dave", 1)
        _, fine = old.decide(case_id, "olivia", Choice(Outcome.CONFIRMED, "seen"))
        assert fine is not None
        # A dismissal of the same case written straight to the topic before signing began
        # (an insider then could): legacy, like the genuine fine.
        dismissal = CloudEvent(
            id=str(uuid.uuid4()),
            type="warden.compliance.penalty.decided",
            source="/warden/compliance",
            subject="dave",
            data={
                "decision_id": str(uuid.uuid4()),
                "case_id": case_id,
                "outcome": "dismissed",
                "replaces": "",
            },
        )
        relay_all(relay)
        publisher.send(HR_PENALTY_DECISIONS, "dave", dismissal.to_bytes())
        start_signing(engine, SIGNER, "warden", lambda t: end_offsets(broker, t), AT)
        new = Review(engine, signer=SIGNER)
        new.appeal(case_id, "oscar", "the employee disputes it")
        _, revised = new.decide(case_id, "oscar", Choice(Outcome.CONFIRMED, "upheld"))
        assert revised is not None
        relay_all(relay)
        # The same dismissal written now is after the marker: forged.
        publisher.send(HR_PENALTY_DECISIONS, "dave", dismissal.to_bytes())
    finally:
        publisher.close()
    records = read_topic(broker, HR_PENALTY_DECISIONS, 2.0, 10**9)
    ledger = HrLedger()
    ledger.follow(records, SIGNER.verifier(), legacy=True)
    assert ledger.standing[case_id]["decision_id"] == revised.decision_id
    assert revised.replaces == fine.decision_id
    legacy = [r["decision_id"] for r in ledger.legacy_records]
    assert legacy == [fine.decision_id, dismissal.data["decision_id"]]
    assert len(ledger.forged) == 1 and "after signing began" in ledger.forged[0]
