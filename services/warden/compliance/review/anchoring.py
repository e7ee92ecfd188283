"""Audit anchors: the audit chain's end published outside the database, now and then.

The hash chain (compliance/review/audit.py) shows an entry changed in place, or removed from the
middle. It cannot show a chain rewritten from some entry on, hashes recomputed, or entries cut
off its end: whoever can write the database can do either, and the chain still verifies. So
every `WARDEN_AUDIT_ANCHOR_INTERVAL_S` the compliance service publishes the chain's last entry
(seq and hash), when it moved, to `warden.audit-anchors` through its outbox; `warden audit
verify --anchors` checks the chain against every anchor of its deployment on the topic
(audit.check_anchors). An anchor on Kafka is out of reach of a database administrator.

A deployment's chain is named by its consumer group (`WARDEN_CONSUMER_GROUP`), which its
replicas share and which lives in its configuration, not in the database: a cluster may carry
the anchors of several deployments (staging and production, tests)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.exc import IntegrityError

from warden.compliance.review import audit, cutover
from warden.compliance.storage import audit_store, schema
from warden.contract.compliance import AUDIT_ANCHORED, SOURCE
from warden.platform.cloudevents import CloudEvent, MalformedEvent, format_time, parse, parse_time
from warden.platform.runtime import Patience
from warden.platform.signing import Signer, Verifier
from warden.platform.topics import AUDIT_ANCHORS

log = logging.getLogger(__name__)

_LAST_ANCHOR = (
    select(
        schema.audit_anchors.c.seq, schema.audit_anchors.c.hash, schema.audit_anchors.c.anchored_at
    )
    .order_by(schema.audit_anchors.c.seq.desc())
    .limit(1)
)
_HASH_OF = select(schema.audit_log.c.hash).where(schema.audit_log.c.seq == bindparam("seq"))


class ChainChanged(Exception):
    """The chain no longer holds the entry last anchored, as it was anchored."""


def anchor_event_id(chain: str, seq: int) -> str:
    """The anchor's event id: from the chain and the entry, so it is published once. It is an
    outbox key of at most 64 characters: a chain (consumer group) too long for that is named
    by its uuid5 instead."""
    plain = f"audit-anchor-{chain}-{seq}"
    if len(plain) <= ANCHOR_ID_MAX:
        return plain
    return f"audit-anchor-{uuid.uuid5(uuid.NAMESPACE_URL, chain)}-{seq}"


ANCHOR_ID_MAX = 64  # schema.outbox's event_id


def anchor_event(anchor: audit.Anchor) -> CloudEvent:
    """The anchor as published: its id derives from the entry, so it is published once."""
    return CloudEvent(
        id=anchor_event_id(anchor.chain, anchor.seq),
        type=AUDIT_ANCHORED,
        source=SOURCE,
        subject=anchor.chain,
        time=anchor.anchored_at,
        data={
            "chain": anchor.chain,
            "seq": anchor.seq,
            "hash": anchor.hash,
            "anchored_at": format_time(anchor.anchored_at),
        },
    )


def anchor_from(value: bytes) -> audit.Anchor:
    """An anchor read back from the topic, or ValueError saying what is wrong with it."""
    try:
        event = parse(value)
    except MalformedEvent as exc:
        raise ValueError(str(exc)) from None
    if event.type != AUDIT_ANCHORED:
        raise ValueError(f"type {event.type!r}, not {AUDIT_ANCHORED}")
    data = event.data
    chain, seq = data.get("chain"), data.get("seq")
    digest, at = data.get("hash"), data.get("anchored_at")
    if not isinstance(chain, str) or not chain:
        raise ValueError(f"data.chain {chain!r} names no chain")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError(f"data.seq {seq!r} is not an entry number")
    if not isinstance(digest, str) or len(digest) != 64:
        raise ValueError(f"data.hash {digest!r} is not a sha256 hex digest")
    if not isinstance(at, str):
        raise ValueError(f"data.anchored_at {at!r} is not a time")
    try:
        return audit.Anchor(seq, digest, parse_time(at), chain)
    except ValueError as exc:
        raise ValueError(f"data.anchored_at: {exc}") from None


@dataclass(frozen=True)
class AnchorState:
    """The audit chain's length and its last anchor as this database holds them, and what
    no longer matches (None: nothing), for an overview; `warden audit verify --anchors`
    checks against the anchors on Kafka."""

    entries: int
    anchored_seq: int | None
    anchored_at: datetime | None
    changed: str | None


def state(conn: Connection) -> AnchorState:
    end = conn.execute(audit_store.AUDIT_END).first()
    entries = end.seq if end else 0
    last = conn.execute(_LAST_ANCHOR).first()
    if last is None:
        return AnchorState(entries, None, None, None)
    try:
        _check_last(conn, last)
    except ChainChanged as changed:
        return AnchorState(entries, last.seq, last.anchored_at, str(changed))
    return AnchorState(entries, last.seq, last.anchored_at, None)


def _check_last(conn: Connection, last: Any) -> None:
    """ChainChanged when the entry last anchored is gone or has another hash."""
    held = conn.execute(_HASH_OF, {"seq": last.seq}).scalar()
    if held is None:
        raise ChainChanged(f"entry {last.seq}, anchored, is no longer in the chain")
    if held != last.hash:
        raise ChainChanged(f"entry {last.seq} no longer has the hash it was anchored with")


def anchor_end(
    conn: Connection, chain: str, now: datetime, signer: Signer | None = None
) -> audit.Anchor | None:
    """In the caller's transaction: anchor the chain's last entry unless it is anchored
    already (or the chain is empty), writing the anchor and its outbox row; the anchor, or
    None. Two replicas anchoring the same entry conflict on its seq: one of them wins.
    ChainChanged when the entry last anchored is gone or has another hash: a chain cut short
    or rewritten is not anchored again (the anchors on Kafka keep showing it)."""
    last = conn.execute(_LAST_ANCHOR).first()
    if last is not None:
        _check_last(conn, last)
    end = conn.execute(audit_store.AUDIT_END).first()
    if end is None or (last is not None and last.seq >= end.seq):
        return None
    anchor = audit.Anchor(end.seq, end.hash, now, chain)
    conn.execute(
        schema.audit_anchors.insert().values(seq=anchor.seq, hash=anchor.hash, anchored_at=now)
    )
    event = anchor_event(anchor)
    schema.outbox.add(conn, AUDIT_ANCHORS, signer.sign(event) if signer else event)
    return anchor


class AuditAnchoring:
    """The compliance service's worker publishing the chain's end every `interval_s`."""

    def __init__(
        self,
        engine: Engine,
        chain: str,
        interval_s: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        signer: Signer | None = None,
        patience: Patience | None = None,
    ) -> None:
        self.engine = engine
        self.chain = chain
        self.signer = signer  # None only in tests that read no anchor back
        self.interval_s = interval_s
        self.clock = clock
        # Failing rounds are retried for this long, then end the process (`Patience`).
        self.patience = patience
        self.anchored = 0

    def anchor_once(self) -> audit.Anchor | None:
        try:
            with self.engine.begin() as conn:
                anchor = anchor_end(conn, self.chain, self.clock(), self.signer)
        except IntegrityError:
            log.info("audit chain end anchored by another replica meanwhile")
            return None
        except ChainChanged as changed:
            log.error(
                "the audit chain was changed in the database: %s; not anchored again "
                "(warden audit verify --anchors names every entry concerned)",
                changed,
            )
            return None
        if anchor is not None:
            self.anchored += 1
            log.info("audit chain anchored at entry %d (%s...)", anchor.seq, anchor.hash[:12])
        return anchor

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval_s):
            try:
                self.anchor_once()
            except Exception as exc:  # a worker loop: any failure is tried again next round
                log.exception(
                    "anchoring the audit chain failed; trying again in %g s", self.interval_s
                )
                if self.patience is not None:
                    self.patience.failed(exc)
                continue
            if self.patience is not None:
                self.patience.succeeded()


@dataclass
class AnchorsRead:
    """What the anchors topic holds for one chain: its genuine anchors, its legacy ones
    (unsigned, published before signing began: compliance/review/cutover.py), and the records left
    aside, each as 'partition P offset O: why'. `legacy_through` is the last anchor the
    database had recorded when signing began, as the chain's genuine marker says (None: no
    marker read)."""

    anchors: list[audit.Anchor]
    others: set[str]  # the chains of other deployments met on the topic
    unreadable: list[str]
    forged: list[str]
    legacy: list[audit.Anchor] = field(default_factory=list)
    legacy_through: int | None = None


def read_anchors(records: Iterable[Any], chain: str, verifier: Verifier) -> AnchorsRead:
    """The anchors of `chain` among records of the topic whose signature holds. A record
    that is no anchor is unreadable; an anchor of this chain not signed with this
    deployment's key is legacy when unsigned and published before signing began, else
    forged: reported, and never taken as an anchor."""
    read = AnchorsRead([], set(), [], [])
    ours, anchor_of = [], {}
    for record in records:
        if cutover.is_marker(record.value):
            ours.append(record)
            continue
        try:
            anchor = anchor_from(record.value or b"")
        except ValueError as exc:
            read.unreadable.append(f"{cutover.where(record)}: {exc}")
            continue
        if anchor.chain != chain:
            read.others.add(anchor.chain)
            continue
        ours.append(record)
        anchor_of[id(record)] = anchor
    sorted_ = cutover.sort_records(ours, AUDIT_ANCHORS, verifier, chain)
    read.anchors = [anchor_of[id(record)] for record, _ in sorted_.genuine]
    read.legacy = [anchor_of[id(record)] for record, _ in sorted_.legacy]
    for record, why in sorted_.forged:
        known = anchor_of.get(id(record))
        entry = f"entry {known.seq}: " if known else ""
        read.forged.append(f"{cutover.where(record)}: {entry}{why}")
    if sorted_.marker is not None:
        read.legacy_through = sorted_.marker.legacy_anchor_seq
    return read


def sent_anchors(conn: Connection, chain: str) -> list[tuple[int, str]]:
    """(seq, hash) of each anchor this database recorded and the relay has sent to Kafka."""
    recorded = conn.execute(
        select(schema.audit_anchors.c.seq, schema.audit_anchors.c.hash).order_by(
            schema.audit_anchors.c.seq
        )
    ).all()
    unsent = set(
        conn.execute(
            select(schema.outbox.table.c.event_id).where(
                schema.outbox.table.c.topic == AUDIT_ANCHORS,
                schema.outbox.table.c.published_at.is_(None),
            )
        ).scalars()
    )
    return [
        (row.seq, row.hash) for row in recorded if anchor_event_id(chain, row.seq) not in unsent
    ]


def missing_on_kafka(
    sent: Iterable[tuple[int, str]], chain: str, read: AnchorsRead
) -> tuple[list[str], list[str]]:
    """Each anchor sent to Kafka (sent_anchors) that no genuine anchor on the topic matches:
    broken, unless it was recorded before signing began (by the chain's genuine marker), when
    an unsigned copy on the topic or none at all is noted (a topic an older Warden made may
    have expired it). (broken, notes)."""
    signed = {(a.seq, a.hash) for a in read.anchors}
    legacy = {(a.seq, a.hash) for a in read.legacy}
    broken, notes = [], []
    for seq, digest in sent:
        if (seq, digest) in signed:
            continue
        if read.legacy_through is not None and seq <= read.legacy_through:
            if (seq, digest) not in legacy:
                notes.append(
                    f"audit entry {seq}: anchored before signing began; its unsigned anchor "
                    f"is no longer on {AUDIT_ANCHORS}"
                )
            continue
        broken.append(
            f"audit entry {seq}: anchored in the database, but no signed anchor of chain "
            f"{chain} on {AUDIT_ANCHORS} has it: the anchor was removed from Kafka"
        )
    return broken, notes
