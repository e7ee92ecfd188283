"""JSON on the judging path (events read from Kafka, stored events, findings, audit details):
orjson, faster than the standard library, with the standard library's results: what orjson
would read or write differently goes to the standard library.

- orjson reads an integer beyond 64 bits as a float; a money amount must come back exactly as
  it was sent, so a text with a run of 19 digits (every such integer has one) is read by the
  standard library.
- JSON has no NaN or Infinity: both refuse them (NotJson), where the standard library alone
  would read them, and a number too large for a float too.
- A text orjson refuses is read again by the standard library, which then either reads it as
  it always did (UTF-16, a lone surrogate) or raises its own precise JSONDecodeError."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

_LONG_DIGITS_BYTES = re.compile(rb"[0-9]{19}")
_LONG_DIGITS_TEXT = re.compile(r"[0-9]{19}")


class NotJson(ValueError):
    """A number JSON cannot hold: NaN, Infinity, or one beyond a double's range."""


def _constant(name: str) -> Any:
    raise NotJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise NotJson(f"{text} is beyond the range of a JSON number")
    return value


def loads(raw: bytes | str) -> Any:
    """The value of a JSON text, as the standard library reads it (integers exact); raises
    NotJson, json.JSONDecodeError or UnicodeDecodeError for what is not JSON."""
    long = (
        _LONG_DIGITS_BYTES.search(raw) if isinstance(raw, bytes) else _LONG_DIGITS_TEXT.search(raw)
    )
    if long is None:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw, parse_constant=_constant, parse_float=_finite)


def dumps(value: Any, sort_keys: bool = False) -> str:
    """Compact JSON text (no spaces; keys sorted when asked). Non-ASCII characters are written
    as themselves (UTF-8), not escaped. An integer beyond 64 bits, which orjson refuses, is
    written by the standard library instead, so nothing valid is ever refused."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
    except TypeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
