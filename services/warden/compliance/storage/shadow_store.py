"""Shadow findings (what a candidate rule version would have found) and their counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from warden.compliance.domain.findings import Finding
from warden.compliance.storage.case_store import finding_from, finding_row
from warden.compliance.storage.schema import findings, shadow_findings

_INSERT_SHADOW_FINDING = shadow_findings.insert()


def add_shadow_finding(conn: Connection, finding: Finding) -> None:
    conn.execute(_INSERT_SHADOW_FINDING, finding_row(finding))


def list_shadow_findings(
    conn: Connection,
    rule_id: str = "",
    since: datetime | None = None,
    limit: int | None = 1000,
    newest_first: bool = False,
    until: datetime | None = None,
) -> list[Finding]:
    """Shadow findings that occurred in [since, until) (either bound optional), oldest first
    (newest first on request), at most `limit` (None: all)."""
    order = shadow_findings.c.occurred_at
    query = select(shadow_findings).order_by(order.desc() if newest_first else order).limit(limit)
    if rule_id:
        query = query.where(shadow_findings.c.rule_id == rule_id)
    if since is not None:
        query = query.where(shadow_findings.c.occurred_at >= since)
    if until is not None:
        query = query.where(shadow_findings.c.occurred_at < until)
    return [finding_from(row) for row in conn.execute(query)]


def finding_counts(conn: Connection) -> dict[tuple[str, int, str], int]:
    """How many findings each rule version made, by mode: {(rule_id, version, mode): n}."""
    counts: dict[tuple[str, int, str], int] = {}
    for table, mode in ((findings, "active"), (shadow_findings, "shadow")):
        query = select(table.c.rule_id, table.c.rule_version, func.count()).group_by(
            table.c.rule_id, table.c.rule_version
        )
        for rule_id, version, n in conn.execute(query):
            counts[(rule_id, version, mode)] = n
    return counts
