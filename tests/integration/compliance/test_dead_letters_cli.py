"""`warden dead-letters`: what went to the dead-letter topic, read back from the real embedded
broker with its reason and origin, from an input topic or from a service's outbox."""

from __future__ import annotations

import json
import uuid

import pytest

from warden.cli import main
from warden.platform.kafka import KafkaPublisher, ensure_topics
from warden.platform.topics import DEAD_LETTER


def test_dead_letters_are_listed_with_their_reason_origin_and_value(
    broker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = uuid.uuid4().hex[:8]  # a configured cluster may hold other runs' dead letters
    ensure_topics(broker, (DEAD_LETTER,), partitions=3)
    publisher = KafkaPublisher(broker)
    try:
        publisher.send(
            DEAD_LETTER,
            f"{run}-input",
            b"\xff not json",
            [
                ("warden.dlq.reason", b"not JSON: Expecting value: line 1 column 1 (char 0)"),
                ("warden.dlq.topic", b"sales.events"),
                ("warden.dlq.partition", b"2"),
                ("warden.dlq.offset", b"41"),
            ],
        )
        publisher.send(
            DEAD_LETTER,
            f"{run}-outbox",
            b"",
            [
                ("warden.dlq.reason", b"refused by Kafka: 1500296 bytes, over the limit"),
                ("warden.dlq.topic", b"aftersales.events"),
                ("warden.dlq.event_id", b"ev-9"),
                ("warden.dlq.outbox", b"outbox row 7"),
                ("warden.dlq.payload", b"omitted: 1500296 bytes, kept in outbox row 7"),
            ],
        )
    finally:
        publisher.close()

    assert main(["dead-letters", "--bootstrap", broker, "--timeout", "2", "--json"]) == 0
    out = capsys.readouterr()
    views = [json.loads(line) for line in out.out.splitlines()]
    mine = {v["key"]: v for v in views if v["key"].startswith(run)}
    assert mine[f"{run}-input"]["reason"].startswith("not JSON: Expecting value")
    assert mine[f"{run}-input"]["origin"] == {
        "offset": "41",
        "partition": "2",
        "topic": "sales.events",
    }
    assert mine[f"{run}-input"]["value"] == b"\xff not json".hex()  # not UTF-8: hex
    assert mine[f"{run}-input"]["bytes"] == 10
    outbox = mine[f"{run}-outbox"]
    assert outbox["origin"] == {
        "event_id": "ev-9",
        "outbox": "outbox row 7",
        "payload": "omitted: 1500296 bytes, kept in outbox row 7",
        "topic": "aftersales.events",
    }
    assert outbox["bytes"] == 0 and outbox["value"] == ""
    assert f"{len(views)} dead letter(s) on {DEAD_LETTER}" in out.err

    assert main(["dead-letters", "--bootstrap", broker, "--timeout", "2", "--limit", "1"]) == 0
    text = capsys.readouterr().out
    assert text.count("  reason: ") == 1  # only the last one
    assert "  from:   " in text and "  value:  " in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--limit", "0"], "argument --limit: '0' is not above zero"),
        (["--timeout", "-1"], "argument --timeout: '-1' is not above zero"),
        (["--timeout", "soon"], "argument --timeout: 'soon' is not a number"),
    ],
)
def test_bad_arguments_are_refused_by_name(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["dead-letters", *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_without_a_broker_it_says_how_to_name_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WARDEN_KAFKA_BOOTSTRAP", raising=False)
    assert main(["dead-letters"]) == 1
    assert "no broker: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP" in capsys.readouterr().err


def test_an_unreachable_broker_is_named_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["dead-letters", "--bootstrap", "127.0.0.1:1", "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "error: no Kafka broker answered at 127.0.0.1:1 within 1 s" in err
    assert "Traceback" not in err
