"""Records `month.jsonl`: a month (November 2026) of mixed sales and after-sales events, in
and out of policy, as enterprise systems would send them. Run `python -m
tests.integration.compliance.month` to re-record it; the replay test reads the file."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from warden.platform.cloudevents import CloudEvent, format_time

FILE = Path(__file__).with_name("month.jsonl")
START = datetime(2026, 11, 1, 8, tzinfo=UTC)
SALES = ["alice", "bob", "carol", "sam"]
AGENTS = ["dave", "erin", "frank", "gina"]
CUSTOMERS = [f"C-{n:03d}" for n in range(1, 16)]


class Month:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.events: list[CloudEvent] = []
        self.n = 0

    def emit(self, at: datetime, kind: str, subject: str, data: dict[str, Any]) -> None:
        self.n += 1
        producer = kind.split(".")[1]
        self.events.append(
            CloudEvent(
                id=f"m-{self.n:05d}",
                type=kind,
                source=f"/warden/{producer}",
                subject=subject,
                time=at,
                data=data,
            )
        )

    def price_change(self, at: datetime) -> None:
        who = self.rng.choice(SALES)
        new = self.rng.choice([95_000, 88_000, 80_000, 70_000])
        approved = self.rng.random() < 0.4
        self.emit(
            at,
            "warden.sales.price.changed",
            who,
            {
                "price_change_id": f"P-{self.n}",
                "product_id": "X100",
                "currency": "EUR",
                "list_price_minor": 100_000,
                "floor_price_minor": 85_000,
                "old_price_minor": 100_000,
                "new_price_minor": new,
                "discount_bp": (100_000 - new) * 10_000 // 100_000,
                "changed_by": who,
                "changed_by_role": "sales_rep",
                "authority_bp": 1_000,
                "approval": {
                    "status": "approved" if approved else "none",
                    "approved_by": "director" if approved else None,
                    "requested_by": who,
                },
                "reason": "",
            },
        )

    def expense(self, at: datetime) -> tuple[str, str]:
        who, customer = self.rng.choice(SALES), self.rng.choice(CUSTOMERS[:5])
        self.emit(
            at,
            "warden.sales.expense.recorded",
            who,
            {
                "expense_id": f"X-{self.n}",
                "salesperson_id": who,
                "customer_id": customer,
                "kind": self.rng.choice(["gift", "hospitality", "expense"]),
                "amount_minor": self.rng.choice([3_000, 12_000, 19_000, 26_000]),
                "currency": "EUR",
                "incurred_on": at.date().isoformat(),
                "description": "client relations",
            },
        )
        return who, customer

    def contract(self, at: datetime, who: str, customer: str) -> None:
        off = self.rng.random() < 0.25
        self.emit(
            at,
            "warden.sales.contract.signed",
            who,
            {
                "contract_id": f"K-{self.n}",
                "opportunity_id": f"O-{self.n}",
                "customer_id": customer,
                "salesperson_id": who,
                "currency": "EUR",
                "total_minor": 1_000_000,
                "signed_at": format_time(at),
                "lines": [],
                "off_list_unapproved_lines": 1 if off else 0,
            },
        )

    def report(self, at: datetime, who: str) -> None:
        proven = self.rng.choice([5_000_000, 8_000_000])
        reported = proven * self.rng.choice([100, 103, 110, 125]) // 100
        self.emit(
            at,
            "warden.sales.sales.reported",
            who,
            {
                "report_id": f"R-{self.n}",
                "salesperson_id": who,
                "period": "2026-11",
                "period_start": "2026-11-01",
                "period_end": "2026-11-30",
                "currency": "EUR",
                "reported_minor": reported,
                "proven_signed_minor": proven,
                "proven_collected_minor": proven,
                "overstatement_signed_bp": (reported - proven) * 10_000 // proven,
                "overstatement_collected_bp": (reported - proven) * 10_000 // proven,
            },
        )

    def ticket(self, at: datetime) -> None:
        ticket, agent, customer = f"T-{self.n}", self.rng.choice(AGENTS), self.rng.choice(CUSTOMERS)
        base = {"ticket_id": ticket, "customer_id": customer}
        self.emit(
            at,
            "warden.aftersales.ticket.received",
            agent,
            {**base, "product_id": "X100", "channel": "phone", "agent_id": agent},
        )
        first_due, resolution_due = at + timedelta(hours=4), at + timedelta(days=2)
        self.emit(
            at + timedelta(minutes=10),
            "warden.aftersales.ticket.classified",
            agent,
            {
                **base,
                "category": "defect",
                "priority": "p2",
                "first_response_due": format_time(first_due),
                "resolution_due": format_time(resolution_due),
                "classified_by": agent,
                "agent_id": agent,
            },
        )
        responded = at + timedelta(hours=self.rng.choice([1, 3, 6]))
        self.emit(
            responded,
            "warden.aftersales.ticket.responded",
            agent,
            {
                **base,
                "agent_id": agent,
                "first_response": True,
                "first_response_due": format_time(first_due),
                "late": responded > first_due,
            },
        )
        if self.rng.random() < 0.3:
            self.emit(
                at + timedelta(hours=7),
                "warden.aftersales.fee.charged",
                agent,
                {
                    **base,
                    "fee_id": f"F-{self.n}",
                    "agent_id": agent,
                    "service_code": "CALLOUT",
                    "amount_minor": self.rng.choice([12_000, 15_000]),
                    "currency": "EUR",
                    "in_schedule": True,
                    "schedule_price_minor": 12_000,
                    "warranty": self.rng.random() < 0.3,
                    "warranty_covers": True,
                    "duplicate_of": None,
                },
            )
        if self.rng.random() < 0.2:
            self.emit(
                at + timedelta(hours=8),
                "warden.aftersales.customer_data.accessed",
                self.rng.choice(AGENTS),
                self._access(customer),
            )
        resolved = at + timedelta(hours=self.rng.choice([20, 40, 60]))
        if self.rng.random() < 0.85:
            self.emit(
                resolved,
                "warden.aftersales.ticket.resolved",
                agent,
                {
                    **base,
                    "agent_id": agent,
                    "resolution": "fixed",
                    "resolution_due": format_time(resolution_due),
                    "late": resolved > resolution_due,
                },
            )
        closed_with = self.rng.random() < 0.9
        self.emit(
            resolved + timedelta(hours=1),
            "warden.aftersales.ticket.closed",
            agent,
            {
                **base,
                "agent_id": agent,
                "has_resolution": closed_with,
                "customer_awaiting_answer": False,
                "outcome": "resolved" if closed_with else "unresolved",
            },
        )
        self.emit(
            resolved + timedelta(hours=30),
            "warden.aftersales.survey.answered",
            agent,
            {
                **base,
                "agent_id": agent,
                "score": self.rng.choice([1, 3, 4, 5, 5]),
                "comment": "",
                "ticket_outcome": "resolved" if closed_with else "unresolved",
            },
        )

    def _access(self, customer: str) -> dict[str, Any]:
        action = self.rng.choice(["read", "read", "disclose", "export"])
        return {
            "access_id": f"D-{self.n}",
            "customer_id": customer,
            "accessor_id": "",
            "accessor_role": "agent",
            "action": action,
            "fields": ["phone"],
            "recipient_kind": "external" if action == "disclose" else "internal",
            "recipient": "partner.example",
            "purpose": self.rng.choice(["", "delivery"]),
            "customer_count": 80 if action == "export" else 1,
        }

    def record(self) -> list[CloudEvent]:
        for day in range(30):
            morning = START + timedelta(days=day)
            for slot in range(4):
                at = morning + timedelta(hours=slot * 2, minutes=self.rng.randrange(60))
                choice = self.rng.random()
                if choice < 0.2:
                    self.price_change(at)
                elif choice < 0.4:
                    who, customer = self.expense(at)
                    if self.rng.random() < 0.5:
                        self.contract(at + timedelta(days=self.rng.choice([2, 40])), who, customer)
                else:
                    self.ticket(at)
        for who in SALES:
            self.report(START + timedelta(days=29, hours=10), who)
        for event in self.events:
            if event.type.endswith("customer_data.accessed"):
                event.data["accessor_id"] = event.subject
        return sorted(self.events, key=lambda e: (e.time, e.id))


def main() -> None:
    events = Month().record()
    FILE.write_text("".join(e.to_json() + "\n" for e in events))
    print(f"{len(events)} events written to {FILE}")


if __name__ == "__main__":
    main()
