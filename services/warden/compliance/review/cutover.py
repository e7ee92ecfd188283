"""The cut-over to signing: records a deployment published before it signed stay readable as
legacy, and nothing written to a signed topic afterwards can pass as one of them.

When the compliance service first starts with a signing key, for each signed topic (HR
decisions, audit anchors) it signs the rows its outbox still holds unsigned, reads the end
offset of each partition of the topic, and publishes a signed `signing.started` marker
carrying those offsets (and, for the anchors, the last anchor recorded before signing). A
reader then sorts every record of the topic: signed with the key, genuine; unsigned at an
offset before the end its partition had when signing began (by a genuine marker), legacy;
anything else, forged. A forged marker is itself unsigned or wrongly signed, so it is forged
and moves no boundary; a genuine marker copied later says the same offsets, and the smallest
offsets of all genuine markers count, so a copy can only narrow what is legacy.

The marker is made once per topic and key: `signing_markers` keeps it (its primary key lets
one of several replicas starting together make it), and the outbox keeps nothing for ever."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from warden.compliance.storage import schema
from warden.contract.compliance import SIGNING_STARTED, SOURCE
from warden.platform.cloudevents import CloudEvent, format_time
from warden.platform.signing import KEY_ID, SIGNATURE, BadSignature, Signer, Verifier
from warden.platform.topics import AUDIT_ANCHORS, HR_PENALTY_DECISIONS

log = logging.getLogger(__name__)

SIGNED_TOPICS = (HR_PENALTY_DECISIONS, AUDIT_ANCHORS)
LEGACY = "legacy, unsigned, before signing began"


def marker_event_id(topic: str, key_id: str) -> str:
    return f"signing-started-{key_id}-{topic}"[:64]


def marker_event(
    topic: str,
    chain: str,
    key_id: str,
    legacy_before: dict[int, int],
    anchor_seq: int,
    at: datetime,
) -> CloudEvent:
    return CloudEvent(
        id=marker_event_id(topic, key_id),
        type=SIGNING_STARTED,
        source=SOURCE,
        subject=chain,
        time=at,
        data={
            "topic": topic,
            "chain": chain,
            "key_id": key_id,
            "legacy_before": {str(p): o for p, o in sorted(legacy_before.items())},
            "legacy_anchor_seq": anchor_seq,
            "started_at": format_time(at),
        },
    )


def start_signing(
    engine: Engine,
    signer: Signer,
    chain: str,
    end_offsets: Callable[[str], dict[int, int]],
    now: datetime,
) -> list[str]:
    """Make each signed topic's marker unless made already (by this process before, or by a
    replica); the topics whose marker this call made. Runs before the outbox relay starts,
    so the unsigned rows it signs are not being published meanwhile."""
    made = []
    for topic in SIGNED_TOPICS:
        try:
            with engine.begin() as conn:
                if _marked(conn, topic, signer.key_id):
                    continue
                _sign_pending(conn, topic, signer)
                _mark(conn, topic, chain, signer, end_offsets(topic), now)
        except IntegrityError:
            with engine.connect() as conn:
                if not _marked(conn, topic, signer.key_id):
                    raise
            log.info("signing on %s began at another replica meanwhile", topic)
            continue
        made.append(topic)
        log.info(
            "signing began on %s (key %s): its signing-started marker is queued",
            topic,
            signer.key_id,
        )
    return made


def _marked(conn: Connection, topic: str, key_id: str) -> bool:
    table = schema.signing_markers
    found = conn.execute(
        select(table.c.topic).where(table.c.topic == topic, table.c.key_id == key_id)
    ).first()
    return found is not None


def _sign_pending(conn: Connection, topic: str, signer: Signer) -> None:
    """Sign the rows of `topic` an older Warden queued unsigned and no relay published yet:
    published after the marker, they would otherwise read as forged."""
    table = schema.outbox.table
    rows = conn.execute(
        select(table.c.seq, table.c.payload).where(
            table.c.topic == topic, table.c.published_at.is_(None)
        )
    ).all()
    for row in rows:
        doc = json.loads(row.payload)
        if SIGNATURE in doc:
            continue
        conn.execute(
            update(table)
            .where(table.c.seq == row.seq)
            .values(payload=CloudEvent.json_of(signer.sign_doc(doc)))
        )


def _mark(
    conn: Connection,
    topic: str,
    chain: str,
    signer: Signer,
    legacy_before: dict[int, int],
    now: datetime,
) -> None:
    anchor_seq = 0
    if topic == AUDIT_ANCHORS:
        anchor_seq = conn.execute(select(func.max(schema.audit_anchors.c.seq))).scalar() or 0
    event = marker_event(topic, chain, signer.key_id, legacy_before, anchor_seq, now)
    conn.execute(
        schema.signing_markers.insert().values(
            topic=topic,
            key_id=signer.key_id,
            event_id=event.id,
            legacy_before=json.dumps(event.data["legacy_before"], sort_keys=True),
            legacy_anchor_seq=anchor_seq,
            recorded_at=now,
        )
    )
    schema.outbox.add(conn, topic, signer.sign(event), key=chain)


@dataclass(frozen=True)
class Marker:
    """Where signing began on a topic, as its genuine markers say (the smallest of each)."""

    legacy_before: dict[int, int]
    legacy_anchor_seq: int

    def legacy(self, partition: int, offset: int) -> bool:
        return offset < self.legacy_before.get(partition, 0)


@dataclass
class Sorted:
    """A signed topic's records sorted by trust, each kept with the record it came from and
    its place as 'partition P offset O'."""

    genuine: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    legacy: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    forged: list[tuple[Any, str]] = field(default_factory=list)  # the record, and why
    marker: Marker | None = None
    markers: int = 0  # genuine markers read


def where(record: Any) -> str:
    return f"partition {record.partition} offset {record.offset}"


def _doc(raw: bytes | None) -> dict[str, Any] | None:
    try:
        doc = json.loads(raw or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def _is_marker(doc: dict[str, Any] | None) -> bool:
    return doc is not None and doc.get("type") == SIGNING_STARTED


def is_marker(raw: bytes | None) -> bool:
    """Whether a record claims to be a signing-started marker (genuine or not)."""
    return _is_marker(_doc(raw))


def sort_records(
    records: Iterable[Any], topic: str, verifier: Verifier, chain: str | None = None
) -> Sorted:
    """Sort `topic`'s records: markers first (a marker of another chain, when `chain` is
    given, is left aside), then every other record against the boundary they set."""
    records = list(records)
    sorted_ = Sorted()
    found: list[Marker] = []
    for record in records:
        doc = _doc(record.value)
        if not _is_marker(doc):
            continue
        assert doc is not None
        raw = doc.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if chain is not None and data.get("chain") != chain:
            continue
        try:
            verifier.check(record.value)
            found.append(_marker_of(data, topic))
        except (BadSignature, ValueError) as exc:
            sorted_.forged.append((record, f"a signing-started marker: {exc}"))
    sorted_.markers = len(found)
    sorted_.marker = _narrowest(found)
    for record in records:
        doc = _doc(record.value)
        if _is_marker(doc):
            continue
        try:
            sorted_.genuine.append((record, verifier.check(record.value)))
        except BadSignature as exc:
            _unsigned(sorted_, record, doc, str(exc))
    return sorted_


def _unsigned(sorted_: Sorted, record: Any, doc: dict[str, Any] | None, why: str) -> None:
    marker = sorted_.marker
    unsigned = doc is not None and SIGNATURE not in doc and KEY_ID not in doc
    if unsigned and marker is not None and marker.legacy(record.partition, record.offset):
        sorted_.legacy.append((record, doc or {}))
    elif unsigned and marker is not None:
        boundary = marker.legacy_before.get(record.partition, 0)
        why = f"unsigned, after signing began (at offset {boundary} of its partition)"
        sorted_.forged.append((record, why))
    elif unsigned:
        sorted_.forged.append((record, f"{why}, and no signing-started marker on the topic"))
    else:
        sorted_.forged.append((record, why))


def _marker_of(data: dict[str, Any], topic: str) -> Marker:
    """A genuine marker's boundary, or ValueError when it is for another topic or malformed."""
    if data.get("topic") != topic:
        raise ValueError(f"signed for topic {data.get('topic')!r}, read on {topic}")
    ends, seq = data.get("legacy_before"), data.get("legacy_anchor_seq")
    if not isinstance(ends, dict) or not isinstance(seq, int) or isinstance(seq, bool):
        raise ValueError("no legacy_before offsets or legacy_anchor_seq")
    try:
        before = {int(p): int(o) for p, o in ends.items()}
    except (TypeError, ValueError):
        raise ValueError(f"legacy_before {ends!r} is not offsets by partition") from None
    return Marker(before, seq)


def _narrowest(markers: list[Marker]) -> Marker | None:
    if not markers:
        return None
    partitions = set().union(*(m.legacy_before for m in markers))
    return Marker(
        {p: min(m.legacy_before.get(p, 0) for m in markers) for p in partitions},
        min(m.legacy_anchor_seq for m in markers),
    )
