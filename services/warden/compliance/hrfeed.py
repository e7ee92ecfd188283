"""A reference HR consumer: takes each genuine decision once (by CloudEvent id), keeps who
stands, and reports every record not signed by Warden's key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from warden.platform.signing import BadSignature, Verifier


@dataclass
class HrLedger:
    """What an HR system should do with `hr.penalty-decisions`: de-duplicate by CloudEvent id
    (delivery is at-least-once), and let a decision with `replaces` supersede the earlier one,
    also when the earlier one arrives after it (a republished event can)."""

    seen: set[str] = field(default_factory=set)
    records: list[dict[str, Any]] = field(default_factory=list)
    standing: dict[str, dict[str, Any]] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)  # decision ids a later decision replaced
    duplicates: int = 0
    forged: list[str] = field(default_factory=list)  # 'partition P offset O: why', left aside

    def take(self, event: dict[str, Any]) -> bool:
        """Apply one CloudEvent; False (and nothing changes) when its id was applied before.
        A decision already replaced by one applied earlier is recorded but does not stand."""
        if event["id"] in self.seen:
            self.duplicates += 1
            return False
        self.seen.add(event["id"])
        data = event["data"]
        self.records.append(data)
        if data.get("replaces"):
            self.replaced.add(data["replaces"])
        if data["decision_id"] in self.replaced:
            return True
        if data["outcome"] == "dismissed":
            self.standing.pop(data["case_id"], None)
        else:
            self.standing[data["case_id"]] = data
        return True

    def follow(self, records: Iterable[Any], verifier: Verifier) -> list[dict[str, Any]]:
        """Take the records of `hr.penalty-decisions` in order: a record whose signature does
        not hold is forged, reported by offset and never applied, so it can neither stand
        nor make the genuine decision of its id look like a redelivery. The decisions newly
        applied, in order."""
        applied = []
        for record in records:
            try:
                event = verifier.check(record.value)
            except BadSignature as exc:
                self.forged.append(f"partition {record.partition} offset {record.offset}: {exc}")
                continue
            if self.take(event):
                applied.append(event["data"])
        return applied
