"""A reference HR consumer: takes each genuine decision once (by CloudEvent id), keeps who
stands, and reports every record not signed by Warden's key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from warden.compliance.review.cutover import LEGACY, sort_records, where
from warden.platform.signing import Verifier
from warden.platform.topics import HR_PENALTY_DECISIONS


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
    legacy: list[str] = field(default_factory=list)  # unsigned, before signing began
    legacy_records: list[dict[str, Any]] = field(default_factory=list)  # those applied
    signed_cases: set[str] = field(default_factory=set)

    def take(self, event: dict[str, Any]) -> bool:
        """Apply one CloudEvent; False (and nothing changes) when its id was applied before.
        A decision already replaced by one applied earlier is recorded but does not stand."""
        if event["id"] in self.seen:
            self.duplicates += 1
            return False
        self.seen.add(event["id"])
        self.records.append(event["data"])
        self._apply(event["data"])
        return True

    def _apply(self, data: dict[str, Any]) -> None:
        if data.get("replaces"):
            self.replaced.add(data["replaces"])
        if data.get("decision_id") in self.replaced:
            return
        if data.get("outcome") == "dismissed":
            self.standing.pop(data["case_id"], None)
        else:
            self.standing[data["case_id"]] = data

    def follow(
        self, records: Iterable[Any], verifier: Verifier, legacy: bool = False
    ) -> list[dict[str, Any]]:
        """Take the records of `hr.penalty-decisions` in order: a record whose signature does
        not hold is forged, reported by offset and never applied, so it can neither stand
        nor make the genuine decision of its id look like a redelivery. An unsigned record
        published before signing began (compliance/review/cutover.py) is legacy: reported, and
        applied after the signed ones only when `legacy` asks, never over a signed decision.
        The decisions newly applied, in order."""
        sorted_ = sort_records(records, HR_PENALTY_DECISIONS, verifier)
        self.forged.extend(f"{where(record)}: {why}" for record, why in sorted_.forged)
        self.legacy.extend(
            f"{where(record)}: decision {doc.get('id')}: {LEGACY}" for record, doc in sorted_.legacy
        )
        applied = []
        for _, event in sorted_.genuine:
            if self.take(event):
                self.signed_cases.add(event["data"]["case_id"])
                applied.append(event["data"])
        if legacy:
            applied += [doc["data"] for _, doc in sorted_.legacy if self.take_legacy(doc)]
        return applied

    def take_legacy(self, event: dict[str, Any]) -> bool:
        """Apply one legacy record as `take` does, except that it never stands for, dismisses
        or replaces anything in a case a signed decision was taken in."""
        data = event.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("case_id"), str):
            return False
        if event.get("id") in self.seen:
            self.duplicates += 1
            return False
        self.seen.add(event["id"])
        self.legacy_records.append(data)
        if data["case_id"] not in self.signed_cases:
            self._apply(data)
        return True
