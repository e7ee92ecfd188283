"""Rows of targets, opportunities, their stage changes and documents."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from warden.money import Money
from warden.platform.db import lock_row
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.targets import Quota, Target
from warden.sales.storage.store import dumps
from warden.sales.storage.tables import documents, opportunities, stage_changes, target_revisions


def add_target(conn: Connection, target: Target, event_id: str) -> None:
    number = conn.execute(
        select(func.count()).where(
            target_revisions.c.year == target.year, target_revisions.c.team == target.team
        )
    ).scalar_one()
    quotas = [[q.salesperson_id, q.amount.amount_minor] for q in target.quotas]
    conn.execute(
        target_revisions.insert().values(
            revision_id=target.revision_id,
            year=target.year,
            team=target.team,
            number=number + 1,
            currency=target.team_target.currency,
            team_target_minor=target.team_target.amount_minor,
            quotas_json=dumps(quotas),
            difference_accepted=target.difference_accepted,
            set_by=target.set_by,
            reason=target.reason,
            set_at=target.set_at,
            event_id=event_id,
        )
    )


def _target(row: Any) -> Target:
    quotas = tuple(
        Quota(sid, Money(amount, row.currency)) for sid, amount in json.loads(row.quotas_json)
    )
    return Target(
        row.revision_id,
        row.year,
        row.team,
        Money(row.team_target_minor, row.currency),
        quotas,
        row.difference_accepted,
        row.set_by,
        row.reason,
        row.set_at,
    )


def target_revisions_of(conn: Connection, year: int, team: str) -> list[tuple[Target, str]]:
    """Every revision of a team's target for a year, oldest first, with its event id."""
    rows = conn.execute(
        select(target_revisions)
        .where(target_revisions.c.year == year, target_revisions.c.team == team)
        .order_by(target_revisions.c.number)
    )
    return [(_target(row), row.event_id) for row in rows]


def current_target(conn: Connection, year: int, team: str) -> Target | None:
    revisions = target_revisions_of(conn, year, team)
    return revisions[-1][0] if revisions else None


def target_by_revision(conn: Connection, revision_id: str) -> tuple[Target, str]:
    row = conn.execute(
        select(target_revisions).where(target_revisions.c.revision_id == revision_id)
    ).one()
    return _target(row), row.event_id


def add_opportunity(conn: Connection, opp: Opportunity) -> None:
    conn.execute(
        opportunities.insert().values(**_opportunity_values(opp), opportunity_id=opp.opportunity_id)
    )


def put_stage(conn: Connection, opp: Opportunity) -> None:
    conn.execute(
        opportunities.update()
        .where(opportunities.c.opportunity_id == opp.opportunity_id)
        .values(stage=opp.stage)
    )


def _opportunity_values(opp: Opportunity) -> dict[str, Any]:
    return {
        "customer_id": opp.customer_id,
        "salesperson_id": opp.salesperson_id,
        "title": opp.title,
        "currency": opp.estimated_value.currency,
        "estimated_minor": opp.estimated_value.amount_minor,
        "stage": opp.stage,
        "created_at": opp.created_at,
    }


def _opportunity(row: Any) -> Opportunity:
    return Opportunity(
        row.opportunity_id,
        row.customer_id,
        row.salesperson_id,
        row.title,
        Money(row.estimated_minor, row.currency),
        row.stage,
        row.created_at,
    )


def get_opportunity(
    conn: Connection, opportunity_id: str, lock: bool = False
) -> Opportunity | None:
    """The opportunity; `lock` holds its row until the transaction ends."""
    query = select(opportunities).where(opportunities.c.opportunity_id == opportunity_id)
    if lock:
        lock_row(conn, opportunities, "opportunity_id", opportunity_id)
    row = conn.execute(query).first()
    return _opportunity(row) if row else None


def opportunities_of(conn: Connection, salesperson_ids: list[str]) -> list[Opportunity]:
    rows = conn.execute(
        select(opportunities)
        .where(opportunities.c.salesperson_id.in_(salesperson_ids))
        .order_by(opportunities.c.created_at)
    )
    return [_opportunity(row) for row in rows]


def add_stage_change(conn: Connection, change: StageChange, event_id: str) -> None:
    conn.execute(
        stage_changes.insert().values(
            change_id=change.change_id,
            opportunity_id=change.opportunity_id,
            seq=change.seq,
            from_stage=change.from_stage,
            to_stage=change.to_stage,
            skipped=change.skipped,
            backwards=change.backwards,
            changed_by=change.changed_by,
            reason=change.reason,
            changed_at=change.changed_at,
            event_id=event_id,
        )
    )


def _change(row: Any) -> StageChange:
    return StageChange(
        row.change_id,
        row.opportunity_id,
        row.seq,
        row.from_stage,
        row.to_stage,
        row.skipped,
        row.backwards,
        row.changed_by,
        row.reason,
        row.changed_at,
    )


def history(conn: Connection, opportunity_ids: list[str]) -> dict[str, list[StageChange]]:
    """Each opportunity's stage changes in order."""
    rows = conn.execute(
        select(stage_changes)
        .where(stage_changes.c.opportunity_id.in_(opportunity_ids))
        .order_by(stage_changes.c.opportunity_id, stage_changes.c.seq)
    )
    found: dict[str, list[StageChange]] = {oid: [] for oid in opportunity_ids}
    for row in rows:
        found[row.opportunity_id].append(_change(row))
    return found


def stage_change(conn: Connection, change_id: str) -> tuple[StageChange, str]:
    row = conn.execute(select(stage_changes).where(stage_changes.c.change_id == change_id)).one()
    return _change(row), row.event_id


def add_document(conn: Connection, doc: Document, event_id: str) -> None:
    conn.execute(
        documents.insert().values(
            document_id=doc.document_id,
            opportunity_id=doc.opportunity_id,
            stage=doc.stage,
            name=doc.name,
            doc_type=doc.doc_type,
            sha256=doc.sha256,
            location=doc.location,
            archived_by=doc.archived_by,
            archived_at=doc.archived_at,
            event_id=event_id,
        )
    )


def _document(row: Any) -> Document:
    return Document(
        row.document_id,
        row.opportunity_id,
        row.stage,
        row.name,
        row.doc_type,
        row.sha256,
        row.location,
        row.archived_by,
        row.archived_at,
    )


def documents_of(conn: Connection, opportunity_id: str) -> list[Document]:
    rows = conn.execute(
        select(documents)
        .where(documents.c.opportunity_id == opportunity_id)
        .order_by(documents.c.archived_at)
    )
    return [_document(row) for row in rows]


def document(conn: Connection, document_id: str) -> tuple[Document, str]:
    row = conn.execute(select(documents).where(documents.c.document_id == document_id)).one()
    return _document(row), row.event_id
