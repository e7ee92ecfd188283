"""Audit anchors: the chain checked against its published ends, and anchor records read back
from the topic, each bad one refused with what is wrong with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warden.compliance.review import audit
from warden.compliance.review.anchoring import anchor_event, anchor_from
from warden.platform.cloudevents import CloudEvent

AT = datetime(2026, 11, 27, 9, tzinfo=UTC)


def chain(n: int, tag: str = "") -> list[audit.Entry]:
    """A valid chain of `n` entries (`tag` changes every entry's content, and so every hash)."""
    entries, prev = [], audit.GENESIS
    for seq in range(1, n + 1):
        details = {"note": f"{tag}{seq}"}
        at = AT + timedelta(minutes=seq)
        digest = audit.digest(seq, f"C-{seq}", "olivia", "created", at, details, prev)
        entries.append(audit.Entry(seq, f"C-{seq}", "olivia", "created", at, details, prev, digest))
        prev = digest
    return entries


def anchor(entries: list[audit.Entry], seq: int) -> audit.Anchor:
    return audit.Anchor(seq, entries[seq - 1].hash, AT + timedelta(hours=seq), "warden")


def test_a_chain_that_matches_its_anchors_has_no_break() -> None:
    entries = chain(5)
    assert audit.verify(entries) == (5, None)
    assert audit.check_anchors(entries, [anchor(entries, 2), anchor(entries, 5)]) == []
    assert audit.check_anchors(entries, []) == []


def test_a_chain_cut_short_verifies_but_breaks_its_anchor() -> None:
    entries = chain(5)
    cut = entries[:3]
    assert audit.verify(cut) == (3, None)  # the hashes alone cannot tell
    (broken,) = audit.check_anchors(cut, [anchor(entries, 2), anchor(entries, 5)])
    assert broken.seq == 5
    assert "the chain ends at entry 3: entries were removed from its end" in str(broken)
    assert "anchored at 2026-11-27T14:00:00.000000Z" in str(broken)


def test_a_chain_rewritten_with_its_hashes_recomputed_breaks_every_anchor_after_the_change() -> (
    None
):
    entries = chain(5)
    rewritten = chain(5, tag="forged ")
    assert audit.verify(rewritten) == (5, None)  # the hashes alone cannot tell
    breaks = audit.check_anchors(rewritten, [anchor(entries, 2), anchor(entries, 4)])
    assert [b.seq for b in breaks] == [2, 4]
    assert "its hash is not the one anchored at" in str(breaks[0])
    assert "the chain was rewritten" in str(breaks[0])


def test_an_anchor_event_reads_back_as_the_anchor() -> None:
    entries = chain(3)
    original = anchor(entries, 3)
    assert anchor_from(anchor_event(original).to_bytes()) == original


def _event(**data: object) -> bytes:
    good = {"chain": "warden", "seq": 3, "hash": "a" * 64, "anchored_at": "2026-11-27T09:00:00Z"}
    return CloudEvent(
        type="warden.compliance.audit.anchored",
        source="/warden/compliance",
        subject="warden",
        data={**good, **data},
    ).to_bytes()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"not json", "not JSON"),
        (b"{}", "missing attribute(s)"),
        (
            CloudEvent(type="x.y", source="/s", subject="s", data={}).to_bytes(),
            "type 'x.y', not warden.compliance.audit.anchored",
        ),
        (_event(chain=""), "data.chain '' names no chain"),
        (_event(seq=0), "data.seq 0 is not an entry number"),
        (_event(seq="3"), "data.seq '3' is not an entry number"),
        (_event(seq=True), "data.seq True is not an entry number"),
        (_event(hash="abc"), "data.hash 'abc' is not a sha256 hex digest"),
        (_event(anchored_at=5), "data.anchored_at 5 is not a time"),
        (_event(anchored_at="yesterday"), "data.anchored_at: Invalid isoformat string"),
    ],
)
def test_an_unreadable_anchor_record_is_refused_with_what_is_wrong(
    value: bytes, reason: str
) -> None:
    with pytest.raises(ValueError) as refused:
        anchor_from(value)
    assert reason in str(refused.value)
