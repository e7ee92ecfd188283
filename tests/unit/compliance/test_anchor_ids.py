"""Audit anchors' event ids: one per chain and entry, always within the outbox key's length."""

from __future__ import annotations

from warden.compliance.review import anchoring


def test_an_anchor_of_the_default_consumer_group_keeps_its_readable_id() -> None:
    assert anchoring.anchor_event_id("warden-compliance", 7) == "audit-anchor-warden-compliance-7"


def test_an_anchor_of_a_long_consumer_group_has_an_id_that_fits_the_outbox_key() -> None:
    long_chain = "warden-compliance-" + "x" * 80
    long = anchoring.anchor_event_id(long_chain, 12_345_678)
    assert len(long) <= anchoring.ANCHOR_ID_MAX and long.endswith("-12345678")
    assert long != anchoring.anchor_event_id(long_chain + "y", 12_345_678)
