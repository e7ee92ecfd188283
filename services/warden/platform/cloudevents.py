"""CloudEvents 1.0 in structured JSON mode: the envelope of every message on Warden's topics."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from warden.platform import jsontext

CONTENT_TYPE = "application/cloudevents+json"
SPECVERSION = "1.0"
REQUIRED = ("specversion", "id", "source", "type", "time", "subject", "data")
# Refused before parsing: a record larger than this, or JSON nested deeper (Settings overrides
# both: event_max_bytes, event_max_depth). Warden's own events are a few kilobytes, 4 deep.
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class MalformedEvent(ValueError):
    """The bytes are not a CloudEvent Warden can read; the message says why."""


@dataclass(frozen=True)
class CloudEvent:
    type: str
    source: str
    subject: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Extension attributes (string-valued), e.g. the signature of platform/signing.py.
    extensions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.extensions,
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": format_time(self.time),
            "subject": self.subject,
            "datacontenttype": "application/json",
            "data": self.data,
        }

    def to_json(self) -> str:
        return self.json_of(self.to_dict())

    @staticmethod
    def json_of(as_dict: dict[str, Any]) -> str:
        """The JSON text of an event's to_dict(): compact, keys sorted."""
        return jsontext.dumps(as_dict, sort_keys=True)

    def to_bytes(self) -> bytes:
        return self.to_json().encode()


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, as every timestamp on the wire."""
    if moment.tzinfo is None:
        raise ValueError("timestamps on the wire must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no timezone")
    return moment.astimezone(UTC)


def nesting_depth(raw: bytes) -> int:
    """How deep the JSON text's arrays and objects nest (brackets inside strings not counted);
    for a text that is not JSON, a figure no smaller than its parse would reach."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b'""', raw)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_before_parsing(raw: bytes, max_bytes: int, max_depth: int) -> None:
    if len(raw) > max_bytes:
        raise MalformedEvent(f"too large: {len(raw)} bytes, over the limit of {max_bytes}")
    # Counting brackets is cheap; only a text with more of them than the limit is scanned.
    if raw.count(b"[") + raw.count(b"{") > max_depth:
        depth = nesting_depth(raw)
        if depth > max_depth:
            raise MalformedEvent(f"nested too deep: {depth} levels, over the limit of {max_depth}")


def _loads(raw: bytes) -> Any:
    """The JSON value of `raw`; MalformedEvent for anything that is not readable JSON."""
    try:
        return jsontext.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, jsontext.NotJson) as exc:
        raise MalformedEvent(f"not JSON: {exc}") from None
    except RecursionError:
        raise MalformedEvent("not JSON Warden can read: nested too deep to parse") from None
    except ValueError as exc:  # an integer of more digits than Python converts (4,300)
        raise MalformedEvent(f"not JSON Warden can read: {exc}") from None


def parse(raw: bytes | None, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> CloudEvent:
    """Read one structured-mode CloudEvent; raise MalformedEvent naming what is wrong. A record
    over `max_bytes`, or nested deeper than `max_depth`, is refused before it is parsed."""
    if raw is None:  # a Kafka record without a value (a tombstone)
        raise MalformedEvent("no value (a tombstone record): not a CloudEvent")
    _refuse_before_parsing(raw, max_bytes, max_depth)
    doc = _loads(raw)
    if not isinstance(doc, dict):
        raise MalformedEvent("not a JSON object")
    missing = [name for name in REQUIRED if name not in doc]
    if missing:
        raise MalformedEvent(f"missing attribute(s): {', '.join(missing)}")
    if doc["specversion"] != SPECVERSION:
        raise MalformedEvent(f"specversion {doc['specversion']!r} is not {SPECVERSION!r}")
    for name in ("id", "source", "type", "subject", "time"):
        if not isinstance(doc[name], str) or not doc[name]:
            raise MalformedEvent(f"attribute {name!r} must be a non-empty string")
    if not isinstance(doc["data"], dict):
        raise MalformedEvent("attribute 'data' must be a JSON object")
    try:
        time = parse_time(doc["time"])
    except ValueError as exc:
        raise MalformedEvent(f"attribute 'time': {exc}") from None
    return CloudEvent(
        type=doc["type"],
        source=doc["source"],
        subject=doc["subject"],
        data=doc["data"],
        id=doc["id"],
        time=time,
    )
