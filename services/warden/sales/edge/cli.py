"""The `warden sales` verbs: every SalesService call from the command line, over gRPC (the
arguments here, the handlers in commands.py)."""

from __future__ import annotations

import argparse
from typing import Any

from warden.config import Settings
from warden.sales.domain.pipeline import STAGES
from warden.sales.edge.commands import HANDLERS, stub
from warden.sales.edge.text import amount


def cmd_sales(args: argparse.Namespace, settings: Settings) -> int:
    from warden.v1 import sales_pb2

    HANDLERS[args.sales_command](args, stub(args, settings), sales_pb2)
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


# Who acts is the token's subject; only a sales system's token (role crm) names a person.
_BY_HELP = (
    "who acts: default and only choice with a person's token, its subject; a sales system's "
    "token (role crm) names the person"
)
_APPROVER_HELP = (
    "who approved: a sales system's token (role crm) names them; a person's approval is given "
    "with their own token (price decide)"
)


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
    p.add_argument("--by", default="", help=_BY_HELP)
    p.add_argument("--to", type=amount, required=True, help="the new price")
    p.add_argument("--approved-by", default="", help=_APPROVER_HELP)
    p.add_argument("--reason", default="")
    p = verbs.add_parser(
        "request", parents=[common], help="ask for a price an approver must approve"
    )
    p.add_argument("product_id")
    p.add_argument("--by", default="", help=_BY_HELP)
    p.add_argument("--to", type=amount, required=True)
    p.add_argument("--reason", default="")
    p = verbs.add_parser(
        "decide", parents=[common], help="approve or reject a price-change request"
    )
    p.add_argument("request_id")
    p.add_argument("--approver", default="", help=_BY_HELP)
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
    p.add_argument("--by", default="", help=_BY_HELP)
    p.add_argument("--reason", default="", help="required once the year started")
    p = verbs.add_parser("quota", parents=[common], help="change one salesperson's quota")
    p.add_argument("year", type=int)
    p.add_argument("--team", required=True)
    p.add_argument("--salesperson", required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--accept-difference", action="store_true")
    p.add_argument("--by", default="", help=_BY_HELP)
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
    p.add_argument("--by", default="", help=_BY_HELP)
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
    p.add_argument("--by", default="", help=_BY_HELP)
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
    p.add_argument("--by", default="", help=_BY_HELP)
    p = verbs.add_parser("amend", parents=[common], help="amend lines, terms or delivery date")
    p.add_argument("contract_id")
    p.add_argument("--line", action="append", default=[], help=line_help + " (replaces all)")
    p.add_argument("--terms", type=int)
    p.add_argument("--delivery")
    p.add_argument("--by", default="", help=_BY_HELP)
    p.add_argument("--approved-by", default="", help=_APPROVER_HELP)
    p.add_argument("--reason", default="")
    p = verbs.add_parser("pay", parents=[common], help="record a payment collected")
    p.add_argument("contract_id")
    p.add_argument("--amount", type=amount, required=True)
    p.add_argument("--by", default="", help=_BY_HELP)
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
            p.add_argument("--by", default="", help=_BY_HELP)
        if name == "chart":
            p.add_argument("--out", default="sales-chart.html")
    p = verbs.add_parser("sales", parents=[common], help="record a salesperson's reported figure")
    p.add_argument("--salesperson", default="", help=_BY_HELP)
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
    p.add_argument("--salesperson", default="", help=_BY_HELP)
    p.add_argument("--customer", required=True)
    p.add_argument("--kind", choices=("gift", "hospitality", "expense"), required=True)
    p.add_argument("--amount", type=amount, required=True)
    p.add_argument("--on", required=True, help="YYYY-MM-DD")
    p.add_argument("--description", default="")
    sales.set_defaults(func=cmd_sales)
