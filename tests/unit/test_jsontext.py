"""The JSON text Warden writes on the hot path: the same document the standard library would
write (compact, keys sorted when asked), for everything the standard library writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from warden.platform import jsontext

DOCUMENTS: list[Any] = [
    {"b": 1, "a": [1, 2.5, None, True], "c": {"z": "x", "y": "Zoë 张三"}},
    ["id-1", "id-2"],
    {"amount_minor": 2**63 - 1, "negative": -(2**63)},
    {"beyond_64_bits": 2**64 + 7},
    {"control": 'line\nbreak\ttab \u2028 "quoted" back\\slash'},
    [],
    {},
]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("sort_keys", [False, True])
def test_writes_what_the_standard_library_reads_back_unchanged(
    document: Any, sort_keys: bool
) -> None:
    text = jsontext.dumps(document, sort_keys=sort_keys)
    assert json.loads(text) == document
    assert text == json.dumps(
        document, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False
    )


def test_sorts_keys_only_when_asked() -> None:
    assert jsontext.dumps({"b": 1, "a": 2}) == '{"b":1,"a":2}'
    assert jsontext.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a":2,"b":1}'


def test_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"when": object()})


@pytest.mark.parametrize("document", DOCUMENTS)
def test_reads_what_the_standard_library_reads(document: Any) -> None:
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False)):
        assert jsontext.loads(text) == json.loads(text)
        assert jsontext.loads(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "123456789012345678901234567890",  # beyond 64 bits: an int, not a float
        "-9223372036854775809",
        '{"n": 18446744073709551616}',
        '"\\ud800"',  # a lone surrogate: orjson refuses it, the standard library reads it
        "0.12345678901234567890123",
    ],
)
def test_reads_exactly_where_orjson_would_not(text: str) -> None:
    value = jsontext.loads(text)
    assert value == json.loads(text)
    assert type(value) is type(json.loads(text))


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e999"])
def test_refuses_numbers_json_has_not(text: str) -> None:
    with pytest.raises(jsontext.NotJson):
        jsontext.loads(text)
