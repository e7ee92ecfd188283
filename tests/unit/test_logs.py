"""Log lines: a value holding a newline and a fake record cannot forge a line, in text or in
JSON; the event, case and actor travel as fields."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from warden.platform.logs import escape, handler, log_context

FORGED_ID = "sp-1\n2026-12-07 01:00:00,000 ERROR warden.sales: salesperson sp-9 paid a bribe"
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


@pytest.fixture
def capture(request: pytest.FixtureRequest) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the service handler in the format given by the test's param."""
    out = io.StringIO()
    logger = logging.getLogger(f"warden.test.{request.node.name}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler(request.param, out))
    yield logger, out
    logger.handlers.clear()


@pytest.mark.parametrize("capture", ["text"], indirect=True)
def test_a_newline_in_a_value_does_not_start_a_forged_line_in_text(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    logger.info("contract refused: salesperson %s unknown", FORGED_ID)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert RECORD_START.match(lines[0]) and " INFO " in lines[0]
    assert "sp-1\\n2026-12-07 01:00:00,000 ERROR" in lines[0]


@pytest.mark.parametrize("capture", ["json"], indirect=True)
def test_a_newline_in_a_value_stays_inside_its_json_string(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    logger.info("contract refused: salesperson %s unknown", FORGED_ID)
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "INFO"
    assert datetime.fromisoformat(record["time"]).utcoffset() == timedelta(0)
    assert record["message"] == f"contract refused: salesperson {FORGED_ID} unknown"


@pytest.mark.parametrize("capture", ["text"], indirect=True)
def test_an_exception_message_with_a_fake_record_is_indented_under_its_record_in_text(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    try:
        raise ValueError(f"no salesperson {FORGED_ID}")
    except ValueError:
        logger.exception("CreateContract failed (ref %s)", "abc")
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if RECORD_START.match(line)]) == 1
    assert all(line.startswith("    ") for line in lines[1:])
    assert any("ValueError: no salesperson sp-1" in line for line in lines)


@pytest.mark.parametrize("capture", ["json"], indirect=True)
def test_an_exception_with_a_fake_record_is_one_json_line(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    try:
        raise ValueError(f"no salesperson {FORGED_ID}")
    except ValueError:
        logger.exception("CreateContract failed")
    (line,) = out.getvalue().splitlines()
    assert FORGED_ID in json.loads(line)["exc_info"]


@pytest.mark.parametrize("capture", ["text", "json"], indirect=True)
def test_a_carriage_return_or_line_separator_is_escaped_or_encoded(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    logger.warning("id %s", "a\rb\u2028c\x1b[31m")
    text = out.getvalue()
    assert text.count("\n") == 1 and "\r" not in text and "\u2028" not in text
    assert "\x1b" not in text


def test_escape_names_the_usual_controls_and_hexes_the_rest() -> None:
    assert escape("a\nb\tc\rd\x00e\x7f\u2029") == "a\\nb\\tc\\rd\\x00e\\x7f\\u2029"
    assert escape("Zoë, 佐藤") == "Zoë, 佐藤"


@pytest.mark.parametrize("capture", ["json"], indirect=True)
def test_the_event_case_and_actor_are_json_fields_where_known(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    with log_context(actor="officer-1", case_id="case-7"):
        logger.info("claimed")
        logger.info("finding", extra={"event_id": "ev-3"})
    logger.info("outside")
    first, second, outside = (json.loads(line) for line in out.getvalue().splitlines())
    assert (first["actor"], first["case_id"]) == ("officer-1", "case-7")
    assert "event_id" not in first
    assert second["event_id"] == "ev-3" and second["actor"] == "officer-1"
    assert not {"actor", "case_id", "event_id"} & outside.keys()


@pytest.mark.parametrize("capture", ["text"], indirect=True)
def test_fields_are_named_and_escaped_at_the_end_of_a_text_line(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    with log_context(actor="x\nERROR forged", case_id="case-7"):
        logger.info("claimed")
    (line,) = out.getvalue().splitlines()
    assert line.endswith("claimed [case_id=case-7 actor=x\\nERROR forged]")
