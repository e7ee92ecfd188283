"""A month of a service desk (November 2026) driven through AfterSalesApp on a fake clock.

The tickets, with the default commitment table (p1 1 h / 8 h, p2 4 h / 48 h, p3 24 h / 120 h,
p4 72 h / 240 h), and what the quality report must say of them (computed by hand in the tests):
  T0 October, p3, closed in October (outside the period; archived at month end)
  T1 dave  hardware p1  answered in 40 min, resolved in 6 h, survey 5
  T2 erin  software p2  answered late (6 h), resolved in 25 h, survey 3
  T3 erin  billing  p3  bounced dave -> erin -> frank -> erin, answered in 23 h, resolved in 72 h,
                        survey 2
  T4 frank hardware p2  answered in 1 h, escalated to R&D, answer reported back, resolved late
                        (50 h), survey 4, reopened, resolved again at 79 h
  T5 dave  software p4  never answered; the customer wrote again; closed without resolution,
                        survey 1
  T6 erin  hardware p1  answered late (2 h), never resolved (open at month end)
  T7 frank software p3  received on the last evening, nothing due yet
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from warden.aftersales.app import AfterSalesApp
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData
from warden.money import Money


class FakeClock:
    """The service's clock, moved by the test (time is the subject here, not a collaborator)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> None:
        assert moment >= self.now, f"the clock only moves forward ({moment} < {self.now})"
        self.now = moment


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def eur(amount_minor: int) -> Money:
    return Money(amount_minor, "EUR")


@dataclass
class Month:
    app: AfterSalesApp
    clock: FakeClock
    tickets: dict[str, str] = field(default_factory=dict)
    escalation_id: str = ""
    fees: dict[str, object] = field(default_factory=dict)
    overdue_mid_month: list[tuple[str, list[str]]] = field(default_factory=list)


def staff_and_customers(app: AfterSalesApp) -> None:
    for agent_id, role in [
        ("dave", "agent"),
        ("erin", "agent"),
        ("frank", "agent"),
        ("sue", "supervisor"),
        ("bill", "billing"),
    ]:
        app.register_agent(Agent(agent_id, agent_id.title(), role, "desk"))
    for n in range(1, 6):
        app.register_customer(
            Customer(f"C{n}", "retail"),
            PersonalData(
                f"C{n}", f"Customer {n}", f"+49 30 000{n}", f"c{n}@example.com", f"Street {n}"
            ),
        )
    app.set_fee("SV-VISIT", "technician visit", eur(8_000), warranty_covers=False)
    app.set_fee("SW-INSTALL", "software install", eur(5_000), warranty_covers=False)
    app.set_fee("HW-REPAIR", "hardware repair", eur(12_000), warranty_covers=True)


def _open(m: Month, name: str, at: datetime, customer: str, product: str, agent: str) -> str:
    m.clock.at(at)
    ticket, _ = m.app.open_ticket(customer, product, "phone", f"problem {name}", agent)
    m.tickets[name] = ticket.ticket_id
    return ticket.ticket_id


def _do(m: Month, at: datetime, step, *args, **kwargs):  # type: ignore[no-untyped-def]
    m.clock.at(at)
    return step(*args, **kwargs)


def october_ticket(m: Month) -> None:
    a = m.app
    t0 = _open(m, "T0", datetime(2026, 10, 20, 9, tzinfo=UTC), "C5", "X100", "dave")
    _do(m, datetime(2026, 10, 20, 9, 5, tzinfo=UTC), a.classify, t0, "hardware", "p3", "dave")
    _do(m, datetime(2026, 10, 20, 10, tzinfo=UTC), a.respond, t0, "dave", "on it")
    _do(m, datetime(2026, 10, 21, 9, tzinfo=UTC), a.resolve, t0, "dave", "reset the unit")
    _do(m, datetime(2026, 10, 21, 10, tzinfo=UTC), a.close, t0, "dave")


def first_half(m: Month) -> None:
    a = m.app
    t1 = _open(m, "T1", nov(2, 8), "C1", "X100", "dave")
    _do(m, nov(2, 8, 10), a.classify, t1, "hardware", "p1", "dave")
    m.fees["read_by_own_agent"] = _do(
        m,
        nov(2, 8, 20),
        a.access_customer_data,
        "dave",
        "read",
        ["C1"],
        ["name", "phone"],
        purpose="call the customer back",
    )
    _do(m, nov(2, 8, 40), a.respond, t1, "dave", "a technician is on the way")
    m.fees["ok"] = _do(m, nov(2, 12), a.charge_fee, t1, "dave", "SV-VISIT", eur(8_000), False)
    _do(m, nov(2, 14), a.resolve, t1, "dave", "replaced the seal")
    _do(m, nov(2, 14, 30), a.close, t1, "dave")
    _do(m, nov(2, 18), a.answer_survey, t1, 5, "fast and friendly")

    t2 = _open(m, "T2", nov(3, 9), "C2", "X200", "erin")
    _do(m, nov(3, 9, 5), a.classify, t2, "software", "p2", "erin")
    _do(m, nov(3, 15), a.respond, t2, "erin", "sorry for the wait")
    m.fees["above"] = _do(m, nov(4, 9), a.charge_fee, t2, "erin", "SW-INSTALL", eur(7_500), False)
    _do(m, nov(4, 10), a.resolve, t2, "erin", "reinstalled the firmware")
    _do(m, nov(4, 11), a.close, t2, "erin")
    _do(m, nov(4, 12), a.answer_survey, t2, 3, "slow first answer")

    t3 = _open(m, "T3", nov(5, 10), "C3", "X100", "dave")
    _do(m, nov(5, 10, 30), a.classify, t3, "billing", "p3", "dave")
    _do(m, nov(5, 11), a.assign, t3, "erin", "dave", "billing is not mine")
    _do(m, nov(5, 15), a.assign, t3, "frank", "erin", "frank knows invoices")
    _do(m, nov(5, 18), a.assign, t3, "erin", "frank", "back to erin, I am off tomorrow")
    _do(m, nov(6, 9), a.respond, t3, "erin", "we are checking your invoice")
    m.fees["unscheduled"] = _do(m, nov(6, 10), a.charge_fee, t3, "erin", "RUSH", eur(2_000), False)
    _do(m, nov(8, 10), a.resolve, t3, "erin", "credit note issued")
    _do(m, nov(8, 11), a.close, t3, "erin")
    _do(m, nov(8, 12), a.answer_survey, t3, 2, "passed around")


def escalated_ticket(m: Month) -> None:
    a = m.app
    t4 = _open(m, "T4", nov(9, 8), "C4", "X100", "frank")
    _do(m, nov(9, 8, 5), a.classify, t4, "hardware", "p2", "frank")
    _do(m, nov(9, 9), a.respond, t4, "frank", "asking R&D")
    step = _do(m, nov(9, 9, 30), a.escalate, t4, "rnd", "pump loses pressure, known?", "frank")
    m.escalation_id = step.step.detail["escalation_id"]
    _do(m, nov(10, 12), a.answer_escalation, m.escalation_id, "seal batch 42 faulty", "rnd.rita")
    _do(m, nov(10, 15), a.report_back, m.escalation_id, "frank", "R&D: faulty seal, replacing")
    m.fees["warranty"] = _do(
        m, nov(10, 16), a.charge_fee, t4, "frank", "HW-REPAIR", eur(12_000), True
    )
    m.fees["duplicate"] = _do(
        m, nov(10, 17), a.charge_fee, t4, "frank", "HW-REPAIR", eur(12_000), True
    )
    m.fees["disclosed"] = _do(
        m,
        nov(10, 18),
        a.access_customer_data,
        "sue",
        "disclose",
        ["C4"],
        ["name", "address"],
        recipient="Acme Couriers",
        recipient_kind="external",
        purpose="ship the replacement seal",
    )
    _do(m, nov(11, 10), a.resolve, t4, "frank", "seal replaced")
    _do(m, nov(11, 11), a.close, t4, "frank")
    _do(m, nov(11, 12), a.answer_survey, t4, 4, "good once R&D answered")
    _do(m, nov(12, 9), a.reopen, t4, "sue", "customer called: still leaking")
    _do(m, nov(12, 15), a.resolve, t4, "frank", "second seal fitted and tested")
    _do(m, nov(12, 16), a.close, t4, "frank")


def second_half(m: Month) -> None:
    a = m.app
    t5 = _open(m, "T5", nov(16, 8), "C5", "X200", "dave")
    _do(m, nov(16, 8, 10), a.classify, t5, "software", "p4", "dave")
    _do(m, nov(17, 8), a.customer_message, t5, "any news?")
    _do(m, nov(18, 8), a.close, t5, "dave")
    _do(m, nov(18, 9), a.answer_survey, t5, 1, "nobody answered")

    t6 = _open(m, "T6", nov(20, 8), "C1", "X300", "erin")
    _do(m, nov(20, 8, 5), a.classify, t6, "hardware", "p1", "erin")
    m.clock.at(nov(20, 9, 30))
    m.overdue_mid_month = [(t.ticket_id, missed) for t, missed in a.overdue()]
    _do(m, nov(20, 10), a.respond, t6, "erin", "looking into it")

    t7 = _open(m, "T7", nov(30, 20), "C2", "X100", "frank")
    _do(m, nov(30, 20, 5), a.classify, t7, "software", "p3", "frank")


def run(app: AfterSalesApp, clock: FakeClock) -> Month:
    """The whole month; the clock ends on 2026-12-01 09:00 UTC."""
    month = Month(app, clock)
    staff_and_customers(app)
    october_ticket(month)
    first_half(month)
    escalated_ticket(month)
    second_half(month)
    clock.at(datetime(2026, 12, 1, 9, tzinfo=UTC))
    return month
