"""`warden dead-letters`: what went to the dead-letter topic, read back from the real embedded
broker with its reason and origin, from an input topic or from a service's outbox."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from warden.cli import main
from warden.compliance.storage import schema
from warden.platform.db import make_engine
from warden.platform.deadletter import DeadLetter, DeadLetterBox
from warden.platform.kafka import ensure_topics, read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import OutboxRelay
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


def test_input_dead_letters_show_once_each_with_a_cut_value_and_a_tombstone_as_such(
    broker: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_topics(broker, (DEAD_LETTER,), partitions=1)
    engine = make_engine(f"sqlite:///{tmp_path / 'compliance.db'}", schema.metadata)
    table = schema.outbox.table
    big = b"x" * 300
    DeadLetterBox(engine, table, value_limit=100).add(
        [
            DeadLetter("sales.events", 0, 7, b"k", big, "too large: 300 bytes, over the limit"),
            DeadLetter("sales.events", 0, 8, None, None, "no value (a tombstone record)"),
        ]
    )
    publisher = KafkaPublisher(broker)
    try:
        relay = OutboxRelay(engine, table, publisher)
        while relay.publish_pending():
            pass
        with engine.begin() as conn:  # the relay stopped before marking the rows: again
            conn.execute(update(table).values(published_at=None))
        while relay.publish_pending():
            pass
    finally:
        publisher.close()
        engine.dispose()
    assert len(read_topic(broker, DEAD_LETTER, 2.0, expect=4)) == 4

    assert main(["dead-letters", "--bootstrap", broker, "--timeout", "2", "--json"]) == 0
    out = capsys.readouterr()
    views = {v["origin"]["offset"]: v for v in map(json.loads, out.out.splitlines())}
    assert sorted(views) == ["7", "8"]
    cut = views["7"]
    assert (cut["bytes"], cut["size"], cut["value"]) == (100, 300, "x" * 100)
    assert cut["sha256"] == hashlib.sha256(big).hexdigest()
    assert cut["cut"] == (
        "value cut to its first 100 of 300 bytes; all of them are kept in the compliance "
        "database (outbox event_id dead-letter:sales.events:0:7)"
    )
    assert views["8"]["tombstone"] and views["8"]["size"] == 0
    assert "2 dead letter(s) on warden.dead-letter" in out.err

    assert main(["dead-letters", "--bootstrap", broker, "--timeout", "2"]) == 0
    text = capsys.readouterr().out
    assert f"  value:  300 bytes, sha256 {hashlib.sha256(big).hexdigest()}; value cut" in text
    assert "  value:  none (a tombstone record)" in text


def test_the_whole_value_of_a_cut_dead_letter_is_written_out_from_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    engine = make_engine(url, schema.metadata)
    big = bytes(range(256)) * 4000
    DeadLetterBox(engine, schema.outbox.table, value_limit=100).add(
        [DeadLetter("sales.events", 1, 9, b"k", big, "too large")]
    )
    engine.dispose()
    out = tmp_path / "value.bin"
    argv = ["dead-letters", "--kept", "dead-letter:sales.events:1:9", "--db-url", url]
    assert main([*argv, "--out", str(out)]) == 0
    assert out.read_bytes() == big
    assert f"1024000 bytes of dead-letter:sales.events:1:9 written to {out}" in (
        capsys.readouterr().err
    )


def test_an_unknown_kept_dead_letter_or_database_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    make_engine(url, schema.metadata).dispose()
    assert main(["dead-letters", "--kept", "dead-letter:sales.events:0:1", "--db-url", url]) == 1
    assert "error: no dead letter 'dead-letter:sales.events:0:1' in the compliance database" in (
        capsys.readouterr().err
    )
    missing = f"sqlite:///{tmp_path / 'nowhere.db'}"
    assert main(["dead-letters", "--kept", "x", "--db-url", missing]) == 1
    assert f"error: no compliance database at {tmp_path / 'nowhere.db'}" in (
        capsys.readouterr().err
    )
