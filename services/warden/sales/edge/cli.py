"""The `warden sales` verbs: every SalesService call from the command line, over gRPC."""

from __future__ import annotations

import argparse
import hashlib
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from warden.config import Settings
from warden.money import MAX_MINOR
from warden.sales.domain.pipeline import STAGES
from warden.sales.edge import chart


def amount(text: str) -> int:
    """A decimal amount in major units ("1200", "1,200.50") as integer minor units."""
    try:
        value = Decimal(text.replace(",", "")) * 100
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount like 1200.50") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount like 1200.50")
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} has more than two decimals")
    if abs(value) > MAX_MINOR:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too large (at most {Decimal(MAX_MINOR) / 100:,.2f})"
        )
    return int(value)


def percent(bp: int) -> str:
    """Basis points as a percentage with two decimals, exactly (2850 -> "28.50%")."""
    sign = "-" if bp < 0 else ""
    whole, hundredths = divmod(abs(bp), 100)
    return f"{sign}{whole}.{hundredths:02d}%"


def _stub(args: argparse.Namespace, settings: Settings) -> Any:
    from warden.platform.tls import open_channel
    from warden.v1 import sales_pb2_grpc

    address = args.address or f"127.0.0.1:{settings.sales_port}"
    token = args.token or os.environ.get("WARDEN_TOKEN", "")
    return sales_pb2_grpc.SalesServiceStub(open_channel(address, settings, token))


def _money(args: argparse.Namespace, minor: int) -> Any:
    from warden.v1 import common_pb2

    return common_pb2.Money(amount_minor=minor, currency=args.currency)


def _fmt(money: Any) -> str:
    return chart.money(money.amount_minor, money.currency)


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


def report_text(report: Any) -> str:
    """A performance report in words (also used by the demo)."""
    t = report.totals

    def pct(line: Any, name: str) -> str:
        return percent(getattr(line, name)) if line.HasField(name) else "n/a"

    def mon(minor: int) -> str:
        return chart.money(minor, report.currency)

    target = mon(t.target_minor) if t.HasField("target_minor") else "no target set"
    lines = [
        f"Performance {report.scope} {report.scope_id}, {report.period_kind} {report.period} "
        f"({report.currency})",
        f"  target:    {target}",
        f"  signed:    {mon(t.signed_minor)} ({pct(t, 'signed_completion_bp')} of target)",
        f"  collected: {mon(t.collected_minor)} ({pct(t, 'collected_completion_bp')} of target)",
        "  pipeline at the period's end: "
        + ", ".join(f"{s.stage} {s.count} ({mon(s.value_minor)})" for s in report.pipeline),
        "  conversion in the period: "
        + ", ".join(
            f"{c.from_stage}->{c.to_stage} {c.converted}/{c.entered}" for c in report.conversions
        ),
    ]
    for m in report.members:
        member_target = mon(m.target_minor) if m.HasField("target_minor") else "-"
        lines.append(
            f"  {m.id:<16} target {member_target}, signed {mon(m.signed_minor)}, "
            f"collected {mon(m.collected_minor)}"
        )
    return "\n".join(lines)


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
        print(f"{p.product_id}: list {_fmt(p.list_price)}, floor {_fmt(p.floor_price)}")
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
        print(f"price change {reply.price_change_id}: now {_fmt(reply.product.current_price)}")
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
        print(f"request {r.request_id}: {_fmt(r.requested_price)} ({r.discount_bp} bp off list)")
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
        print(f"request {reply.request.request_id} {reply.request.status} by {args.approver}")
    else:
        for role in stub.GetPricePolicy(pb.GetPricePolicyRequest()).roles:
            print(f"{role.role:<16} up to {percent(role.authority_bp)} off list on their own")


def _target_text(t: Any) -> str:
    quotas = ", ".join(f"{q.salesperson_id} {_fmt(q.amount)}" for q in t.quotas)
    late = " (set after the year started)" if t.after_year_start else ""
    return (
        f"target {t.team} {t.year}: {_fmt(t.team_target)}; quotas {quotas}; difference "
        f"{chart.money(t.difference_minor, t.team_target.currency)}{late}"
    )


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
        print(_target_text(reply.target))
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
        print(_target_text(reply.target))
    else:
        reply = stub.GetTarget(pb.GetTargetRequest(year=args.year, team=args.team))
        for revision in reply.revisions:
            print(f"{revision.set_at.ToJsonString()} by {revision.set_by}: {revision.reason}")
        print(_target_text(reply.target))


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


def _contract_text(c: Any) -> str:
    return (
        f"contract {c.contract_id} v{c.version}: total {_fmt(c.total)}, collected "
        f"{_fmt(c.collected)}, {c.off_list_unapproved_lines} off-list line(s) without approval"
    )


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
        print(_contract_text(reply.contract))
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
        print(_contract_text(reply.contract))
    elif verb == "pay":
        reply = stub.RecordPayment(
            pb.RecordPaymentRequest(
                contract_id=args.contract_id,
                amount=_money(args, args.amount),
                recorded_by=args.by,
                idempotency_key=key,
            )
        )
        print(f"payment {reply.payment.payment_id}; {_contract_text(reply.contract)}")
    else:
        reply = stub.GetContract(pb.GetContractRequest(contract_id=args.contract_id))
        print(_contract_text(reply.contract))
        for line in reply.contract.lines:
            print(f"  {line.product_id} x{line.quantity} at {_fmt(line.unit_price)}")
        for a in reply.amendments:
            print(
                f"  amended {', '.join(a.changed_fields)} by {a.amended_by}, approved by "
                f"{a.approved_by or 'nobody'}"
            )
        for p in reply.payments:
            print(f"  paid {_fmt(p.amount)} on {p.collected_at.ToJsonString()}")


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
            f"reported {_fmt(reply.reported)}; proven signed "
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


def cmd_sales(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import sales_pb2

    HANDLERS[args.sales_command](args, _stub(args, settings), sales_pb2)
    return 0


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--address", help="sales service host:port (default 127.0.0.1:WARDEN_SALES_PORT)"
    )
    common.add_argument("--token", default="", help="bearer token (default: WARDEN_TOKEN)")
    common.add_argument("--currency", default="EUR", help="ISO 4217 code of amounts (default EUR)")
    common.add_argument(
        "--idempotency-key",
        default="",
        help="repeat a request safely: the same key and request return the first result",
    )
    return common


def _verbs(parser: argparse.ArgumentParser, dest: str) -> Any:
    return parser.add_subparsers(dest=dest, required=True, metavar="VERB")


def _add_price(groups: Any, common: argparse.ArgumentParser) -> None:
    verbs = _verbs(
        groups.add_parser("price", help="price list, price changes and requests"), "price_command"
    )
    p = verbs.add_parser("list", parents=[common], help="set a product's list and floor price")
    p.add_argument("product_id")
    p.add_argument("--name", required=True)
    p.add_argument("--list-price", type=amount, required=True, help="e.g. 1000.00")
    p.add_argument("--floor", type=amount, required=True, help="the policy floor")
    p = verbs.add_parser(
        "change", parents=[common], help="change a product's price (always recorded)"
    )
    p.add_argument("product_id")
    p.add_argument("--by", required=True, help="salesperson id")
    p.add_argument("--to", type=amount, required=True, help="the new price")
    p.add_argument("--approved-by", default="", help="approver id, if anybody approved")
    p.add_argument("--reason", default="")
    p = verbs.add_parser(
        "request", parents=[common], help="ask for a price an approver must approve"
    )
    p.add_argument("product_id")
    p.add_argument("--by", required=True)
    p.add_argument("--to", type=amount, required=True)
    p.add_argument("--reason", default="")
    p = verbs.add_parser(
        "decide", parents=[common], help="approve or reject a price-change request"
    )
    p.add_argument("request_id")
    p.add_argument("--approver", required=True)
    choice = p.add_mutually_exclusive_group(required=True)
    choice.add_argument("--approve", action="store_true")
    choice.add_argument("--reject", action="store_true")
    p.add_argument("--reason", default="", help="required to reject")
    verbs.add_parser("policy", parents=[common], help="the largest discount each role may give")


def _add_target(groups: Any, common: argparse.ArgumentParser) -> None:
    verbs = _verbs(
        groups.add_parser("target", help="yearly team targets and quotas (2.1)"), "target_command"
    )
    p = verbs.add_parser("set", parents=[common], help="set a team's target and its quotas")
    p.add_argument("year", type=int)
    p.add_argument("--team", required=True)
    p.add_argument("--amount", type=amount, required=True, help="the team target")
    p.add_argument("--quota", action="append", default=[], metavar="ID=AMOUNT", required=True)
    p.add_argument("--accept-difference", action="store_true", help="quotas need not add up")
    p.add_argument("--by", required=True)
    p.add_argument("--reason", default="", help="required once the year started")
    p = verbs.add_parser("quota", parents=[common], help="change one salesperson's quota")
    p.add_argument("year", type=int)
    p.add_argument("--team", required=True)
    p.add_argument("--salesperson", required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--accept-difference", action="store_true")
    p.add_argument("--by", required=True)
    p.add_argument("--reason", default="")
    p = verbs.add_parser("show", parents=[common], help="the target in force and its revisions")
    p.add_argument("year", type=int)
    p.add_argument("--team", required=True)


def _add_opportunity(groups: Any, common: argparse.ArgumentParser) -> None:
    verbs = _verbs(
        groups.add_parser("opportunity", help="the pipeline: open, move, archive, show (2.2)"),
        "opportunity_command",
    )
    p = verbs.add_parser("open", parents=[common], help="open an opportunity as a lead")
    p.add_argument("--customer", required=True)
    p.add_argument("--salesperson", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--value", type=amount, required=True, help="estimated value")
    p = verbs.add_parser("move", parents=[common], help="move to a stage: " + ", ".join(STAGES))
    p.add_argument("opportunity_id")
    p.add_argument("stage", choices=STAGES)
    p.add_argument("--by", required=True)
    p.add_argument("--out-of-order", action="store_true", help="skip stages or go back")
    p.add_argument("--reason", default="", help="required with --out-of-order")
    p = verbs.add_parser("archive", parents=[common], help="archive a document for a stage")
    p.add_argument("opportunity_id")
    p.add_argument("--type", required=True, help="e.g. proposal, visit_report")
    p.add_argument("--file", help="hash this file (its path is the location unless given)")
    p.add_argument("--sha256", help="the content's SHA-256 when there is no --file")
    p.add_argument("--name", default="")
    p.add_argument("--location", default="", help="where the content is stored")
    p.add_argument("--stage", default="", help="default: the current stage")
    p.add_argument("--by", required=True)
    p = verbs.add_parser("show", parents=[common], help="an opportunity with its whole history")
    p.add_argument("opportunity_id")


def _add_contract(groups: Any, common: argparse.ArgumentParser) -> None:
    verbs = _verbs(
        groups.add_parser("contract", help="sign, amend, pay, show contracts"), "contract_command"
    )
    line_help = "PRODUCT:QUANTITY:UNIT_PRICE[:REQUEST_ID], repeatable"
    p = verbs.add_parser("sign", parents=[common], help="sign the contract of an opportunity")
    p.add_argument("opportunity_id")
    p.add_argument("--line", action="append", required=True, help=line_help)
    p.add_argument("--terms", type=int, default=30, help="payment terms in days")
    p.add_argument("--delivery", default="", help="YYYY-MM-DD")
    p.add_argument("--by", required=True)
    p = verbs.add_parser("amend", parents=[common], help="amend lines, terms or delivery date")
    p.add_argument("contract_id")
    p.add_argument("--line", action="append", default=[], help=line_help + " (replaces all)")
    p.add_argument("--terms", type=int)
    p.add_argument("--delivery")
    p.add_argument("--by", required=True)
    p.add_argument("--approved-by", default="")
    p.add_argument("--reason", default="")
    p = verbs.add_parser("pay", parents=[common], help="record a payment collected")
    p.add_argument("contract_id")
    p.add_argument("--amount", type=amount, required=True)
    p.add_argument("--by", required=True)
    p = verbs.add_parser("show", parents=[common], help="a contract with amendments and payments")
    p.add_argument("contract_id")


def _add_report(groups: Any, common: argparse.ArgumentParser) -> None:
    verbs = _verbs(
        groups.add_parser(
            "report", help="performance reports, charts, reported sales (2.3, 4.1.1)"
        ),
        "report_command",
    )
    for name, text in [
        ("show", "a salesperson's or a team's performance for a period"),
        ("publish", "publish a performance report to its recipients"),
        ("chart", "write target against actual per salesperson as an HTML page"),
    ]:
        p = verbs.add_parser(name, parents=[common], help=text)
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--salesperson")
        who.add_argument("--team")
        p.add_argument("--period", required=True, help="2026-11, 2026-Q4 or 2026")
        p.add_argument("--report-currency", default="", help="default: the target's currency")
        if name == "publish":
            p.add_argument("--to", action="append", required=True, help="recipient, repeatable")
            p.add_argument("--by", required=True)
        if name == "chart":
            p.add_argument("--out", default="sales-chart.html")
    p = verbs.add_parser("sales", parents=[common], help="record a salesperson's reported figure")
    p.add_argument("--salesperson", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--amount", type=amount, required=True)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this service's verbs to the `warden` command."""
    common = _common()
    sales = sub.add_parser(
        "sales", help="the sales service: targets, pipeline, prices, contracts, reports"
    )
    groups = sales.add_subparsers(dest="sales_command", required=True, metavar="GROUP")
    p = groups.add_parser("salesperson", parents=[common], help="register or update a salesperson")
    p.add_argument("salesperson_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, help="sales_rep, senior_sales, sales_manager, ...")
    p.add_argument("--team", required=True)
    _add_price(groups, common)
    _add_target(groups, common)
    _add_opportunity(groups, common)
    _add_contract(groups, common)
    _add_report(groups, common)
    p = groups.add_parser("expense", parents=[common], help="a gift, hospitality or expense")
    p.add_argument("--salesperson", required=True)
    p.add_argument("--customer", required=True)
    p.add_argument("--kind", choices=("gift", "hospitality", "expense"), required=True)
    p.add_argument("--amount", type=amount, required=True)
    p.add_argument("--on", required=True, help="YYYY-MM-DD")
    p.add_argument("--description", default="")
    sales.set_defaults(func=cmd_sales)
