"""The demo's sales part: salespeople, a price list and price changes through SalesService."""

from __future__ import annotations

from warden.clients import Clients
from warden.demo.common import eur, step
from warden.v1 import sales_pb2


def scenario(clients: Clients) -> None:
    """Sales events, through SalesService as an enterprise system would send them."""
    step("Sales: salespeople and the price list")
    for pid, name, role in [
        ("alice", "Alice Martin", "sales_rep"),
        ("bob", "Bob Chen", "sales_manager"),
        ("carol.director", "Carol Diaz", "sales_director"),
    ]:
        clients.sales.RegisterSalesperson(
            sales_pb2.RegisterSalespersonRequest(
                salesperson=sales_pb2.Salesperson(
                    salesperson_id=pid, name=name, role=role, team="north"
                )
            )
        )
        print(f"  registered {name} ({role})")
    clients.sales.SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100",
            name="X100 industrial pump",
            list_price=eur(100_000),
            floor_price=eur(85_000),
            set_by="pricing.admin",
        )
    )
    print("  X100 industrial pump: list 1,000.00 EUR, policy floor 850.00 EUR")

    step("Sales: three price changes")
    changes = [
        ("alice", 95_000, "", "volume customer, inside her authority"),
        ("bob", 80_000, "carol.director", "strategic account, approved by the director"),
        ("alice", 70_000, "", "to close before month end, nobody asked"),
    ]
    for who, price, approver, why in changes:
        clients.sales.ChangePrice(
            sales_pb2.ChangePriceRequest(
                product_id="X100",
                salesperson_id=who,
                new_price=eur(price),
                reason=why,
                approved_by=approver,
            )
        )
        approval = f"approved by {approver}" if approver else "no approval"
        print(f"  {who} -> {price / 100:,.2f} EUR ({approval}): {why}")
