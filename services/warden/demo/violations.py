"""The demo's violations: enterprise systems stream last week's events straight onto Kafka, one
story per clause family of 4.1 and 4.2, each breaking the rules it names."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from warden.clients import Clients
from warden.demo.common import step
from warden.platform.cloudevents import CloudEvent, format_time
from warden.platform.kafka_options import Security
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS
from warden.v1 import compliance_pb2

# The rules the stories below break (the demo waits until each has opened a case).
EXPECTED = (
    "sales-overstated",
    "gift-above-threshold",
    "contract-after-gift",
    "contract-amended-without-approval",
    "price-changed-self-approved",
    "fee-above-schedule",
    "personal-data-disclosed-without-purpose",
    "customer-data-exported-without-purpose",
    "customer-data-read-without-relation",
    "resolution-late",
    "reopened-soon-after-close",
)


# The enterprise systems the demo stands in for, allowed on the topics they write to, as an
# operator allows them (WARDEN_ALLOWED_SOURCES).
SOURCES = (
    f"{SALES_EVENTS}=/enterprise/sales-system,{AFTERSALES_EVENTS}=/enterprise/aftersales-system"
)


def demo_event(kind: str, subject: str, at: datetime, data: dict[str, Any]) -> CloudEvent:
    producer = kind.split(".")[1]
    return CloudEvent(
        type=kind, source=f"/enterprise/{producer}-system", subject=subject, time=at, data=data
    )


def _bribery(now: datetime) -> list[CloudEvent]:
    dinner = now - timedelta(days=6)
    signed = now - timedelta(days=2)
    return [
        demo_event(
            "warden.sales.expense.recorded",
            "bob",
            dinner,
            {
                "expense_id": "EXP-7781",
                "salesperson_id": "bob",
                "customer_id": "C-314",
                "kind": "hospitality",
                "amount_minor": 45_000,
                "currency": "EUR",
                "incurred_on": dinner.date().isoformat(),
                "description": "dinner for the purchasing director of C-314",
            },
        ),
        demo_event(
            "warden.sales.contract.signed",
            "bob",
            signed,
            {
                "contract_id": "K-2026-118",
                "opportunity_id": "O-118",
                "customer_id": "C-314",
                "salesperson_id": "bob",
                "currency": "EUR",
                "total_minor": 9_500_000,
                "signed_at": format_time(signed),
                "lines": [
                    {
                        "product_id": "X100",
                        "quantity": 100,
                        "unit_price_minor": 95_000,
                        "list_price_minor": 95_000,
                        "approved_price_change_id": None,
                    }
                ],
                "off_list_unapproved_lines": 0,
            },
        ),
        demo_event(
            "warden.sales.sales.reported",
            "bob",
            now - timedelta(days=1),
            {
                "report_id": "SR-bob-2026-11",
                "salesperson_id": "bob",
                "period": "2026-11",
                "period_start": "2026-11-01",
                "period_end": "2026-11-30",
                "currency": "EUR",
                "reported_minor": 12_500_000,
                "proven_signed_minor": 9_500_000,
                "proven_collected_minor": 0,
                "overstatement_signed_bp": 3_157,
                "overstatement_collected_bp": 1_250_000_000,
            },
        ),
    ]


def _contract_change(now: datetime) -> list[CloudEvent]:
    return [
        demo_event(
            "warden.sales.contract.amended",
            "alice",
            now - timedelta(days=1, hours=3),
            {
                "contract_id": "K-2026-097",
                "amendment_id": "AM-5",
                "customer_id": "C-042",
                "salesperson_id": "alice",
                "changed_fields": ["payment_terms_days"],
                "old": {"payment_terms_days": 30},
                "new": {"payment_terms_days": 120},
                "approval": {"status": "none", "approved_by": None, "requested_by": "alice"},
            },
        ),
        # Approved by herself (typed in capitals): the floor and authority rules see an
        # approved change; the self-approval rule compares the ids case-folded.
        demo_event(
            "warden.sales.price.changed",
            "alice",
            now - timedelta(days=1, hours=1),
            {
                "price_change_id": "ERP-PC-41",
                "product_id": "X200",
                "currency": "EUR",
                "list_price_minor": 100_000,
                "floor_price_minor": 85_000,
                "old_price_minor": 100_000,
                "new_price_minor": 88_000,
                "discount_bp": 1_200,
                "changed_by": "alice",
                "changed_by_role": "sales_rep",
                "authority_bp": 1_000,
                "approval": {"status": "approved", "approved_by": "ALICE", "requested_by": "alice"},
            },
        ),
    ]


def _privacy_and_fees(now: datetime) -> list[CloudEvent]:
    return [
        demo_event(
            "warden.aftersales.fee.charged",
            "dave",
            now - timedelta(days=3),
            {
                "fee_id": "FEE-311",
                "ticket_id": "T-9001",
                "customer_id": "C-042",
                "agent_id": "dave",
                "service_code": "CALLOUT",
                "amount_minor": 18_000,
                "currency": "EUR",
                "in_schedule": True,
                "schedule_price_minor": 12_000,
                "warranty": False,
                "warranty_covers": False,
                "duplicate_of": None,
            },
        ),
        demo_event(
            "warden.aftersales.customer_data.accessed",
            "erin",
            now - timedelta(days=2, hours=5),
            {
                "access_id": "ACC-77",
                "customer_id": "C-042",
                "accessor_id": "erin",
                "accessor_role": "agent",
                "action": "disclose",
                "fields": ["name", "phone", "address"],
                "recipient_kind": "external",
                "recipient": "leads-broker.example",
                "purpose": "",
                "customer_count": 1,
                # What the desk system attached: nested personal fields, masked for officers.
                "customer": {"phone": "+49 30 5550142", "address": "Lindenweg 7, Potsdam"},
            },
        ),
        # 35 customers, under the bulk limit of 50: flagged for having no purpose.
        demo_event(
            "warden.aftersales.customer_data.accessed",
            "ivan",
            now - timedelta(days=2, hours=1),
            {
                "access_id": "ACC-79",
                "customer_id": "*",
                "accessor_id": "ivan",
                "accessor_role": "supervisor",
                "action": "export",
                "fields": ["phone"],
                "recipient_kind": "internal",
                "recipient": "usb-stick",
                "purpose": "",
                "customer_count": 35,
            },
        ),
        # Judged once every input partition has passed its time: tickets travel on others.
        demo_event(
            "warden.aftersales.customer_data.accessed",
            "henry",
            now - timedelta(days=1, hours=2),
            {
                "access_id": "ACC-78",
                "customer_id": "C-314",
                "accessor_id": "henry",
                "accessor_role": "agent",
                "action": "read",
                "fields": ["phone", "address"],
                "recipient_kind": "internal",
                "recipient": "henry",
                "purpose": "",
                "customer_count": 1,
            },
        ),
    ]


def _neglect(now: datetime) -> list[CloudEvent]:
    opened = now - timedelta(days=4)
    ticket = {"ticket_id": "T-9002", "customer_id": "C-077"}
    closed = now - timedelta(days=2, hours=6)
    return [
        demo_event(
            "warden.aftersales.ticket.classified",
            "frank",
            opened,
            {
                **ticket,
                "category": "defect",
                "priority": "p2",
                "first_response_due": format_time(opened + timedelta(hours=4)),
                "resolution_due": format_time(opened + timedelta(days=2)),
                "classified_by": "frank",
                "agent_id": "frank",
            },
        ),
        demo_event(
            "warden.aftersales.ticket.responded",
            "frank",
            opened + timedelta(hours=1),
            {
                **ticket,
                "agent_id": "frank",
                "first_response": True,
                "first_response_due": format_time(opened + timedelta(hours=4)),
                "late": False,
            },
        ),
        demo_event(
            "warden.aftersales.customer.messaged",
            "frank",
            now - timedelta(days=1),
            {**ticket, "message_id": "MSG-5521"},
        ),
        demo_event(
            "warden.aftersales.ticket.reopened",
            "gina",
            closed + timedelta(hours=30),
            {
                "ticket_id": "T-9003",
                "customer_id": "C-091",
                "agent_id": "gina",
                "reopened_by": "C-091",
                "reason": "the pump leaks again",
                "closed_at": format_time(closed),
                "hours_since_close": 30,
            },
        ),
    ]


def publish_events(
    bootstrap: str, topic: str, events: Iterable[CloudEvent], security: Security | None
) -> None:
    publisher = KafkaPublisher(bootstrap, security=security)
    try:
        for event in events:
            key = str(event.data.get("ticket_id") or event.subject)
            publisher.send(topic, key, event.to_bytes())
    finally:
        publisher.close()


def scenario(clients: Clients, bootstrap: str, security: Security | None = None) -> tuple[str, ...]:
    """Last week's violations, one story per clause family, as enterprise systems stream them
    onto the input topics; returns the ids of the rules they break."""
    now = datetime.now(UTC)
    step("Enterprise systems stream last week's events straight onto Kafka")
    publish_events(bootstrap, SALES_EVENTS, [*_bribery(now), *_contract_change(now)], security)
    print("  4.1.1 bob: 450.00 EUR dinner for C-314, contract with C-314 four days later,")
    print("        November sales reported 31 % above his signed contracts")
    print("  4.1.2 alice: contract K-2026-097 payment terms 30 -> 120 days, no approval;")
    print("        a 12 % discount on X200 approved by 'ALICE', herself")
    # Each ticket's events stay in order on its partition; let the after-sales service's
    # outbox finish publishing last month's desk first, as a real stream would be in order.
    time.sleep(2)
    publish_events(
        bootstrap, AFTERSALES_EVENTS, [*_privacy_and_fees(now), *_neglect(now)], security
    )
    print("  4.2.1 dave: 180.00 EUR call-out fee (schedule 120.00 EUR);")
    print("        erin: C-042's phone and address to a leads broker, no purpose recorded;")
    print("        ivan: 35 customers' phone numbers exported to a USB stick, no purpose;")
    print("        henry: C-314's phone and address read, with no ticket or opportunity for")
    print("        C-314 (judged once every partition has passed the read: tickets travel on")
    print("        other partitions)")
    print("  4.2.2 frank: ticket T-9002 due two days ago, still unresolved, the customer chases;")
    print("        gina: ticket T-9003 reopened 30 hours after she closed it")
    return EXPECTED


def flagged(clients: Clients, rule_ids: Iterable[str]) -> list[compliance_pb2.Case]:
    """The open cases once every rule in `rule_ids` has opened one, else []."""
    cases = open_cases(clients)
    found = {f.rule_id for c in cases for f in c.findings}
    return cases if set(rule_ids) <= found else []


def settled(
    clients: Clients, cases: list[compliance_pb2.Case], pause_s: float, rounds: int = 6
) -> list[compliance_pb2.Case]:
    """The open cases once `pause_s` passed without a new one (at most `rounds` pauses): the
    deadlines of a partition that went quiet are judged by the clock a few seconds after its
    last event, so a ticket left unanswered may be flagged after the expected cases."""
    for _ in range(rounds):
        time.sleep(pause_s)
        again = open_cases(clients)
        if len(again) == len(cases):
            return again
        cases = again
    return cases


def open_cases(clients: Clients) -> list[compliance_pb2.Case]:
    return list(
        clients.compliance.ListCases(
            compliance_pb2.ListCasesRequest(status=compliance_pb2.CASE_STATUS_OPEN, page_size=500)
        ).cases
    )
