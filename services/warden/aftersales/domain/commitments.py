"""Service commitments (4.2.2): per priority, the time to first response and to resolution."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from warden.errors import InvalidArgument

PRIORITIES = ("p1", "p2", "p3", "p4")


@dataclass(frozen=True)
class Commitment:
    first_response: timedelta
    resolution: timedelta


DEFAULT_TABLE: dict[str, Commitment] = {
    "p1": Commitment(timedelta(hours=1), timedelta(hours=8)),
    "p2": Commitment(timedelta(hours=4), timedelta(days=2)),
    "p3": Commitment(timedelta(hours=24), timedelta(days=5)),
    "p4": Commitment(timedelta(hours=72), timedelta(days=10)),
}


class CommitmentTable:
    """Looks up a priority's commitment and computes a ticket's due times."""

    def __init__(self, table: dict[str, Commitment] | None = None) -> None:
        self.table = dict(DEFAULT_TABLE if table is None else table)

    def due(self, priority: str, received_at: datetime) -> tuple[datetime, datetime]:
        commitment = self.table.get(priority)
        if commitment is None:
            raise InvalidArgument(
                "priority", f"{priority!r} is not one of {', '.join(sorted(self.table))}"
            )
        return received_at + commitment.first_response, received_at + commitment.resolution


def parse_table(doc: object, origin: str) -> dict[str, Commitment]:
    """{"p1": {"first_response_hours": 1, "resolution_hours": 8}, ...} -> the table.

    Priorities left out keep their default; errors name `origin` and the entry."""
    if not isinstance(doc, dict):
        raise ValueError(f"{origin}: expected an object of priorities")
    table = dict(DEFAULT_TABLE)
    for priority, entry in doc.items():
        try:
            first = float(entry["first_response_hours"])
            resolution = float(entry["resolution_hours"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"{origin}: {priority!r} needs numeric first_response_hours and resolution_hours"
            ) from None
        if first <= 0 or resolution < first:
            raise ValueError(f"{origin}: {priority!r} needs 0 < first_response <= resolution")
        table[str(priority)] = Commitment(timedelta(hours=first), timedelta(hours=resolution))
    return table


def load_table(path: Path | str | None) -> CommitmentTable:
    """The default table, overridden by the JSON file at `path` when one is given."""
    if not path:
        return CommitmentTable()
    file = Path(path)
    try:
        doc = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{file}: cannot read the priority table: {exc}") from None
    return CommitmentTable(parse_table(doc, str(file)))
