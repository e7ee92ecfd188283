"""A dead letter of an input record: what its outbox row keeps and what goes on the topic."""

from __future__ import annotations

import hashlib

from warden.platform.deadletter import REASON_LIMIT, DeadLetter, envelope, message, stored_value
from warden.platform.topics import DEAD_LETTER


def letter(
    value: bytes | None, reason: str = "not JSON: x", key: bytes | None = b"k"
) -> DeadLetter:
    return DeadLetter("sales.events", 2, 41, key, value, reason)


def test_a_small_record_goes_to_the_topic_whole_with_its_origin_and_reason() -> None:
    topic, key, value, headers = message(envelope(letter(b"\xff not json")))
    assert (topic, key, value) == (DEAD_LETTER, "k", b"\xff not json")
    assert dict(headers) == {
        "warden.dlq.reason": b"not JSON: x",
        "warden.dlq.topic": b"sales.events",
        "warden.dlq.partition": b"2",
        "warden.dlq.offset": b"41",
        "warden.dlq.id": b"dead-letter:sales.events:2:41",
        "warden.dlq.size": b"10",
        "warden.dlq.sha256": hashlib.sha256(b"\xff not json").hexdigest().encode(),
    }


def test_a_record_over_the_limit_is_cut_on_the_topic_and_kept_whole_in_the_row() -> None:
    big = bytes(range(256)) * 20_000  # 5,120,000 bytes
    payload = envelope(letter(big), value_limit=1000)
    _topic, _key, value, headers = message(payload)
    assert value == big[:1000]
    assert stored_value(payload) == big
    named = dict(headers)
    assert named["warden.dlq.size"] == b"5120000"
    assert named["warden.dlq.sha256"] == hashlib.sha256(big).hexdigest().encode()
    assert named["warden.dlq.cut"] == (
        b"value cut to its first 1000 of 5120000 bytes; all of them are kept in the "
        b"compliance database (outbox event_id dead-letter:sales.events:2:41)"
    )


def test_a_tombstone_is_dead_lettered_with_an_empty_value_marked_as_none() -> None:
    _topic, key, value, headers = message(envelope(letter(None, key=None)))
    assert (key, value) == ("", b"")
    assert dict(headers)["warden.dlq.tombstone"] == b"the record had no value"


def test_a_reason_longer_than_its_limit_is_cut_with_its_length() -> None:
    _topic, _key, _value, headers = message(envelope(letter(b"x", reason="r" * 10_000)))
    reason = dict(headers)["warden.dlq.reason"].decode()
    assert reason == "r" * REASON_LIMIT + "... (10000 characters)"
