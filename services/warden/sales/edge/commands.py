"""The `warden sales` verbs' handlers: each turns its arguments into a SalesService call over
gRPC and prints the reply."""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path
from typing import Any

from warden.config import Settings
from warden.sales.edge import chart
from warden.sales.edge.text import (
    amount,
    contract_text,
    money_text,
    percent,
    report_text,
    target_text,
)


def stub(args: argparse.Namespace, settings: Settings) -> Any:
    from warden.platform.tls import open_channel
    from warden.v1 import sales_pb2_grpc

    address = args.address or f"127.0.0.1:{settings.sales_port}"
    token = args.token or os.environ.get("WARDEN_TOKEN", "")
    return sales_pb2_grpc.SalesServiceStub(open_channel(address, settings, token))


def _money(args: argparse.Namespace, minor: int) -> Any:
    from warden.v1 import common_pb2

    return common_pb2.Money(amount_minor=minor, currency=args.currency)


def _line(args: argparse.Namespace, text: str) -> Any:
    """PRODUCT:QUANTITY:UNIT_PRICE[:REQUEST_ID]"""
    from warden.v1 import sales_pb2

    parts = text.split(":")
    if len(parts) not in (3, 4):
        raise SystemExit(f"error: --line {text!r}: use PRODUCT:QUANTITY:UNIT_PRICE[:REQUEST_ID]")
    try:
        quantity = int(parts[1])
        unit = amount(parts[2])
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise SystemExit(f"error: --line {text!r}: {exc}") from None
    return sales_pb2.ContractLine(
        product_id=parts[0],
        quantity=quantity,
        unit_price=_money(args, unit),
        price_change_request_id=parts[3] if len(parts) == 4 else "",
    )


def cmd_salesperson(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    person = pb.Salesperson(
        salesperson_id=args.salesperson_id, name=args.name, role=args.role, team=args.team
    )
    reply = stub.RegisterSalesperson(pb.RegisterSalespersonRequest(salesperson=person))
    print(f"salesperson {reply.salesperson.salesperson_id} ({reply.salesperson.role})")


def cmd_price(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    verb, key = args.price_command, args.idempotency_key
    if verb == "list":
        reply = stub.SetListPrice(
            pb.SetListPriceRequest(
                product_id=args.product_id,
                name=args.name,
                list_price=_money(args, args.list_price),
                floor_price=_money(args, args.floor),
            )
        )
        p = reply.product
        print(f"{p.product_id}: list {money_text(p.list_price)}, floor {money_text(p.floor_price)}")
    elif verb == "change":
        reply = stub.ChangePrice(
            pb.ChangePriceRequest(
                product_id=args.product_id,
                salesperson_id=args.by,
                new_price=_money(args, args.to),
                approved_by=args.approved_by,
                reason=args.reason,
                idempotency_key=key,
            )
        )
        print(
            f"price change {reply.price_change_id}: now {money_text(reply.product.current_price)}"
        )
    elif verb == "request":
        reply = stub.RequestPriceChange(
            pb.RequestPriceChangeRequest(
                product_id=args.product_id,
                salesperson_id=args.by,
                requested_price=_money(args, args.to),
                reason=args.reason,
                idempotency_key=key,
            )
        )
        r = reply.request
        print(
            f"request {r.request_id}: {money_text(r.requested_price)} ({r.discount_bp} bp off list)"
        )
    elif verb == "decide":
        reply = stub.DecidePriceChange(
            pb.DecidePriceChangeRequest(
                request_id=args.request_id,
                approver_id=args.approver,
                approve=args.approve,
                reason=args.reason,
                idempotency_key=key,
            )
        )
        r = reply.request
        print(f"request {r.request_id} {r.status} by {r.decided_by}")
    else:
        for role in stub.GetPricePolicy(pb.GetPricePolicyRequest()).roles:
            print(f"{role.role:<16} up to {percent(role.authority_bp)} off list on their own")


def _quota(args: argparse.Namespace, text: str) -> Any:
    from warden.v1 import sales_pb2

    who, _, value = text.partition("=")
    try:
        return sales_pb2.Quota(salesperson_id=who, amount=_money(args, amount(value)))
    except argparse.ArgumentTypeError as exc:
        raise SystemExit(f"error: --quota {text!r}: {exc}") from None


def cmd_target(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    if args.target_command == "set":
        reply = stub.SetTarget(
            pb.SetTargetRequest(
                year=args.year,
                team=args.team,
                team_target=_money(args, args.amount),
                quotas=[_quota(args, q) for q in args.quota],
                difference_accepted=args.accept_difference,
                set_by=args.by,
                reason=args.reason,
                idempotency_key=args.idempotency_key,
            )
        )
        print(target_text(reply.target))
    elif args.target_command == "quota":
        reply = stub.SetQuota(
            pb.SetQuotaRequest(
                year=args.year,
                team=args.team,
                quota=_quota(args, f"{args.salesperson}={args.amount}"),
                difference_accepted=args.accept_difference,
                set_by=args.by,
                reason=args.reason,
                idempotency_key=args.idempotency_key,
            )
        )
        print(target_text(reply.target))
    else:
        reply = stub.GetTarget(pb.GetTargetRequest(year=args.year, team=args.team))
        for revision in reply.revisions:
            print(f"{revision.set_at.ToJsonString()} by {revision.set_by}: {revision.reason}")
        print(target_text(reply.target))


def _sha256(args: argparse.Namespace) -> str:
    if args.file:
        return hashlib.sha256(Path(args.file).read_bytes()).hexdigest()
    return str(args.sha256 or "")


def cmd_opportunity(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    verb, key = args.opportunity_command, args.idempotency_key
    if verb == "open":
        reply = stub.CreateOpportunity(
            pb.CreateOpportunityRequest(
                customer_id=args.customer,
                salesperson_id=args.salesperson,
                title=args.title,
                estimated_value=_money(args, args.value),
                idempotency_key=key,
            )
        )
        print(f"opportunity {reply.opportunity.opportunity_id} opened as a lead")
    elif verb == "move":
        reply = stub.ChangeStage(
            pb.ChangeStageRequest(
                opportunity_id=args.opportunity_id,
                to_stage=args.stage,
                changed_by=args.by,
                out_of_order=args.out_of_order,
                reason=args.reason,
                idempotency_key=key,
            )
        )
        print(f"opportunity {args.opportunity_id}: {reply.change.from_stage} -> {args.stage}")
    elif verb == "archive":
        reply = stub.ArchiveDocument(
            pb.ArchiveDocumentRequest(
                opportunity_id=args.opportunity_id,
                stage=args.stage,
                name=args.name or (Path(args.file).name if args.file else ""),
                doc_type=args.type,
                sha256=_sha256(args),
                location=args.location or (str(Path(args.file).resolve()) if args.file else ""),
                archived_by=args.by,
                idempotency_key=key,
            )
        )
        d = reply.document
        print(f"document {d.document_id} ({d.doc_type}, {d.stage}) sha256 {d.sha256}")
    else:
        reply = stub.GetOpportunity(pb.GetOpportunityRequest(opportunity_id=args.opportunity_id))
        o = reply.opportunity
        print(
            f"{o.opportunity_id} {o.title!r} for {o.customer_id} by {o.salesperson_id}: {o.stage}"
        )
        for h in reply.history:
            flags = " skipped" * h.skipped + " backwards" * h.backwards
            print(
                f"  {h.changed_at.ToJsonString()} {h.from_stage or '-'} -> {h.to_stage} by "
                f"{h.changed_by}{flags} {h.reason}"
            )
        for d in reply.documents:
            print(f"  document {d.name} ({d.doc_type}, {d.stage}) {d.location}")
        if reply.contract_id:
            print(f"  contract {reply.contract_id}")


def cmd_contract(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    verb, key = args.contract_command, args.idempotency_key
    if verb == "sign":
        reply = stub.SignContract(
            pb.SignContractRequest(
                opportunity_id=args.opportunity_id,
                lines=[_line(args, text) for text in args.line],
                payment_terms_days=args.terms,
                delivery_date=args.delivery,
                signed_by=args.by,
                idempotency_key=key,
            )
        )
        print(contract_text(reply.contract))
    elif verb == "amend":
        request = pb.AmendContractRequest(
            contract_id=args.contract_id,
            lines=[_line(args, text) for text in args.line],
            amended_by=args.by,
            approved_by=args.approved_by,
            reason=args.reason,
            idempotency_key=key,
        )
        if args.terms is not None:
            request.payment_terms_days = args.terms
        if args.delivery is not None:
            request.delivery_date = args.delivery
        reply = stub.AmendContract(request)
        print(
            f"amendment {reply.amendment.amendment_id}: {', '.join(reply.amendment.changed_fields)}"
        )
        print(contract_text(reply.contract))
    elif verb == "pay":
        reply = stub.RecordPayment(
            pb.RecordPaymentRequest(
                contract_id=args.contract_id,
                amount=_money(args, args.amount),
                recorded_by=args.by,
                idempotency_key=key,
            )
        )
        print(f"payment {reply.payment.payment_id}; {contract_text(reply.contract)}")
    else:
        reply = stub.GetContract(pb.GetContractRequest(contract_id=args.contract_id))
        print(contract_text(reply.contract))
        for line in reply.contract.lines:
            print(f"  {line.product_id} x{line.quantity} at {money_text(line.unit_price)}")
        for a in reply.amendments:
            print(
                f"  amended {', '.join(a.changed_fields)} by {a.amended_by}, approved by "
                f"{a.approved_by or 'nobody'}"
            )
        for p in reply.payments:
            print(f"  paid {money_text(p.amount)} on {p.collected_at.ToJsonString()}")


def _scope(args: argparse.Namespace) -> tuple[str, str]:
    return ("team", args.team) if args.team else ("salesperson", args.salesperson)


def cmd_report(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    verb = args.report_command
    if verb == "sales":
        reply = stub.ReportSales(
            pb.ReportSalesRequest(
                salesperson_id=args.salesperson,
                period=args.period,
                reported=_money(args, args.amount),
                idempotency_key=args.idempotency_key,
            )
        )
        print(
            f"reported {money_text(reply.reported)}; proven signed "
            f"{chart.money(reply.proven_signed_minor, args.currency)}, collected "
            f"{chart.money(reply.proven_collected_minor, args.currency)}; overstated by "
            f"{percent(reply.overstatement_signed_bp)} over signed"
        )
        return
    scope, scope_id = _scope(args)
    if verb == "publish":
        reply = stub.PublishPerformanceReport(
            pb.PublishPerformanceReportRequest(
                scope=scope,
                scope_id=scope_id,
                period=args.period,
                currency=args.report_currency,
                recipients=args.to,
                published_by=args.by,
                idempotency_key=args.idempotency_key,
            )
        )
        print(report_text(reply.report))
        print(f"published as {reply.report_id} to {', '.join(args.to)}")
        return
    report = stub.GetPerformanceReport(
        pb.GetPerformanceReportRequest(
            scope=scope, scope_id=scope_id, period=args.period, currency=args.report_currency
        )
    ).report
    if verb == "show":
        print(report_text(report))
        return
    rows = [
        chart.Row(
            m.id,
            m.target_minor if m.HasField("target_minor") else None,
            m.signed_minor,
            m.collected_minor,
        )
        for m in (report.members or [report.totals])
    ]
    title = f"Target against actual, {scope} {scope_id}, {report.period}"
    Path(args.out).write_text(chart.page(title, rows, report.currency), encoding="utf-8")
    print(f"chart written to {args.out}")


def cmd_expense(args: argparse.Namespace, stub: Any, pb: Any) -> None:
    reply = stub.RecordExpense(
        pb.RecordExpenseRequest(
            salesperson_id=args.salesperson,
            customer_id=args.customer,
            kind=args.kind,
            amount=_money(args, args.amount),
            incurred_on=args.on,
            description=args.description,
            idempotency_key=args.idempotency_key,
        )
    )
    print(f"expense {reply.expense_id} recorded")


HANDLERS = {
    "salesperson": cmd_salesperson,
    "price": cmd_price,
    "target": cmd_target,
    "opportunity": cmd_opportunity,
    "contract": cmd_contract,
    "report": cmd_report,
    "expense": cmd_expense,
}
