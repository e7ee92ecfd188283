"""`warden dead-letters`: reads the dead-letter topic, shows each record once, keeps the
records asked for in files."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from typing import Any

from warden.config import Settings

# Headers that describe a dead letter's value rather than where it came from.
_VALUE_HEADERS = ("warden.dlq.size", "warden.dlq.sha256", "warden.dlq.cut", "warden.dlq.tombstone")


def dead_letter_view(record: Any) -> dict[str, Any]:
    """A record of the dead-letter topic as an operator reads it: where it sits, why it is
    there, where it came from (an input topic's partition and offset, or a service's outbox
    row), and its value (the original bytes, as text where they are UTF-8): whole, or cut to
    its first bytes with the original size and SHA-256 (the whole kept in the database)."""
    headers = {name: value.decode(errors="replace") for name, value in record.headers or []}
    reason = headers.pop("warden.dlq.reason", "(no reason header)")
    about = {name: headers.pop(name, None) for name in _VALUE_HEADERS}
    value = record.value or b""
    try:
        text: str | None = value.decode()
    except UnicodeDecodeError:
        text = None
    return {
        "partition": record.partition,
        "offset": record.offset,
        "time": datetime.fromtimestamp(record.timestamp / 1000, UTC).isoformat(),
        "key": record.key.decode(errors="replace") if record.key else "",
        "reason": reason,
        "origin": {k.removeprefix("warden.dlq."): v for k, v in sorted(headers.items())},
        "bytes": len(value),
        "size": int(about["warden.dlq.size"] or len(value)),
        "sha256": about["warden.dlq.sha256"] or hashlib.sha256(value).hexdigest(),
        "cut": about["warden.dlq.cut"],
        "tombstone": about["warden.dlq.tombstone"] is not None,
        "value": text if text is not None else value.hex(),
    }


def once_each(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views with a dead letter published again (the relay stopped between the broker's
    acknowledgement and marking its row) shown once: the first of each `id`."""
    seen: set[str] = set()
    kept = []
    for view in views:
        key = view["origin"].get("id")
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        kept.append(view)
    return kept


def _value_line(view: dict[str, Any]) -> str:
    if view["tombstone"]:
        return "none (a tombstone record)"
    preview = view["value"][:120] + ("..." if len(view["value"]) > 120 else "")
    if view["cut"]:
        return f"{view['size']} bytes, sha256 {view['sha256']}; {view['cut']}: {preview!r}"
    return f"{view['bytes']} bytes: {preview!r}"


def cmd_dead_letters(args: argparse.Namespace, settings: Settings) -> int:
    from warden.platform.kafka import read_topic
    from warden.platform.kafka_options import client_options
    from warden.platform.topics import DEAD_LETTER

    if args.kept:
        return _write_kept(args, settings)
    bootstrap = args.bootstrap or settings.kafka_bootstrap
    if not bootstrap:
        raise OSError("no broker: pass --bootstrap or set WARDEN_KAFKA_BOOTSTRAP")
    records = read_topic(bootstrap, DEAD_LETTER, args.timeout, 10**9, client_options(settings))
    views = [dead_letter_view(r) for r in records]
    views.sort(key=lambda v: (v["time"], v["partition"], v["offset"]))
    views = once_each(views)
    for view in views[-args.limit :] if args.limit else views:
        if args.json:
            print(json.dumps(view, sort_keys=True))
            continue
        origin = ", ".join(f"{k}={v}" for k, v in view["origin"].items())
        print(f"{view['time']}  [{view['partition']}]@{view['offset']}  key={view['key']!r}")
        print(f"  reason: {view['reason']}")
        print(f"  from:   {origin or '(no origin headers)'}")
        print(f"  value:  {_value_line(view)}")
    print(f"{len(views)} dead letter(s) on {DEAD_LETTER}", file=sys.stderr)
    return 0


def _write_kept(args: argparse.Namespace, settings: Settings) -> int:
    """Write the whole value the compliance database keeps of dead letter `args.kept` (its
    warden.dlq.id) to `args.out`, or to standard output."""
    from sqlalchemy import select

    from warden.compliance.storage import schema
    from warden.platform.db import open_existing
    from warden.platform.deadletter import stored_value
    from warden.platform.topics import DEAD_LETTER

    table = schema.outbox.table
    url = args.db_url or settings.db_url("compliance")
    engine = open_existing(url, table.name, "compliance database")
    try:
        with engine.connect() as conn:
            payload = conn.execute(
                select(table.c.payload).where(
                    table.c.event_id == args.kept, table.c.topic == DEAD_LETTER
                )
            ).scalar()
    finally:
        engine.dispose()
    if payload is None:
        raise OSError(f"no dead letter {args.kept!r} in the compliance database")
    value = stored_value(payload)
    if args.out:
        with open(args.out, "wb") as out:
            out.write(value)
        print(f"{len(value)} bytes of {args.kept} written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(value)
        sys.stdout.flush()
    return 0
