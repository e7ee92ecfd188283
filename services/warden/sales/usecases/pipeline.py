"""Use cases of the pipeline (2.2): open an opportunity, move it, archive its documents."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from warden.errors import NotFound
from warden.money import Money
from warden.sales.domain import pipeline
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.storage import contracts_store, pipeline_store
from warden.sales.usecases import events
from warden.sales.usecases.base import UseCases


@dataclass(frozen=True)
class MoveResult:
    opportunity: Opportunity
    change: StageChange
    event_id: str


@dataclass(frozen=True)
class DocumentResult:
    document: Document
    event_id: str


@dataclass(frozen=True)
class OpportunityView:
    opportunity: Opportunity
    history: list[StageChange]
    documents: list[Document]
    contract_id: str


class PipelineUseCases(UseCases):
    def create_opportunity(
        self,
        customer_id: str,
        salesperson_id: str,
        title: str,
        estimated_value: Money,
        created_by: str = "",
        idempotency_key: str = "",
    ) -> MoveResult:
        request = {
            "customer_id": customer_id,
            "salesperson_id": salesperson_id,
            "title": title,
            "estimated_value": [estimated_value.amount_minor, estimated_value.currency],
            "created_by": created_by,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "CreateOpportunity", request):
                return self._move_result(conn, earlier)
            self.salesperson(conn, salesperson_id)
            opp = Opportunity(
                self.new_id(),
                customer_id,
                salesperson_id,
                title,
                estimated_value,
                "lead",
                self.clock(),
            )
            change = pipeline.open_as_lead(opp, self.new_id(), created_by or salesperson_id)
            event = events.stage_changed(opp, change)
            pipeline_store.add_opportunity(conn, opp)
            pipeline_store.add_stage_change(conn, change, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "CreateOpportunity", request, change.change_id)
        return MoveResult(opp, change, event.id)

    def change_stage(
        self,
        opportunity_id: str,
        to_stage: str,
        changed_by: str,
        out_of_order: bool = False,
        reason: str = "",
        idempotency_key: str = "",
    ) -> MoveResult:
        request = {
            "opportunity_id": opportunity_id,
            "to_stage": to_stage,
            "changed_by": changed_by,
            "out_of_order": out_of_order,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "ChangeStage", request):
                return self._move_result(conn, earlier)
            pipeline.check_stage(to_stage, "to_stage")
            opp = self.opportunity(conn, opportunity_id, lock=True)
            result = self.move(conn, opp, to_stage, changed_by, out_of_order, reason)
            self.remember(conn, idempotency_key, "ChangeStage", request, result.change.change_id)
        return result

    def move(
        self,
        conn: Connection,
        opp: Opportunity,
        to_stage: str,
        changed_by: str,
        out_of_order: bool = False,
        reason: str = "",
    ) -> MoveResult:
        """Move `opp` inside the caller's transaction, recording the change and its event."""
        seq = len(pipeline_store.history(conn, [opp.opportunity_id])[opp.opportunity_id]) + 1
        draft = StageChange(
            self.new_id(),
            opp.opportunity_id,
            seq,
            opp.stage,
            to_stage,
            False,
            False,
            changed_by,
            reason,
            self.clock(),
        )
        moved, change = pipeline.move(
            opp,
            to_stage,
            out_of_order,
            draft,
            pipeline_store.documents_of(conn, opp.opportunity_id),
            contracts_store.contract_of(conn, opp.opportunity_id) is not None,
        )
        event = events.stage_changed(moved, change)
        pipeline_store.put_stage(conn, moved)
        pipeline_store.add_stage_change(conn, change, event.id)
        self.emit(conn, event)
        return MoveResult(moved, change, event.id)

    def archive_document(
        self,
        opportunity_id: str,
        name: str,
        doc_type: str,
        sha256: str,
        location: str,
        archived_by: str,
        stage: str = "",
        idempotency_key: str = "",
    ) -> DocumentResult:
        request = {
            "opportunity_id": opportunity_id,
            "name": name,
            "doc_type": doc_type,
            "sha256": sha256,
            "location": location,
            "archived_by": archived_by,
            "stage": stage,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "ArchiveDocument", request):
                return DocumentResult(*pipeline_store.document(conn, earlier))
            opp = self.opportunity(conn, opportunity_id)
            doc = pipeline.archive(
                opp,
                Document(
                    self.new_id(),
                    opportunity_id,
                    stage,
                    name,
                    doc_type,
                    sha256.lower(),
                    location,
                    archived_by,
                    self.clock(),
                ),
            )
            event = events.document_archived(opp, doc)
            pipeline_store.add_document(conn, doc, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "ArchiveDocument", request, doc.document_id)
        return DocumentResult(doc, event.id)

    def get_opportunity(self, opportunity_id: str) -> OpportunityView:
        with self.engine.connect() as conn:
            opp = self.opportunity(conn, opportunity_id)
            contract = contracts_store.contract_of(conn, opportunity_id)
            return OpportunityView(
                opp,
                pipeline_store.history(conn, [opportunity_id])[opportunity_id],
                pipeline_store.documents_of(conn, opportunity_id),
                contract.contract_id if contract else "",
            )

    @staticmethod
    def opportunity(conn: Connection, opportunity_id: str, lock: bool = False) -> Opportunity:
        opp = pipeline_store.get_opportunity(conn, opportunity_id, lock)
        if opp is None:
            raise NotFound("opportunity", opportunity_id)
        return opp

    def _move_result(self, conn: Connection, change_id: str) -> MoveResult:
        change, event_id = pipeline_store.stage_change(conn, change_id)
        return MoveResult(self.opportunity(conn, change.opportunity_id), change, event_id)
