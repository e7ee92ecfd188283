"""Use cases of the pipeline (2.2): open an opportunity, move it, archive its documents."""

from __future__ import annotations

from dataclasses import dataclass

from warden.money import Money
from warden.platform.unit_of_work import Call
from warden.sales.domain import pipeline
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.usecases import events
from warden.sales.usecases.context import Context, opportunity, salesperson
from warden.sales.usecases.ports import SalesUnitOfWork


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


class Pipeline:
    def __init__(self, context: Context) -> None:
        self.context = context

    def create_opportunity(
        self,
        customer_id: str,
        salesperson_id: str,
        title: str,
        estimated_value: Money,
        created_by: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> MoveResult:
        request = {
            "customer_id": customer_id,
            "salesperson_id": salesperson_id,
            "title": title,
            "estimated_value": [estimated_value.amount_minor, estimated_value.currency],
            "created_by": created_by,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[MoveResult, str]:
                salesperson(uow, salesperson_id)
                opp = Opportunity(
                    self.context.new_id(),
                    customer_id,
                    salesperson_id,
                    title,
                    estimated_value,
                    "lead",
                    self.context.clock(),
                )
                first = self.context.new_id()
                change = pipeline.open_as_lead(opp, first, created_by or salesperson_id)
                event = events.recorded(events.stage_changed(opp, change), recorded_by)
                uow.pipeline.add(opp)
                uow.pipeline.add_change(change, event.id)
                uow.outbox.add(event)
                return MoveResult(opp, change, event.id), change.change_id

            call = Call("CreateOpportunity", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _move_result(uow, earlier))

    def change_stage(
        self,
        opportunity_id: str,
        to_stage: str,
        changed_by: str,
        out_of_order: bool = False,
        reason: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> MoveResult:
        request = {
            "opportunity_id": opportunity_id,
            "to_stage": to_stage,
            "changed_by": changed_by,
            "out_of_order": out_of_order,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[MoveResult, str]:
                pipeline.check_stage(to_stage, "to_stage")
                opp = opportunity(uow, opportunity_id, lock=True)
                result = self.move(
                    uow, opp, to_stage, changed_by, out_of_order, reason, recorded_by
                )
                return result, result.change.change_id

            call = Call("ChangeStage", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _move_result(uow, earlier))

    def move(
        self,
        uow: SalesUnitOfWork,
        opp: Opportunity,
        to_stage: str,
        changed_by: str,
        out_of_order: bool = False,
        reason: str = "",
        recorded_by: str = "",
    ) -> MoveResult:
        """Move `opp` in the caller's unit of work, recording the change and its event."""
        seq = len(uow.pipeline.history([opp.opportunity_id])[opp.opportunity_id]) + 1
        draft = StageChange(
            self.context.new_id(),
            opp.opportunity_id,
            seq,
            opp.stage,
            to_stage,
            False,
            False,
            changed_by,
            reason,
            self.context.clock(),
        )
        moved, change = pipeline.move(
            opp,
            to_stage,
            out_of_order,
            draft,
            uow.pipeline.documents_of(opp.opportunity_id),
            uow.contracts.of_opportunity(opp.opportunity_id) is not None,
        )
        event = events.recorded(events.stage_changed(moved, change), recorded_by)
        uow.pipeline.put_stage(moved)
        uow.pipeline.add_change(change, event.id)
        uow.outbox.add(event)
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
        recorded_by: str = "",
    ) -> DocumentResult:
        request = {
            "opportunity_id": opportunity_id,
            "name": name,
            "doc_type": doc_type,
            "sha256": sha256,
            "location": location,
            "archived_by": archived_by,
            "stage": stage,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[DocumentResult, str]:
                opp = opportunity(uow, opportunity_id)
                draft = Document(
                    self.context.new_id(),
                    opportunity_id,
                    stage,
                    name,
                    doc_type,
                    sha256.lower(),
                    location,
                    archived_by,
                    self.context.clock(),
                )
                doc = pipeline.archive(opp, draft)
                event = events.recorded(events.document_archived(opp, doc), recorded_by)
                uow.pipeline.add_document(doc, event.id)
                uow.outbox.add(event)
                return DocumentResult(doc, event.id), doc.document_id

            call = Call("ArchiveDocument", idempotency_key, request)
            return uow.once(
                call, act, lambda earlier: DocumentResult(*uow.pipeline.document(earlier))
            )

    def get_opportunity(self, opportunity_id: str) -> OpportunityView:
        with self.context.uow() as uow:
            opp = opportunity(uow, opportunity_id)
            contract = uow.contracts.of_opportunity(opportunity_id)
            return OpportunityView(
                opp,
                uow.pipeline.history([opportunity_id])[opportunity_id],
                uow.pipeline.documents_of(opportunity_id),
                contract.contract_id if contract else "",
            )


def _move_result(uow: SalesUnitOfWork, change_id: str) -> MoveResult:
    change, event_id = uow.pipeline.change(change_id)
    return MoveResult(opportunity(uow, change.opportunity_id), change, event_id)
