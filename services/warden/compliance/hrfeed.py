"""A reference HR consumer: takes each decision once (by CloudEvent id) and keeps who stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
