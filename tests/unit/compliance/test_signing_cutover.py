"""Sorting a signed topic's records by the cut-over's markers (compliance/review/cutover.py): what
is legacy, what is forged, and that no marker a topic writer can make widens what is legacy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warden.compliance.review import audit
from warden.compliance.review.anchoring import AnchorsRead, missing_on_kafka
from warden.compliance.review.cutover import marker_event, sort_records
from warden.platform.cloudevents import CloudEvent
from warden.platform.signing import Signer
from warden.platform.topics import AUDIT_ANCHORS, HR_PENALTY_DECISIONS

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
SIGNER = Signer(Ed25519PrivateKey.generate())
HR = HR_PENALTY_DECISIONS


class Record(NamedTuple):
    partition: int
    offset: int
    value: bytes


def decision(n: int) -> CloudEvent:
    return CloudEvent(
        id=f"d-{n}",
        type="warden.compliance.penalty.decided",
        source="/warden/compliance",
        subject="alice",
        data={"decision_id": f"d-{n}", "case_id": f"c-{n}", "outcome": "confirmed"},
    )


def marker(ends: dict[int, int], topic: str = HR, signer: Signer = SIGNER) -> bytes:
    return signer.sign(marker_event(topic, "warden", signer.key_id, ends, 0, AT)).to_bytes()


def test_unsigned_records_before_the_marker_are_legacy_and_after_it_forged() -> None:
    records = [
        Record(0, 0, decision(1).to_bytes()),
        Record(0, 1, marker({0: 1})),
        Record(0, 2, decision(2).to_bytes()),
        Record(0, 3, SIGNER.sign(decision(3)).to_bytes()),
    ]
    sorted_ = sort_records(records, HR, SIGNER.verifier())
    assert [doc["id"] for _, doc in sorted_.legacy] == ["d-1"]
    assert [doc["id"] for _, doc in sorted_.genuine] == ["d-3"]
    assert [(r.offset, why) for r, why in sorted_.forged] == [
        (2, "unsigned, after signing began (at offset 1 of its partition)")
    ]


def test_without_a_genuine_marker_nothing_is_legacy() -> None:
    records = [Record(1, 0, decision(1).to_bytes())]
    sorted_ = sort_records(records, HR, SIGNER.verifier())
    assert not sorted_.legacy
    assert sorted_.forged[0][1].endswith("and no signing-started marker on the topic")


def test_a_wrongly_signed_record_before_the_marker_is_forged_not_legacy() -> None:
    other = Signer(Ed25519PrivateKey.generate())
    records = [Record(0, 0, other.sign(decision(1)).to_bytes()), Record(0, 1, marker({0: 1}))]
    sorted_ = sort_records(records, HR, SIGNER.verifier())
    assert not sorted_.legacy and len(sorted_.forged) == 1


def test_no_marker_a_topic_writer_can_make_widens_what_is_legacy() -> None:
    other = Signer(Ed25519PrivateKey.generate())
    unsigned = marker_event(HR, "warden", SIGNER.key_id, {0: 99}, 0, AT).to_bytes()
    records = [
        Record(0, 0, decision(1).to_bytes()),
        Record(0, 1, marker({0: 1})),
        Record(0, 2, decision(2).to_bytes()),
        Record(0, 3, unsigned),  # unsigned
        Record(0, 4, marker({0: 99}, signer=other)),  # another key
        Record(0, 5, marker({0: 99}, topic=AUDIT_ANCHORS)),  # genuine, for another topic
        Record(0, 6, marker({0: 1})),  # the genuine marker copied: says the same
    ]
    sorted_ = sort_records(records, HR, SIGNER.verifier())
    assert sorted_.markers == 2 and sorted_.marker is not None
    assert sorted_.marker.legacy_before == {0: 1}
    assert [doc["id"] for _, doc in sorted_.legacy] == ["d-1"]
    assert [r.offset for r, _ in sorted_.forged] == [3, 4, 5, 2]
    assert "signed for topic 'warden.audit-anchors'" in sorted_.forged[2][1]


def test_an_anchor_recorded_before_signing_is_noted_not_broken_when_kafka_lacks_it() -> None:
    read = AnchorsRead([audit.Anchor(5, "b" * 64, AT, "warden")], set(), [], [])
    read.legacy = [audit.Anchor(2, "a" * 64, AT, "warden")]
    read.legacy_through = 3
    sent = [(2, "a" * 64), (3, "c" * 64), (5, "b" * 64), (6, "d" * 64)]
    broken, notes = missing_on_kafka(sent, "warden", read)
    assert notes == [
        f"audit entry 3: anchored before signing began; its unsigned anchor is no longer on "
        f"{AUDIT_ANCHORS}"
    ]
    assert len(broken) == 1 and broken[0].startswith("audit entry 6: anchored in the database")
