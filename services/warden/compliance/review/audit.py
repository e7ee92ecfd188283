"""The tamper-evident audit chain: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
ACTIONS = (
    "created",
    "claimed",
    "commented",
    "decided",
    "proposed",
    "confirmed",
    "rejected",
    "amended",
    "dismissed",
    "appealed",
    "snoozed",
    "unsnoozed",
    "suppressed",
)


@dataclass(frozen=True)
class Entry:
    seq: int
    case_id: str
    actor: str
    action: str
    at: datetime
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    """The first entry whose chain does not hold, and what does not match."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.problem}"


def _stamp(at: datetime) -> str:
    """The entry's time as hashed: 'YYYY-MM-DDTHH:MM:SS.ffffffZ' in UTC. isoformat writes it in C
    (a case is opened for about two events in five); strftime, which entries were hashed with
    first, writes a year before 1000 without its leading zeros, so it keeps those."""
    utc = at.astimezone(UTC)
    if utc.year < 1000:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def digest(
    seq: int,
    case_id: str,
    actor: str,
    action: str,
    at: datetime,
    details: Mapping[str, Any],
    prev_hash: str,
) -> str:
    """sha256 over the canonical JSON (sorted keys, no spaces) of the entry and prev_hash."""
    canonical = json.dumps(
        {
            "seq": seq,
            "case_id": case_id,
            "actor": actor,
            "action": action,
            "at": _stamp(at),
            "details": details,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def verify(entries: Iterable[Entry]) -> tuple[int, Break | None]:
    """Walk the chain in seq order: (entries checked, the first break or None)."""
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return count, Break(entry.seq, f"expected seq {expected_seq} (an entry was removed)")
        if entry.prev_hash != expected_prev:
            return count, Break(entry.seq, "prev_hash does not match the previous entry's hash")
        recomputed = digest(
            entry.seq,
            entry.case_id,
            entry.actor,
            entry.action,
            entry.at,
            entry.details,
            entry.prev_hash,
        )
        if recomputed != entry.hash:
            return count, Break(
                entry.seq,
                f"content does not match its hash (case {entry.case_id}, action {entry.action})",
            )
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return count, None


@dataclass(frozen=True)
class Anchor:
    """The chain's end as it was published outside the database (`warden.audit-anchors`): an
    entry's seq and hash, and when it was published. Whoever can write the database can
    rewrite the whole chain, hashes and all, or cut entries off its end, and `verify` would
    still find it whole; the anchors already on Kafka would not match."""

    seq: int
    hash: str
    anchored_at: datetime
    chain: str = ""  # whose chain: the deployment's consumer group (WARDEN_CONSUMER_GROUP)


def check_anchors(entries: Iterable[Entry], anchors: Iterable[Anchor]) -> list[Break]:
    """Each anchor whose entry is no longer in the chain, or no longer has the anchored hash,
    as a Break (by seq); none when every anchor matches."""
    hashes = {entry.seq: entry.hash for entry in entries}
    end = max(hashes, default=0)
    breaks = []
    for anchor in sorted(anchors, key=lambda a: (a.seq, a.anchored_at)):
        when = _stamp(anchor.anchored_at)
        if anchor.seq > end:
            breaks.append(
                Break(
                    anchor.seq,
                    f"anchored at {when}, but the chain ends at entry {end}: "
                    "entries were removed from its end",
                )
            )
        elif anchor.seq not in hashes:
            breaks.append(Break(anchor.seq, f"anchored at {when}, but missing from the chain"))
        elif hashes[anchor.seq] != anchor.hash:
            breaks.append(
                Break(
                    anchor.seq,
                    f"its hash is not the one anchored at {when} "
                    f"({hashes[anchor.seq][:12]}... against {anchor.hash[:12]}...): "
                    "the chain was rewritten",
                )
            )
    return breaks
