"""Input records the compliance service must refuse, each with the reason its dead letter
gives: one of every kind, and a seeded generator of many for the fuzz test."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.integration.scale.helpers import price_changed
from warden.platform.cloudevents import MAX_BYTES, MAX_DEPTH, CloudEvent

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Bad:
    """A record's value (None: a tombstone) and how its dead letter's reason begins."""

    kind: str
    value: bytes | None
    reason: str


def valid(rng: random.Random, n: int) -> CloudEvent:
    return price_changed(f"rep-{n % 7}", violating=rng.random() < 0.5, at=T0 + timedelta(minutes=n))


def _doc(rng: random.Random, n: int) -> dict[str, object]:
    return valid(rng, n).to_dict()


def _bytes(doc: dict[str, object]) -> bytes:
    return json.dumps(doc).encode()


def random_bytes(rng: random.Random, n: int) -> Bad:
    value = b"\x00" + rng.randbytes(rng.randint(0, 200))
    return Bad("random bytes", value, "not JSON: ")


def truncated(rng: random.Random, n: int) -> Bad:
    whole = _bytes(_doc(rng, n))
    return Bad("truncated JSON", whole[: rng.randint(1, len(whole) - 1)], "not JSON: ")


def many_digits(rng: random.Random, n: int) -> Bad:
    digits = rng.randint(4301, 6000)
    whole = _bytes(_doc(rng, n)).replace(b'"old_price_minor": 100000', b'"old_price_minor": ')
    value = whole.replace(b'"old_price_minor": ', b'"old_price_minor": ' + b"9" * digits)
    return Bad(
        "an integer of thousands of digits",
        value,
        f"not JSON Warden can read: Exceeds the limit (4300 digits) for integer string "
        f"conversion: value has {digits} digits",
    )


def deep(rng: random.Random, n: int) -> Bad:
    depth = rng.choice([MAX_DEPTH + 1, 5000])
    return Bad(
        "nested too deep",
        b"[" * depth + b"]" * depth,
        f"nested too deep: {depth} levels, over the limit of {MAX_DEPTH}",
    )


def invalid_utf8(rng: random.Random, n: int) -> Bad:
    value = _bytes(_doc(rng, n)).replace(b'"X100"', b'"X\xff\xfe100"')
    return Bad("invalid UTF-8", value, "not JSON: 'utf-8' codec can't decode byte 0xff")


def too_large(rng: random.Random, n: int, size: int = MAX_BYTES + 1) -> Bad:
    doc = _doc(rng, n)
    doc["data"]["reason"] = ""  # type: ignore[index]
    padding = size - len(_bytes(doc))
    doc["data"]["reason"] = "x" * padding  # type: ignore[index]
    value = _bytes(doc)
    return Bad(
        "over the size limit",
        value,
        f"too large: {len(value)} bytes, over the limit of {MAX_BYTES}",
    )


def tombstone(rng: random.Random, n: int) -> Bad:
    return Bad("tombstone", None, "no value (a tombstone record): not a CloudEvent")


def unknown_type(rng: random.Random, n: int) -> Bad:
    doc = _doc(rng, n)
    doc["type"] = "com.example.unknown"
    return Bad("unknown type", _bytes(doc), "unknown event type 'com.example.unknown'")


def without(attribute: str) -> Callable[[random.Random, int], Bad]:
    def make(rng: random.Random, n: int) -> Bad:
        doc = _doc(rng, n)
        del doc[attribute]
        return Bad(f"no {attribute}", _bytes(doc), f"missing attribute(s): {attribute}")

    return make


def wrong_type(rng: random.Random, n: int) -> Bad:
    doc = _doc(rng, n)
    doc["data"]["new_price_minor"] = "70000"  # type: ignore[index]
    return Bad(
        "a field of the wrong type",
        _bytes(doc),
        "warden.sales.price.changed: data.new_price_minor must be int, got '70000'",
    )


def unlisted_source(rng: random.Random, n: int) -> Bad:
    doc = _doc(rng, n)
    doc["source"] = "/erp/injected"
    return Bad(
        "an unlisted source",
        _bytes(doc),
        "source '/erp/injected' is not allowed on sales.events (allowed: ",
    )


# Every kind but the large one (a test adds one or two of those: each is megabytes).
KINDS = [
    random_bytes,
    truncated,
    many_digits,
    deep,
    invalid_utf8,
    tombstone,
    unknown_type,
    without("id"),
    without("source"),
    wrong_type,
    unlisted_source,
]
