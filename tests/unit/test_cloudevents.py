"""CloudEvents envelope: what is accepted, and the precise reason for what is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from warden.platform.cloudevents import MAX_BYTES, CloudEvent, MalformedEvent, nesting_depth, parse


def envelope(**changes: object) -> bytes:
    doc = CloudEvent(
        type="t",
        source="/s",
        subject="alice",
        data={"a": 1},
        id="e1",
        time=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    ).to_dict()
    for key, value in changes.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc).encode()


def test_an_event_survives_the_round_trip_through_json() -> None:
    event = parse(envelope())
    assert (event.id, event.type, event.source, event.subject) == ("e1", "t", "/s", "alice")
    assert event.time == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert json.loads(event.to_json())["time"] == "2026-11-02T09:30:00.000000Z"


def test_time_with_another_zone_is_read_as_the_same_instant_in_utc() -> None:
    event = parse(envelope(time="2026-11-02T10:30:00+01:00"))
    assert event.time == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (envelope(subject=None), "missing attribute(s): subject"),
        (envelope(id=None, data=None), "missing attribute(s): id, data"),
        (envelope(specversion="0.3"), "specversion '0.3' is not '1.0'"),
        (envelope(type=""), "attribute 'type' must be a non-empty string"),
        (envelope(data=[1]), "attribute 'data' must be a JSON object"),
        (envelope(time="yesterday"), "attribute 'time'"),
        (envelope(time="2026-11-02T09:30:00"), "has no timezone"),
    ],
)
def test_malformed_envelopes_are_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent) as refused:
        parse(raw)
    assert reason in str(refused.value)


def test_a_naive_time_cannot_be_written_to_the_wire() -> None:
    event = CloudEvent(type="t", source="/s", subject="a", data={}, time=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        event.to_json()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_number_json_has_not_is_refused_with_its_name(constant: str) -> None:
    raw = envelope().replace(b'{"a": 1}', b'{"a": ' + constant.encode() + b"}")
    assert constant.encode() in raw
    with pytest.raises(MalformedEvent, match=f"not JSON: {constant} is not a JSON number"):
        parse(raw)


def test_an_integer_beyond_64_bits_comes_back_exactly() -> None:
    huge = 2**70 + 1  # orjson refuses to write it and would read it back as a float
    event = CloudEvent("t", "/s", "alice", {"amount_minor": huge, "name": "Zoë"}, id="e1")
    again = parse(event.to_bytes())
    assert again.data["amount_minor"] == huge
    assert isinstance(again.data["amount_minor"], int)
    assert again.data["name"] == "Zoë"
    assert event.to_json() == json.dumps(
        event.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_a_record_without_a_value_is_refused_as_a_tombstone() -> None:
    with pytest.raises(MalformedEvent, match="no value"):
        parse(None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": 1e400}', "1e400 is beyond the range of a JSON number"),
        (b'{"a": 1', "Expecting ',' delimiter"),  # the standard library's own words
        (b"\xff\xfe", "not JSON"),
        ("{}".encode("utf-16"), "missing attribute"),  # UTF-16 JSON is JSON
    ],
)
def test_what_is_not_json_is_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent, match=reason):
        parse(raw)


def test_long_digit_runs_read_exactly_wherever_they_are() -> None:
    event = CloudEvent(
        "t",
        "/s",
        "alice",
        {"id_text": "1234567890123456789012", "small": 2**63 - 1, "big": -(2**64), "f": 0.1},
        id="e1",
    )
    assert parse(event.to_bytes()).data == event.data


def nested(depth: int) -> bytes:
    return envelope().replace(b'{"a": 1}', b'{"a": ' + b"[" * depth + b"]" * depth + b"}")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (bytes(range(256)) * 4, "not JSON: "),  # random bytes
        (envelope()[:-20], "not JSON: "),  # truncated
        (envelope().replace(b'"alice"', b'"al\xffice"'), "not JSON: 'utf-8' codec can't decode"),
        (
            envelope().replace(b'{"a": 1}', b'{"a": ' + b"7" * 5000 + b"}"),
            "not JSON Warden can read: Exceeds the limit (4300 digits)",
        ),
        (nested(5000), "nested too deep: 5002 levels, over the limit of 32"),
        (
            b" " * (MAX_BYTES + 1),
            f"too large: {MAX_BYTES + 1} bytes, over the limit of {MAX_BYTES}",
        ),
    ],
    ids=["random-bytes", "truncated", "invalid-utf8", "5000-digits", "5000-deep", "over-size"],
)
def test_every_unreadable_record_is_refused_as_malformed_with_its_reason(
    raw: bytes, reason: str
) -> None:
    with pytest.raises(MalformedEvent) as refused:
        parse(raw)
    assert reason in str(refused.value)


def test_a_record_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    raw = envelope()
    assert parse(raw, max_bytes=len(raw)).id == "e1"
    with pytest.raises(MalformedEvent, match=f"too large: {len(raw)} bytes, over the limit of"):
        parse(raw, max_bytes=len(raw) - 1)


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    # The envelope and its data object are two levels themselves.
    assert nesting_depth(nested(30)) == 32
    assert parse(nested(30), max_depth=32).id == "e1"
    with pytest.raises(MalformedEvent, match="nested too deep: 33 levels, over the limit of 32"):
        parse(nested(31), max_depth=32)


def test_nesting_too_deep_for_the_parser_is_refused_when_the_limit_would_allow_it() -> None:
    with pytest.raises(MalformedEvent, match="nested too deep to parse"):
        parse(nested(100_000), max_depth=10**6)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    raw = envelope(subject='[[[{{{"\\"]]]' * 20)
    assert nesting_depth(raw) == 2
    assert parse(raw, max_depth=2).subject.startswith("[[[{{{")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (envelope(id=None), "missing attribute(s): id"),
        (envelope(source=None), "missing attribute(s): source"),
        (envelope(source=7), "attribute 'source' must be a non-empty string"),
        (envelope(id=["e1"]), "attribute 'id' must be a non-empty string"),
    ],
)
def test_a_missing_or_mistyped_attribute_is_named(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent) as refused:
        parse(raw)
    assert str(refused.value) == reason
