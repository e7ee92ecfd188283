"""`make demo`: the scripted scenario, from a price change to the HR decision, on a real stack."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable

from warden.clients import Clients
from warden.config import Settings
from warden.platform.kafka import read_topic
from warden.platform.topics import HR_PENALTY_DECISIONS
from warden.render import case_text
from warden.stack import Stack
from warden.v1 import aftersales_pb2, common_pb2, compliance_pb2, sales_pb2

OFFICER = "olivia.officer"


def eur(amount_minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=amount_minor, currency="EUR")


def step(text: str) -> None:
    print(f"\n== {text}")


def scenario(clients: Clients) -> None:
    """The events of the demo, through the services' gRPC APIs as an enterprise system would."""
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

    step("After-sales: a customer's problem comes in")
    reply = clients.aftersales.OpenTicket(
        aftersales_pb2.OpenTicketRequest(
            customer_id="C-042",
            product_id="X100",
            channel="phone",
            description="Pump loses pressure after two hours",
            agent_id="dave",
        )
    )
    print(f"  ticket {reply.ticket.ticket_id} received by dave over the phone")


def wait_for(probe: Callable[[], object], timeout_s: float, what: str) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(f"gave up waiting for {what} after {timeout_s:.0f}s")


def run(settings: Settings) -> int:
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    print(f"Warden demo: embedded broker + 3 services on SQLite under {settings.data_dir}")
    with Stack(settings) as stack:
        print(
            f"  broker {stack.bootstrap}; services on ports "
            f"{settings.sales_port}, {settings.aftersales_port}, {settings.compliance_port}"
        )
        clients = Clients.connect(
            stack.address("sales"), stack.address("aftersales"), stack.address("compliance")
        )
        try:
            scenario(clients)
            step("Compliance: what was flagged")
            cases = wait_for(
                lambda: (
                    clients.compliance.ListCases(
                        compliance_pb2.ListCasesRequest(status=compliance_pb2.CASE_STATUS_OPEN)
                    ).cases
                ),
                60,
                "the compliance case",
            )
            for case in cases:  # type: ignore[attr-defined]
                print(case_text(case))
            case = cases[0]  # type: ignore[index]

            step(f"Compliance officer {OFFICER} reviews and confirms the proposal")
            decision = clients.compliance.DecideCase(
                compliance_pb2.DecideCaseRequest(
                    case_id=case.case_id,
                    officer_id=OFFICER,
                    outcome=compliance_pb2.OUTCOME_CONFIRMED,
                    reason="Price below floor without approval; employee informed.",
                )
            ).decision
            print(f"  decision {decision.decision_id} recorded")

            step(f"HR: the decision as received on {HR_PENALTY_DECISIONS}")
            records = read_topic(stack.bootstrap, HR_PENALTY_DECISIONS, timeout_s=30)
            if not records:
                raise TimeoutError("the decision did not reach the HR topic in 30 s")
            print(json.dumps(json.loads(records[0].value), indent=2))
        finally:
            clients.close()
    print(
        f"\nDemo finished: 1 violation flagged, confirmed, and sent to HR. "
        f"Service logs are in {settings.data_dir / 'logs'}."
    )
    return 0
