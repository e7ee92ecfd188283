"""Columns to and from domain values shared by cases and decisions, and ids in IN-sized chunks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

from warden.compliance.domain.sanctions import Sanction, SanctionKind

T = TypeVar("T")
IN_CLAUSE_LIMIT = 500  # ids per IN (...): well under every backend's bound-parameter limit


def in_chunks(items: list[T]) -> Iterator[list[T]]:
    """`items` in slices of at most IN_CLAUSE_LIMIT: one IN (...) query each."""
    for start in range(0, len(items), IN_CLAUSE_LIMIT):
        yield items[start : start + IN_CLAUSE_LIMIT]


def sanction_columns(sanction: Sanction | None) -> dict[str, Any]:
    return {
        "sanction_kind": sanction.kind.value if sanction else None,
        "sanction_amount_minor": sanction.amount_minor if sanction else 0,
        "sanction_currency": sanction.currency if sanction else "",
        "sanction_days": sanction.days if sanction else 0,
    }


def sanction_from(row: Any) -> Sanction | None:
    if not row.sanction_kind:
        return None
    return Sanction(
        SanctionKind(row.sanction_kind),
        row.sanction_amount_minor,
        row.sanction_currency,
        row.sanction_days,
    )


def names_json(names: tuple[str, ...]) -> str | None:
    return json.dumps(list(names)) if names else None


def names_from(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()
