"""Rows of targets, opportunities, their stage changes and documents."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from warden.platform.db import lock_row
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.targets import Target
from warden.sales.storage import rows
from warden.sales.storage.tables import documents, opportunities, stage_changes, target_revisions
from warden.sales.usecases import ports


class Targets(ports.Targets):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, target: Target, event_id: str) -> None:
        table = target_revisions
        number = self.conn.execute(
            select(func.count()).where(table.c.year == target.year, table.c.team == target.team)
        ).scalar_one()
        values = rows.TARGET.values(target, number=number + 1, event_id=event_id)
        self.conn.execute(table.insert().values(**values))

    def revisions(self, year: int, team: str) -> list[tuple[Target, str]]:
        table = target_revisions
        found = self.conn.execute(
            select(table).where(table.c.year == year, table.c.team == team).order_by(table.c.number)
        )
        return [(rows.TARGET.load(row), row.event_id) for row in found]

    def by_revision(self, revision_id: str) -> tuple[Target, str]:
        table = target_revisions
        row = self.conn.execute(select(table).where(table.c.revision_id == revision_id)).one()
        return rows.TARGET.load(row), row.event_id


class Pipeline(ports.Pipeline):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, opp: Opportunity) -> None:
        self.conn.execute(opportunities.insert().values(**rows.OPPORTUNITY.values(opp)))

    def put_stage(self, opp: Opportunity) -> None:
        self.conn.execute(
            opportunities.update()
            .where(opportunities.c.opportunity_id == opp.opportunity_id)
            .values(stage=opp.stage)
        )

    def get(self, opportunity_id: str, lock: bool = False) -> Opportunity | None:
        if lock:
            lock_row(self.conn, opportunities, "opportunity_id", opportunity_id)
        query = select(opportunities).where(opportunities.c.opportunity_id == opportunity_id)
        row = self.conn.execute(query).first()
        return rows.OPPORTUNITY.load(row) if row else None

    def of_salespeople(self, salesperson_ids: list[str]) -> list[Opportunity]:
        found = self.conn.execute(
            select(opportunities)
            .where(opportunities.c.salesperson_id.in_(salesperson_ids))
            .order_by(opportunities.c.created_at)
        )
        return [rows.OPPORTUNITY.load(row) for row in found]

    def add_change(self, change: StageChange, event_id: str) -> None:
        values = rows.STAGE_CHANGE.values(change, event_id=event_id)
        self.conn.execute(stage_changes.insert().values(**values))

    def history(self, opportunity_ids: list[str]) -> dict[str, list[StageChange]]:
        found = self.conn.execute(
            select(stage_changes)
            .where(stage_changes.c.opportunity_id.in_(opportunity_ids))
            .order_by(stage_changes.c.opportunity_id, stage_changes.c.seq)
        )
        history: dict[str, list[StageChange]] = {oid: [] for oid in opportunity_ids}
        for row in found:
            history[row.opportunity_id].append(rows.STAGE_CHANGE.load(row))
        return history

    def change(self, change_id: str) -> tuple[StageChange, str]:
        query = select(stage_changes).where(stage_changes.c.change_id == change_id)
        row = self.conn.execute(query).one()
        return rows.STAGE_CHANGE.load(row), row.event_id

    def add_document(self, doc: Document, event_id: str) -> None:
        values = rows.DOCUMENT.values(doc, event_id=event_id)
        self.conn.execute(documents.insert().values(**values))

    def documents_of(self, opportunity_id: str) -> list[Document]:
        found = self.conn.execute(
            select(documents)
            .where(documents.c.opportunity_id == opportunity_id)
            .order_by(documents.c.archived_at)
        )
        return [rows.DOCUMENT.load(row) for row in found]

    def document(self, document_id: str) -> tuple[Document, str]:
        query = select(documents).where(documents.c.document_id == document_id)
        row = self.conn.execute(query).one()
        return rows.DOCUMENT.load(row), row.event_id
