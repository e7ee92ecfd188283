"""JSON text for what Warden writes on the hot path (stored events, findings, audit details):
orjson, about ten times faster than the standard library's encoder, which was the largest
single cost of storing a judged event (bench/profile_judging.py). Reading stays with the
standard library: orjson reads an integer beyond 64 bits as a float, and a money amount must
come back exactly as it was sent."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any, sort_keys: bool = False) -> str:
    """Compact JSON text (no spaces; keys sorted when asked). Non-ASCII characters are written
    as themselves (UTF-8), not escaped. An integer beyond 64 bits, which orjson refuses, is
    written by the standard library instead, so nothing valid is ever refused."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
    except TypeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
