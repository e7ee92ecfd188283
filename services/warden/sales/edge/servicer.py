"""SalesService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

import grpc

from warden.platform.actors import Integration, acting_person, caller, second_person
from warden.platform.auth import CRM
from warden.platform.grpc_server import require
from warden.platform.proto_convert import money_in, money_out, timestamp_out
from warden.sales.app import SalesApp
from warden.sales.domain.prices import Salesperson
from warden.sales.edge import convert
from warden.v1 import sales_pb2, sales_pb2_grpc

SERVICE_NAME = sales_pb2.DESCRIPTOR.services_by_name["SalesService"].full_name
_product_out = convert.product_out
# Who acts is the token's subject; a sales system (role crm) names the person who acted in it
# and is recorded beside them in the event (platform/actors.py).
CRM_ACTS = Integration(CRM)


def _acting(named: str, field: str) -> tuple[str, str]:
    return acting_person(named, field, CRM_ACTS)


def _approver(named: str, field: str) -> str:
    return second_person(named, field, CRM_ACTS)


class SalesServicer(sales_pb2_grpc.SalesServiceServicer):
    def __init__(self, app: SalesApp) -> None:
        self.app = app

    def RegisterSalesperson(self, request, context: grpc.ServicerContext):  # type: ignore[no-untyped-def]
        p = request.salesperson
        person = self.app.register_salesperson(
            Salesperson(
                salesperson_id=require(p.salesperson_id, "salesperson.salesperson_id"),
                name=require(p.name, "salesperson.name"),
                role=require(p.role, "salesperson.role"),
                team=require(p.team, "salesperson.team"),
            )
        )
        return sales_pb2.RegisterSalespersonResponse(
            salesperson=sales_pb2.Salesperson(
                salesperson_id=person.salesperson_id,
                name=person.name,
                role=person.role,
                team=person.team,
            )
        )

    def SetListPrice(self, request, context):  # type: ignore[no-untyped-def]
        # Only the signed-in person sets a price list; the product keeps no author.
        acting_person(request.set_by, "set_by")
        product = self.app.set_list_price(
            require(request.product_id, "product_id"),
            require(request.name, "name"),
            money_in(request.list_price, "list_price"),
            money_in(request.floor_price, "floor_price"),
        )
        return sales_pb2.SetListPriceResponse(product=_product_out(product))

    def ChangePrice(self, request, context):  # type: ignore[no-untyped-def]
        salesperson_id, recorded_by = _acting(request.salesperson_id, "salesperson_id")
        result = self.app.change_price(
            product_id=require(request.product_id, "product_id"),
            salesperson_id=salesperson_id,
            new_price=money_in(request.new_price, "new_price"),
            approved_by=_approver(request.approved_by, "approved_by"),
            reason=request.reason,
            idempotency_key=request.idempotency_key,
            recorded_by=recorded_by,
        )
        return sales_pb2.ChangePriceResponse(
            price_change_id=result.price_change_id,
            product=_product_out(result.product),
            event_id=result.event_id,
        )

    def GetProduct(self, request, context):  # type: ignore[no-untyped-def]
        product = self.app.get_product(require(request.product_id, "product_id"))
        return sales_pb2.GetProductResponse(product=_product_out(product))

    def GetPricePolicy(self, request, context):  # type: ignore[no-untyped-def]
        return sales_pb2.GetPricePolicyResponse(
            roles=[
                sales_pb2.RoleAuthority(role=role, authority_bp=bp)
                for role, bp in self.app.price_policy().items()
            ]
        )

    def RequestPriceChange(self, request, context):  # type: ignore[no-untyped-def]
        salesperson_id, recorded_by = _acting(request.salesperson_id, "salesperson_id")
        result = self.app.request_price_change(
            require(request.product_id, "product_id"),
            salesperson_id,
            money_in(request.requested_price, "requested_price", positive=False),
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.RequestPriceChangeResponse(
            request=convert.request_out(result.request), event_id=result.event_id
        )

    def DecidePriceChange(self, request, context):  # type: ignore[no-untyped-def]
        approver_id, recorded_by = _acting(request.approver_id, "approver_id")
        result = self.app.decide_price_change(
            require(request.request_id, "request_id"),
            approver_id,
            request.approve,
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.DecidePriceChangeResponse(
            request=convert.request_out(result.request),
            product=_product_out(result.product),
            event_id=result.event_id,
        )

    def SetTarget(self, request, context):  # type: ignore[no-untyped-def]
        set_by, recorded_by = _acting(request.set_by, "set_by")
        result = self.app.set_target(
            request.year,
            require(request.team, "team"),
            money_in(request.team_target, "team_target", positive=False),
            convert.quotas_in(list(request.quotas)),
            request.difference_accepted,
            set_by,
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.SetTargetResponse(
            target=convert.target_out(result.target), event_id=result.event_id
        )

    def SetQuota(self, request, context):  # type: ignore[no-untyped-def]
        set_by, recorded_by = _acting(request.set_by, "set_by")
        result = self.app.set_quota(
            request.year,
            require(request.team, "team"),
            convert.quota_in(request.quota, "quota"),
            request.difference_accepted,
            set_by,
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.SetQuotaResponse(
            target=convert.target_out(result.target), event_id=result.event_id
        )

    def GetTarget(self, request, context):  # type: ignore[no-untyped-def]
        revisions = self.app.get_target(request.year, require(request.team, "team"))
        return sales_pb2.GetTargetResponse(
            target=convert.target_out(revisions[-1]),
            revisions=[convert.target_out(t) for t in revisions],
        )

    def CreateOpportunity(self, request, context):  # type: ignore[no-untyped-def]
        owner = require(request.salesperson_id, "salesperson_id")
        # A sales system that names no creator recorded the opportunity its owner opened.
        named = request.created_by.strip() or (owner if CRM in caller().roles else "")
        created_by, recorded_by = _acting(named, "created_by")
        result = self.app.create_opportunity(
            require(request.customer_id, "customer_id"),
            owner,
            require(request.title, "title"),
            money_in(request.estimated_value, "estimated_value", positive=False),
            created_by,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.CreateOpportunityResponse(
            opportunity=convert.opportunity_out(result.opportunity), event_id=result.event_id
        )

    def ChangeStage(self, request, context):  # type: ignore[no-untyped-def]
        changed_by, recorded_by = _acting(request.changed_by, "changed_by")
        result = self.app.change_stage(
            require(request.opportunity_id, "opportunity_id"),
            require(request.to_stage, "to_stage"),
            changed_by,
            request.out_of_order,
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.ChangeStageResponse(
            opportunity=convert.opportunity_out(result.opportunity),
            change=convert.change_out(result.change),
            event_id=result.event_id,
        )

    def ArchiveDocument(self, request, context):  # type: ignore[no-untyped-def]
        archived_by, recorded_by = _acting(request.archived_by, "archived_by")
        result = self.app.archive_document(
            require(request.opportunity_id, "opportunity_id"),
            require(request.name, "name"),
            require(request.doc_type, "doc_type"),
            require(request.sha256, "sha256"),
            require(request.location, "location"),
            archived_by,
            request.stage.strip(),
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.ArchiveDocumentResponse(
            document=convert.document_out(result.document), event_id=result.event_id
        )

    def GetOpportunity(self, request, context):  # type: ignore[no-untyped-def]
        view = self.app.get_opportunity(require(request.opportunity_id, "opportunity_id"))
        return sales_pb2.GetOpportunityResponse(
            opportunity=convert.opportunity_out(view.opportunity),
            history=[convert.change_out(c) for c in view.history],
            documents=[convert.document_out(d) for d in view.documents],
            contract_id=view.contract_id,
        )

    def SignContract(self, request, context):  # type: ignore[no-untyped-def]
        signed_by, recorded_by = _acting(request.signed_by, "signed_by")
        result = self.app.sign_contract(
            require(request.opportunity_id, "opportunity_id"),
            convert.lines_in(list(request.lines)),
            signed_by,
            request.payment_terms_days,
            request.delivery_date.strip(),
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.SignContractResponse(
            contract=convert.contract_out(result.contract, result.collected_minor),
            event_id=result.event_id,
        )

    def AmendContract(self, request, context):  # type: ignore[no-untyped-def]
        amended_by, recorded_by = _acting(request.amended_by, "amended_by")
        result = self.app.amend_contract(
            require(request.contract_id, "contract_id"),
            amended_by,
            convert.lines_in(list(request.lines)) or None,
            request.payment_terms_days if request.HasField("payment_terms_days") else None,
            request.delivery_date.strip() if request.HasField("delivery_date") else None,
            _approver(request.approved_by, "approved_by"),
            request.reason,
            request.idempotency_key,
            recorded_by,
        )
        view = self.app.get_contract(result.contract.contract_id)
        return sales_pb2.AmendContractResponse(
            contract=convert.contract_out(result.contract, view.collected_minor),
            amendment=convert.amendment_out(result.amendment),
            event_id=result.event_id,
        )

    def GetContract(self, request, context):  # type: ignore[no-untyped-def]
        view = self.app.get_contract(require(request.contract_id, "contract_id"))
        return sales_pb2.GetContractResponse(
            contract=convert.contract_out(view.contract, view.collected_minor),
            amendments=[convert.amendment_out(a) for a in view.amendments],
            payments=[convert.payment_out(p) for p in view.payments],
        )

    def RecordPayment(self, request, context):  # type: ignore[no-untyped-def]
        # The payment event's `recorded_by` names the person; a sales system is `recorded_via`.
        recorded_by, recorded_via = _acting(request.recorded_by, "recorded_by")
        result = self.app.record_payment(
            require(request.contract_id, "contract_id"),
            money_in(request.amount, "amount", positive=False),
            recorded_by,
            request.idempotency_key,
            recorded_via,
        )
        return sales_pb2.RecordPaymentResponse(
            payment=convert.payment_out(result.payment),
            contract=convert.contract_out(result.contract, result.collected_minor),
            event_id=result.event_id,
        )

    def ReportSales(self, request, context):  # type: ignore[no-untyped-def]
        salesperson_id, recorded_by = _acting(request.salesperson_id, "salesperson_id")
        result = self.app.report_sales(
            salesperson_id,
            require(request.period, "period"),
            money_in(request.reported, "reported", positive=False),
            request.idempotency_key,
            recorded_by,
        )
        report = result.report
        return sales_pb2.ReportSalesResponse(
            report_id=report.report_id,
            reported=money_out(report.reported),
            proven_signed_minor=report.proven_signed_minor,
            proven_collected_minor=report.proven_collected_minor,
            overstatement_signed_bp=report.overstatement_signed_bp,
            overstatement_collected_bp=report.overstatement_collected_bp,
            event_id=result.event_id,
        )

    def RecordExpense(self, request, context):  # type: ignore[no-untyped-def]
        salesperson_id, recorded_by = _acting(request.salesperson_id, "salesperson_id")
        expense_id, event_id = self.app.record_expense(
            salesperson_id,
            require(request.customer_id, "customer_id"),
            require(request.kind, "kind"),
            money_in(request.amount, "amount", positive=False),
            require(request.incurred_on, "incurred_on"),
            request.description,
            request.idempotency_key,
            recorded_by,
        )
        return sales_pb2.RecordExpenseResponse(expense_id=expense_id, event_id=event_id)

    def GetPerformanceReport(self, request, context):  # type: ignore[no-untyped-def]
        report = self.app.performance_report(
            require(request.scope, "scope"),
            require(request.scope_id, "scope_id"),
            require(request.period, "period"),
            request.currency.strip(),
        )
        return sales_pb2.GetPerformanceReportResponse(report=convert.report_out(report))

    def PublishPerformanceReport(self, request, context):  # type: ignore[no-untyped-def]
        result = self.app.publish_report(
            require(request.scope, "scope"),
            require(request.scope_id, "scope_id"),
            require(request.period, "period"),
            [r.strip() for r in request.recipients],
            acting_person(request.published_by, "published_by")[0],
            request.currency.strip(),
            request.idempotency_key,
        )
        return sales_pb2.PublishPerformanceReportResponse(
            report_id=result.report_id,
            report=convert.report_out(result.report),
            published_at=timestamp_out(result.published_at),
            event_id=result.event_id,
        )
