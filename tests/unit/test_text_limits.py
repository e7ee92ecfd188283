"""The gRPC edge's bound on request strings (platform/grpc_server.check_text_lengths), on
messages of every shape: plain, nested, repeated, maps (google.protobuf.Struct), and the
longer limit of a rule file's YAML."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import struct_pb2

from warden.errors import InvalidArgument
from warden.platform.grpc_server import TEXT_LIMIT, check_text_lengths
from warden.v1 import aftersales_pb2, rules_pb2

LONG = "x" * (TEXT_LIMIT + 1)
TAIL = f"is at most 10,000 characters, not {TEXT_LIMIT + 1:,}"


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


@pytest.mark.parametrize(
    ("message", "field"),
    [
        (aftersales_pb2.AssignTicketRequest(ticket_id="T", reason=LONG), "reason"),
        (
            aftersales_pb2.RegisterCustomerRequest(
                personal=aftersales_pb2.PersonalData(name="Ann", phone=LONG)
            ),
            "personal.phone",
        ),
        (aftersales_pb2.DiscloseCustomerDataRequest(fields=["name", LONG]), "fields[1]"),
        (
            rules_pb2.PublishRulesRequest(files=[rules_pb2.RuleFile(path=LONG, text="id: x")]),
            "files[0].path",
        ),
        (struct({"note": LONG}), "fields['note'].string_value"),
        (struct({"a": {"b": [1, LONG]}}), "fields['a'].struct_value.fields['b'].list_value"),
    ],
)
def test_a_string_over_the_limit_is_named_with_its_length(message: Any, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_text_lengths(message)
    assert str(refused.value).startswith(field)
    assert str(refused.value).endswith(TAIL)


def test_strings_at_the_limit_and_a_long_rule_file_pass() -> None:
    check_text_lengths(aftersales_pb2.AssignTicketRequest(reason="y" * TEXT_LIMIT))
    check_text_lengths(struct({"k": "y" * TEXT_LIMIT, "n": 3, "nested": {"list": ["z"]}}))
    check_text_lengths(
        rules_pb2.PublishRulesRequest(files=[rules_pb2.RuleFile(path="r.yaml", text="#" * 500_000)])
    )
    with pytest.raises(InvalidArgument, match="files\\[0\\].text: is at most 1,000,000"):
        check_text_lengths(
            rules_pb2.PublishRulesRequest(
                files=[rules_pb2.RuleFile(path="r", text="#" * 1_000_001)]
            )
        )
