"""The demo's after-sales part: last month of a service desk through AfterSalesService, imported
as a back office would (each step carries when it happened), then the month's quality report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from warden.aftersales.edge.view import fee_line, report_html, report_text
from warden.clients import Clients
from warden.config import Settings
from warden.demo.common import eur, step
from warden.v1 import aftersales_pb2 as pb


def _last_month() -> datetime:
    first_of_this = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first_of_this - timedelta(days=1)).replace(day=1)


# The fields of a step's request that name the agent taking it.
AGENT_FIELDS = (
    "agent_id",
    "classified_by",
    "assigned_by",
    "escalated_by",
    "answered_by",
    "reported_by",
    "reopened_by",
)


class Desk:
    """Sends the month's steps, each dated `day` `hour`:`minute` of last month."""

    def __init__(self, clients: Clients) -> None:
        self.clients = clients
        self.stub = clients.aftersales
        self.start = _last_month()
        self.agents: dict[str, Any] = {}

    def agent(self, agent_id: str) -> Any:
        """The service as `agent_id` calls it, with their own token: the agent takes each
        step, reads personal data and charges fees as themselves."""
        if agent_id not in self.agents:
            self.agents[agent_id] = self.clients.acting_as(agent_id, "aftersales").aftersales
        return self.agents[agent_id]

    def at(self, day: int, hour: int, minute: int = 0) -> Timestamp:
        stamp = Timestamp()
        stamp.FromDatetime(self.start.replace(day=day, hour=hour, minute=minute))
        return stamp

    def open(self, when: Timestamp, customer: str, product: str, agent: str, text: str) -> str:
        reply = self.agent(agent).OpenTicket(
            pb.OpenTicketRequest(
                customer_id=customer,
                product_id=product,
                channel="phone",
                description=text,
                agent_id=agent,
                occurred_at=when,
            )
        )
        return str(reply.ticket.ticket_id)

    def send(self, rpc: str, when: Timestamp, by: str = "", **fields: Any) -> Any:
        """One step, sent with the token of the agent who takes it (`by`, else the agent the
        request names)."""
        by = by or next((fields[f] for f in AGENT_FIELDS if f in fields), "")
        request = getattr(pb, f"{rpc}Request")(**fields, occurred_at=when)
        return getattr(self.agent(by) if by else self.stub, rpc)(request)

    def lifecycle(
        self,
        ticket: str,
        agent: str,
        day: int,
        category: str,
        priority: str,
        answer_after_min: int,
        resolve_after_min: int,
        score: int,
        comment: str,
    ) -> None:
        """Classify, answer, resolve, close and survey one ticket opened on `day` at 09:00."""
        self.send(
            "ClassifyTicket",
            self.at(day, 9, 10),
            ticket_id=ticket,
            category=category,
            priority=priority,
            classified_by=agent,
        )
        answered = self.start.replace(day=day, hour=9) + timedelta(minutes=answer_after_min)
        resolved = self.start.replace(day=day, hour=9) + timedelta(minutes=resolve_after_min)
        self.send(
            "RespondToTicket",
            _stamp(answered),
            ticket_id=ticket,
            agent_id=agent,
            message="We are on it.",
        )
        self.send(
            "ResolveTicket",
            _stamp(resolved),
            ticket_id=ticket,
            agent_id=agent,
            resolution=f"{category} problem fixed",
        )
        closed = resolved + timedelta(hours=1)
        self.send("CloseTicket", _stamp(closed), ticket_id=ticket, agent_id=agent)
        self.send(
            "AnswerSurvey",
            _stamp(closed + timedelta(hours=2)),
            ticket_id=ticket,
            score=score,
            comment=comment,
        )


def _stamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _staff(desk: Desk) -> None:
    for agent_id, name, role in [
        ("dave", "Dave Okafor", "agent"),
        ("erin", "Erin Walsh", "agent"),
        ("frank", "Frank Ito", "agent"),
        ("sue.supervisor", "Sue Park", "supervisor"),
    ]:
        desk.stub.RegisterAgent(
            pb.RegisterAgentRequest(agent=pb.Agent(agent_id=agent_id, name=name, role=role))
        )
    for n, name in enumerate(["Acme Bakery", "Borg Metals", "Cole Farms", "Dunn Labs"], 1):
        desk.stub.RegisterCustomer(
            pb.RegisterCustomerRequest(
                customer=pb.Customer(customer_id=f"C-04{n}", segment="business"),
                personal=pb.PersonalData(
                    name=name,
                    phone=f"+49 30 555 0{n}",
                    email=f"info@c{n}.example",
                    address=f"Industriestr. {n}, Berlin",
                ),
            )
        )
    for code, price, covered in [("VISIT", 8_000, False), ("REPAIR", 15_000, True)]:
        desk.stub.SetFee(
            pb.SetFeeRequest(
                entry=pb.FeeScheduleEntry(
                    service_code=code, price=eur(price), warranty_covers=covered
                )
            )
        )
    print("  3 agents and a supervisor, 4 customers (personal data stored apart), 2 fees")


def _month(desk: Desk) -> None:
    month = desk.start.strftime("%B %Y")
    t1 = desk.open(desk.at(2, 9), "C-041", "X100", "dave", "Pump loses pressure after two hours")
    desk.lifecycle(t1, "dave", 2, "hardware", "p1", 40, 300, 5, "fixed the same day")
    t2 = desk.open(desk.at(6, 9), "C-042", "X200", "erin", "Controller app crashes")
    desk.lifecycle(t2, "erin", 6, "software", "p2", 420, 1800, 3, "first answer came late")
    print(f"  {month}: two tickets through the whole lifecycle (one answered 3 h late)")

    t3 = desk.open(desk.at(9, 9), "C-043", "X100", "dave", "Invoice shows a visit twice")
    desk.send(
        "ClassifyTicket",
        desk.at(9, 9, 30),
        ticket_id=t3,
        category="billing",
        priority="p3",
        classified_by="dave",
    )
    for hour, (src, dst, why) in enumerate(
        [
            ("dave", "erin", "billing is not mine"),
            ("erin", "frank", "frank knows invoices"),
            ("frank", "erin", "I am away tomorrow"),
        ],
        start=10,
    ):
        desk.send(
            "AssignTicket",
            desk.at(9, hour),
            ticket_id=t3,
            to_agent=dst,
            assigned_by=src,
            reason=why,
        )
    desk.send(
        "RespondToTicket",
        desk.at(10, 8),
        ticket_id=t3,
        agent_id="erin",
        message="Checking your invoice.",
    )
    print("  one ticket bounced dave -> erin -> frank -> erin (each hand-over recorded)")

    t4 = desk.open(desk.at(13, 9), "C-044", "X100", "frank", "Seal leaks on new pumps")
    desk.send(
        "ClassifyTicket",
        desk.at(13, 9, 5),
        ticket_id=t4,
        category="hardware",
        priority="p2",
        classified_by="frank",
    )
    desk.send(
        "RespondToTicket", desk.at(13, 10), ticket_id=t4, agent_id="frank", message="Asking R&D."
    )
    escalation = desk.send(
        "EscalateTicket",
        desk.at(13, 10, 30),
        ticket_id=t4,
        department="rnd",
        question="Known seal problem?",
        escalated_by="frank",
    ).escalation_id
    desk.send(
        "AnswerEscalation",
        desk.at(14, 12),
        escalation_id=escalation,
        answer_summary="Seal batch 42 is faulty",
        answered_by="rnd.rita",
    )
    desk.send(
        "ReportBackEscalation",
        desk.at(14, 15),
        escalation_id=escalation,
        reported_by="frank",
        message="R&D found a faulty seal batch; replacing it.",
    )
    for hour, warranty in [(16, True), (17, True)]:
        fee = desk.send(
            "ChargeFee",
            desk.at(14, hour),
            by="frank",
            ticket_id=t4,
            service_code="REPAIR",
            amount=eur(15_000),
            warranty=warranty,
        ).fee
        print(f"  fee {fee_line(fee)}")
    desk.send(
        "ResolveTicket",
        desk.at(15, 11),
        ticket_id=t4,
        agent_id="frank",
        resolution="Seal replaced under warranty",
    )
    desk.send("CloseTicket", desk.at(15, 12), ticket_id=t4, agent_id="frank")
    desk.send("AnswerSurvey", desk.at(15, 14), ticket_id=t4, score=4, comment="good in the end")
    print("  one ticket escalated to R&D, answer reported back; REPAIR charged twice on warranty")

    t5 = desk.open(desk.at(20, 9), "C-042", "X200", "dave", "Display flickers")
    desk.send(
        "ClassifyTicket",
        desk.at(20, 9, 5),
        ticket_id=t5,
        category="software",
        priority="p4",
        classified_by="dave",
    )
    desk.send("RecordCustomerMessage", desk.at(22, 9), ticket_id=t5, message="Any news?")
    close = desk.send("CloseTicket", desk.at(23, 9), ticket_id=t5, agent_id="dave")
    print(f"  one ticket closed unanswered: {close.note}")
    desk.send("AnswerSurvey", desk.at(23, 12), ticket_id=t5, score=1, comment="nobody answered")
    gold = desk.send(
        "ChargeFee",
        desk.at(23, 13),
        by="dave",
        ticket_id=t5,
        service_code="GOLD-SUPPORT",
        amount=eur(4_900),
    ).explanation
    print(f"  a fee outside the schedule: {gold}")


def _personal_data(desk: Desk) -> None:
    read = desk.agent("erin").ReadCustomerData(
        pb.ReadCustomerDataRequest(
            customer_id="C-043",
            fields=["name", "phone"],
            purpose="call back about invoice",
        )
    )
    print(f"  erin read {read.record.personal.name}'s phone for her open ticket (logged)")
    desk.agent("sue.supervisor").DiscloseCustomerData(
        pb.DiscloseCustomerDataRequest(
            customer_id="C-044",
            fields=["name", "address"],
            recipient="Speedy Couriers",
            recipient_kind="external",
            purpose="ship the new seal",
        )
    )
    print("  the supervisor disclosed C-044's name and address to Speedy Couriers (logged)")


def scenario(clients: Clients) -> None:
    """Last month at a service desk, then its quality report; every step is an event."""
    desk = Desk(clients)
    step("After-sales: the service desk's staff, customers and fee schedule")
    _staff(desk)
    step(f"After-sales: the desk's month ({desk.start:%B %Y}), imported with the real times")
    _month(desk)
    step("After-sales: customer data read by an agent and disclosed to an outside party")
    _personal_data(desk)
    step("After-sales: tickets past due now")
    for overdue in desk.stub.ListOverdueTickets(pb.ListOverdueTicketsRequest()).tickets:
        print(
            f"  {overdue.ticket.ticket_id} ({overdue.ticket.agent_id}): missed "
            f"{', '.join(overdue.missed)}"
        )
    step("After-sales: archiving closed records older than 20 days")
    supervisor = desk.agent("sue.supervisor")  # she archives and publishes as herself
    run = supervisor.ArchiveRecords(pb.ArchiveRecordsRequest(older_than_days=20))
    print(f"  moved {run.archived_count} record(s) to the archive; they stay readable")
    step(f"After-sales: the quality report of {desk.start:%Y-%m}")
    report = supervisor.GetQualityReport(
        pb.GetQualityReportRequest(period=f"{desk.start:%Y-%m}", publish=True)
    )
    print(report_text(report))
    chart = Settings.from_env().data_dir / "demo" / f"quality-{desk.start:%Y-%m}.html"
    chart.parent.mkdir(parents=True, exist_ok=True)
    chart.write_text(report_html(report))
    print(f"  the report with its charts: {chart} (open it in a browser)")
