"""A small sales world for the gRPC tests: people, products, a target, opportunities at several
stages, a signed contract and a pending price-change request."""

from __future__ import annotations

from dataclasses import dataclass

from warden.money import Money
from warden.sales.app import SalesApp
from warden.sales.domain.prices import Salesperson
from warden.sales.domain.targets import Quota
from warden.sales.usecases.contracts import LineInput
from warden.v1 import common_pb2

SHA = "ab" * 32


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def pb_eur(minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=minor, currency="EUR")


@dataclass
class World:
    at_visit: str
    at_proposal: str  # proposal document archived, no contract
    bare_proposal: str  # at proposal without its document
    contract_id: str  # 2 x P1 at 100.00, nothing paid
    request_id: str  # alice asks 30% off P2, pending


def seed(app: SalesApp) -> World:
    for pid, role, team in [
        ("alice", "sales_rep", "north"),
        ("bob", "sales_manager", "north"),
        ("carol", "sales_director", "board"),
    ]:
        app.register_salesperson(Salesperson(pid, pid.title(), role, team))
    app.set_list_price("P1", "valve", eur(10_000), eur(8_000))
    app.set_list_price("P2", "pump", eur(50_000), eur(40_000))
    app.set_target(
        2026,
        "north",
        eur(200_000),
        [Quota("alice", eur(100_000)), Quota("bob", eur(100_000))],
        False,
        "carol",
        "set in the first week",
    )
    ids = [
        app.create_opportunity("C1", "alice", t, eur(20_000)).opportunity.opportunity_id
        for t in ("visit", "proposal", "bare", "signed")
    ]
    for oid in ids:
        app.change_stage(oid, "visit", "alice")
    for oid in ids[1:]:
        app.change_stage(oid, "needs_analysis", "alice")
        app.change_stage(oid, "proposal", "alice")
    for oid in (ids[1], ids[3]):
        app.archive_document(oid, "offer.pdf", "proposal", SHA, "s3://docs/offer", "alice")
    contract = app.sign_contract(ids[3], [LineInput("P1", 2, eur(10_000))], "alice").contract
    request = app.request_price_change("P2", "alice", eur(35_000), "tender").request
    return World(ids[0], ids[1], ids[2], contract.contract_id, request.request_id)
