"""A salesperson's year on a real database (SQLite and PostgreSQL): targets set and broken down,
a dozen opportunities through the pipeline with documents, price changes inside and outside the
policy, approved and not, amended contracts, payments, and the month-, quarter- and year-end
reports, every number worked out by hand in the comments."""

from __future__ import annotations

import hashlib

import pytest

from warden.contract import validate
from warden.money import Money
from warden.platform.cloudevents import parse
from warden.sales.domain.prices import Salesperson
from warden.sales.domain.targets import Quota
from warden.sales.usecases.contracts import LineInput

from .conftest import Sales

EST = 10_000  # every opportunity's estimated value


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Year:
    """Drives the app through 2026 with the clock set to each step's date."""

    def __init__(self, sales: Sales) -> None:
        self.sales, self.app, self.clock = sales, sales.app, sales.clock
        self.opps: dict[str, str] = {}
        self.contracts: dict[str, str] = {}

    def on(self, month: int, day: int, year: int = 2026) -> Year:
        self.clock.set(year, month, day)
        return self

    def open(self, name: str, who: str = "alice") -> None:
        result = self.app.create_opportunity(f"C-{name}", who, name, eur(EST))
        self.opps[name] = result.opportunity.opportunity_id

    def to(self, name: str, stage: str, who: str = "alice", reason: str = "") -> None:
        self.app.change_stage(self.opps[name], stage, who, out_of_order=bool(reason), reason=reason)

    def propose(self, name: str, who: str = "alice") -> None:
        self.to(name, "proposal", who)
        self.app.archive_document(
            self.opps[name], f"{name}-offer.pdf", "proposal", sha(name), f"s3://docs/{name}", who
        )

    def sign(self, name: str, *lines: LineInput, who: str = "alice") -> str:
        result = self.app.sign_contract(self.opps[name], list(lines), who)
        self.contracts[name] = result.contract.contract_id
        return result.contract.contract_id

    def pay(self, name: str, amount: int) -> None:
        self.app.record_payment(self.contracts[name], eur(amount), "finance")

    def deal_to_proposal(self, name: str, month: int, who: str = "alice") -> None:
        self.on(month, 3).open(name, who)
        self.on(month, 5).to(name, "visit", who)
        self.on(month, 8).to(name, "needs_analysis", who)
        self.on(month, 12).propose(name, who)


def p1(quantity: int, unit: int = 10_000) -> LineInput:
    return LineInput("P1", quantity, eur(unit))


def p2(quantity: int, unit: int = 50_000, request_id: str = "") -> LineInput:
    return LineInput("P2", quantity, eur(unit), request_id)


def setup_team(y: Year) -> None:
    y.on(12, 15, year=2025)
    for pid, role, team in [
        ("alice", "sales_rep", "north"),
        ("bob", "sales_manager", "north"),
        ("carol", "sales_director", "board"),
    ]:
        y.app.register_salesperson(Salesperson(pid, pid.title(), role, team))
    y.app.set_list_price("P1", "valve", eur(10_000), eur(8_000))
    y.app.set_list_price("P2", "pump", eur(50_000), eur(40_000))
    y.app.set_target(
        2026,
        "north",
        eur(2_400_000),
        [Quota("alice", eur(1_200_000)), Quota("bob", eur(1_200_000))],
        False,
        "carol",
    )


def first_quarter(y: Year) -> None:
    # January: o1, 2 x P1 at list = 200.00, paid in full the same month.
    y.deal_to_proposal("o1", 1)
    y.on(1, 20).sign("o1", p1(2))
    y.on(1, 25).pay("o1", 20_000)
    # February: alice lowers P1 to 95.00 herself (5% <= her 10%: inside policy, no approval).
    y.deal_to_proposal("o2", 2)
    y.on(2, 15).app.change_price("P1", "alice", eur(9_500), reason="volume")
    y.on(2, 20).sign("o2", p1(3, 9_500))  # 285.00, off list and not approved: counted
    # March: o2 is paid; alice asks 30% off P2, carol (director, 40%) approves; o3 signs on it.
    y.on(3, 5).pay("o2", 28_500)
    y.deal_to_proposal("o3", 3)
    asked = y.on(3, 14).app.request_price_change("P2", "alice", eur(35_000), "tender").request
    y.on(3, 15).app.decide_price_change(asked.request_id, "carol", True)
    y.on(3, 20).sign("o3", p2(1, 35_000, asked.request_id))  # 350.00
    y.on(3, 28).pay("o3", 15_000)  # part of it


def check_first_quarter_reports(y: Year) -> None:
    y.on(4, 1)
    march = y.app.performance_report("salesperson", "alice", "2026-03")
    # target: 1,200,000 / 12 = 100,000. signed in March: o3 35,000.
    # collected in March: o2 28,500 + o3 15,000 = 43,500.
    assert march.totals.target_minor == 100_000
    assert (march.totals.signed_minor, march.totals.collected_minor) == (35_000, 43_500)
    assert march.totals.signed_completion_bp == 3_500  # 35,000 / 100,000
    assert march.totals.collected_completion_bp == 4_350  # 43,500 / 100,000
    # at the end of March: o1 and o2 paid in full, o3 signed but not fully paid.
    assert {s.stage: s.count for s in march.pipeline if s.count} == {
        "contract_signed": 1,
        "payment_collected": 2,
    }
    assert [(c.entered, c.converted, c.rate_bp) for c in march.conversions] == [
        (1, 1, 10_000),  # o3 entered lead in March and reached visit
        (1, 1, 10_000),
        (1, 1, 10_000),
        (1, 1, 10_000),
        (1, 0, 0),  # o3 signed in March, not paid in full by its end
    ]
    q1 = y.app.performance_report("salesperson", "alice", "2026-Q1")
    # target 300,000; signed 20,000 + 28,500 + 35,000 = 83,500;
    # collected 20,000 (Jan) + 28,500 + 15,000 (Mar) = 63,500.
    assert (q1.totals.target_minor, q1.totals.signed_minor, q1.totals.collected_minor) == (
        300_000,
        83_500,
        63_500,
    )
    assert q1.totals.signed_completion_bp == 2_783  # 835,000,000 // 300,000
    assert q1.totals.collected_completion_bp == 2_116  # 635,000,000 // 300,000
    published = y.app.publish_report("salesperson", "alice", "2026-03", ["alice", "carol"], "bob")
    assert published.report == march


def rest_of_year(y: Year) -> None:
    # April: o3 paid off; o4 signed at 4 x 100.00, amended to 5 with bob's approval.
    y.on(4, 10).pay("o3", 20_000)
    y.deal_to_proposal("o4", 4)
    signed = y.on(4, 20).sign("o4", p1(4))
    y.on(4, 22).app.amend_contract(signed, "alice", [p1(5)], approved_by="bob", reason="+1 unit")
    # May: o4 paid (50,000); alice drops P1 to 70.00, below the 80.00 floor, nobody approves;
    # o5 signs at that price and its payment terms are amended without approval.
    y.on(5, 2).pay("o4", 50_000)
    y.deal_to_proposal("o5", 5)
    y.on(5, 15).app.change_price("P1", "alice", eur(7_000), reason="month end")
    signed = y.on(5, 20).sign("o5", p1(1, 7_000))
    y.on(5, 22).app.amend_contract(signed, "alice", payment_terms_days=60)
    # June: o6 skips the visit explicitly and stops at proposal; bob signs 2 x P2 at list.
    y.on(6, 3).open("o6")
    y.on(6, 5).to("o6", "needs_analysis", reason="met at the trade fair")
    y.on(6, 12).propose("o6")
    y.deal_to_proposal("b1", 6, "bob")
    y.on(6, 20).sign("b1", p2(2), who="bob")
    # July: alice's quota goes up mid-year (stated difference, a reason); o7 goes back to lead.
    y.on(7, 1).app.set_quota(
        2026, "north", Quota("alice", eur(1_320_000)), True, "carol", "took over east accounts"
    )
    y.on(7, 3).open("o7")
    y.on(7, 5).to("o7", "visit")
    y.on(7, 8).to("o7", "lead", reason="budget frozen")
    y.on(7, 10).pay("b1", 100_000)
    # August: o8 signed at list and a 35% request for P2 rejected; September: o8 paid.
    y.deal_to_proposal("o8", 8)
    y.on(8, 20).sign("o8", p1(2))
    asked = y.on(8, 24).app.request_price_change("P2", "alice", eur(32_500), "rival offer")
    y.on(8, 25).app.decide_price_change(asked.request.request_id, "carol", False, "too deep")
    y.on(9, 3).open("o9")
    y.on(9, 5).to("o9", "visit")
    y.on(9, 8).to("o9", "needs_analysis")
    y.on(9, 10).pay("o8", 20_000)
    y.on(10, 3).open("o10")
    y.on(10, 5).to("o10", "visit")
    y.on(11, 3).open("o11")
    # December: o12 signed for one pump at list and paid.
    y.deal_to_proposal("o12", 12)
    y.on(12, 20).sign("o12", p2(1))
    y.on(12, 28).pay("o12", 50_000)


def check_year_reports(y: Year) -> None:
    y.on(1, 2, year=2027)
    year = y.app.performance_report("salesperson", "alice", "2026")
    # signed: o1 20,000 + o2 28,500 + o3 35,000 + o4 50,000 (amended) + o5 7,000 + o8 20,000
    #         + o12 50,000 = 210,500
    # collected: 20,000 + 28,500 + 15,000 + 20,000 + 50,000 + 20,000 + 50,000 = 203,500
    # target: alice's quota in force, 1,320,000.
    assert (year.totals.target_minor, year.totals.signed_minor, year.totals.collected_minor) == (
        1_320_000,
        210_500,
        203_500,
    )
    assert year.totals.signed_completion_bp == 1_594  # 2,105,000,000 // 1,320,000
    assert year.totals.collected_completion_bp == 1_541  # 2,035,000,000 // 1,320,000
    # at the year's end: o7 and o11 leads, o10 visit, o9 needs analysis, o6 proposal,
    # o5 signed (unpaid), o1 o2 o3 o4 o8 o12 paid.
    assert [(s.stage, s.count, s.value_minor) for s in year.pipeline] == [
        ("lead", 2, 2 * EST),
        ("visit", 1, EST),
        ("needs_analysis", 1, EST),
        ("proposal", 1, EST),
        ("contract_signed", 1, EST),
        ("payment_collected", 6, 6 * EST),
    ]
    # lead 12 -> visit 10 (all but o6, o11); visit 10 -> needs 8 (not o7, o10);
    # needs 9 (o6 skipped into it) -> proposal 8 (not o9); proposal 8 -> signed 7 (not o6);
    # signed 7 -> paid 6 (not o5).
    assert [(c.entered, c.converted, c.rate_bp) for c in year.conversions] == [
        (12, 10, 8_333),
        (10, 8, 8_000),
        (9, 8, 8_888),
        (8, 7, 8_750),
        (7, 6, 8_571),
    ]
    team = y.app.performance_report("team", "north", "2026")
    # bob: 100,000 signed and collected; team target 2,400,000.
    assert (team.totals.target_minor, team.totals.signed_minor, team.totals.collected_minor) == (
        2_400_000,
        310_500,
        303_500,
    )
    assert team.totals.signed_completion_bp == 1_293  # 3,105,000,000 // 2,400,000
    assert [(m.salesperson_id, m.target_minor, m.signed_minor) for m in team.members] == [
        ("alice", 1_320_000, 210_500),
        ("bob", 1_200_000, 100_000),
    ]
    reported = y.app.report_sales("alice", "2026", eur(300_000)).report
    assert (reported.proven_signed_minor, reported.proven_collected_minor) == (210_500, 203_500)
    assert reported.overstatement_signed_bp == 4_251  # 895,000,000 // 210,500
    assert reported.overstatement_collected_bp == 4_742  # 965,000,000 // 203,500


def check_events(sales: Sales) -> None:
    for raw in sales.events():
        validate(parse(__import__("json").dumps(raw).encode()))
    prices = [e["data"] for e in sales.events("warden.sales.price.changed")]
    assert [
        (p["new_price_minor"], p["approval"]["status"], p["within_authority"]) for p in prices
    ] == [(9_500, "none", True), (35_000, "approved", False), (7_000, "none", False)]
    assert prices[1]["approval"]["approved_by"] == "carol"
    assert prices[1]["price_change_request_id"] is not None
    signed = {
        e["data"]["total_minor"]: e["data"] for e in sales.events("warden.sales.contract.signed")
    }
    assert signed[28_500]["off_list_unapproved_lines"] == 1  # 95.00 without an approval
    assert signed[28_500]["off_list_beyond_authority_lines"] == 0  # but inside alice's 10%
    assert signed[35_000]["off_list_unapproved_lines"] == 0  # the approved request
    assert signed[7_000]["off_list_beyond_authority_lines"] == 1  # 30% off, alice may give 10%
    amended = [e["data"] for e in sales.events("warden.sales.contract.amended")]
    assert [(a["changed_fields"], a["approval"]["status"]) for a in amended] == [
        (["lines", "total_minor"], "approved"),
        (["payment_terms_days"], "none"),
    ]
    assert amended[1]["old"] == {"payment_terms_days": 30}
    assert amended[1]["new"] == {"payment_terms_days": 60}
    decided = [e["type"] for e in sales.events() if ".price_change." in e["type"]]
    assert decided == [
        "warden.sales.price_change.requested",
        "warden.sales.price_change.approved",
        "warden.sales.price_change.requested",
        "warden.sales.price_change.rejected",
    ]
    targets = [e["data"] for e in sales.events("warden.sales.target.set")]
    assert [(t["after_year_start"], t["difference_minor"]) for t in targets] == [
        (False, 0),
        (True, -120_000),
    ]
    moves = sales.events("warden.sales.opportunity.stage_changed")
    back = [m["data"] for m in moves if m["data"]["backwards"]]
    assert [(b["from_stage"], b["to_stage"], b["reason"]) for b in back] == [
        ("visit", "lead", "budget frozen")
    ]
    assert len(sales.events("warden.sales.payment.collected")) == 8  # o3 twice, b1 once
    assert len(sales.events("warden.sales.report.published")) == 1


def test_a_salespersons_year_adds_up_in_the_reports(sales: Sales) -> None:
    y = Year(sales)
    setup_team(y)
    first_quarter(y)
    check_first_quarter_reports(y)
    rest_of_year(y)
    check_year_reports(y)
    check_events(sales)
    history = y.app.get_opportunity(y.opps["o7"]).history
    assert [(h.from_stage, h.to_stage, h.changed_by) for h in history] == [
        (None, "lead", "alice"),
        ("lead", "visit", "alice"),
        ("visit", "lead", "alice"),
    ]
    view = y.app.get_contract(y.contracts["o4"])
    assert view.contract.total == eur(50_000) and view.collected_minor == 50_000
    assert len(view.amendments) == 1 and view.amendments[0].approved_by == "bob"
    assert y.app.get_opportunity(y.opps["o4"]).opportunity.stage == "payment_collected"


@pytest.mark.parametrize("period", ["2026-03", "2026-Q1", "2026"])
def test_a_report_without_any_target_needs_a_currency(sales: Sales, period: str) -> None:
    sales.app.register_salesperson(Salesperson("dan", "Dan", "sales_rep", "west"))
    report = sales.app.performance_report("salesperson", "dan", period, "EUR")
    assert report.totals.target_minor is None and report.totals.signed_completion_bp is None
