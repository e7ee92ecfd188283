"""Approvals (4.1.2), contract amendments and payments: the rules, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.money import MAX_MINOR, Money
from warden.sales.domain.approvals import PriceChangeRequest, check_approver, decide
from warden.sales.domain.conduct import overstatement_bp
from warden.sales.domain.contracts import (
    Amendment,
    Contract,
    ContractLine,
    Payment,
    amend,
    check_contract,
    collect,
)
from warden.sales.domain.prices import DEFAULT_AUTHORITY_BP, Product, Salesperson, change_price

T0 = datetime(2026, 4, 20, tzinfo=UTC)


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def line(quantity: int, unit: int, approved: str | None = None) -> ContractLine:
    return ContractLine("P1", quantity, eur(unit), eur(10_000), approved)


def contract(*lines: ContractLine) -> Contract:
    return Contract("k1", "o1", "C1", "alice", "EUR", lines, 30, "", T0)


def draft() -> Amendment:
    return Amendment("a1", "k1", (), {}, {}, "alice", "", "", T0)


AUTH = DEFAULT_AUTHORITY_BP


def product() -> Product:
    return Product("P1", "valve", eur(10_000), eur(8_000), eur(10_000))


def salesperson(person_id: str) -> Salesperson:
    return Salesperson(person_id, person_id.title(), "sales_rep", "north")


def request() -> PriceChangeRequest:
    return PriceChangeRequest("r1", "P2", "alice", eur(35_000), eur(50_000), "big deal", T0)


def test_a_request_carries_its_discount_off_list() -> None:
    assert request().discount_bp == 3_000


def test_nobody_approves_their_own_price_change() -> None:
    with pytest.raises(PermissionDenied, match="approver_id: 'alice' cannot approve their own"):
        check_approver("alice", "sales_director", "alice", 3_000, DEFAULT_AUTHORITY_BP)


def test_an_approver_whose_role_may_not_give_the_discount_is_refused() -> None:
    with pytest.raises(PermissionDenied, match=r"sales_manager\) may approve discounts up to 2500"):
        check_approver("bob", "sales_manager", "alice", 3_000, DEFAULT_AUTHORITY_BP)
    check_approver("carol", "sales_director", "alice", 3_000, DEFAULT_AUTHORITY_BP)


def test_a_request_is_decided_once() -> None:
    approved = decide(request(), True, "carol", "", T0)
    assert approved.status == "approved" and approved.decided_by == "carol"
    with pytest.raises(FailedPrecondition, match="already approved"):
        decide(approved, False, "carol", "changed my mind", T0)


def test_a_rejection_needs_a_reason() -> None:
    with pytest.raises(InvalidArgument) as refused:
        decide(request(), False, "carol", " ", T0)
    assert refused.value.field == "reason"


def test_an_off_list_line_without_an_approved_change_is_counted() -> None:
    signed = contract(line(2, 10_000), line(1, 9_000), line(1, 8_000, approved="pc1"))
    assert signed.total == eur(37_000)
    assert signed.off_list_unapproved_lines == 1
    assert signed.largest_discount_bp == 2_000


def test_an_amendment_records_which_fields_changed_with_old_and_new_values() -> None:
    amended, recorded = amend(contract(line(4, 10_000)), [line(5, 10_000)], 60, None, draft())
    assert amended.total == eur(50_000) and amended.version == 2
    assert recorded.changed_fields == ("lines", "payment_terms_days", "total_minor")
    assert recorded.old["total_minor"] == 40_000 and recorded.new["total_minor"] == 50_000
    assert recorded.old["payment_terms_days"] == 30 and recorded.new["payment_terms_days"] == 60


def test_an_amendment_that_changes_nothing_is_refused() -> None:
    with pytest.raises(InvalidArgument) as refused:
        amend(contract(line(4, 10_000)), [line(4, 10_000)], 30, "", draft())
    assert refused.value.field == "amendment"


def test_an_amended_line_with_zero_quantity_names_the_line() -> None:
    with pytest.raises(InvalidArgument) as refused:
        amend(contract(line(4, 10_000)), [line(4, 10_000), line(0, 10_000)], None, None, draft())
    assert refused.value.field == "lines[1].quantity"


def test_a_payment_beyond_what_is_outstanding_is_refused() -> None:
    signed = contract(line(4, 10_000))
    pay = Payment("p1", "k1", "C1", "alice", eur(30_001), "alice", T0)
    with pytest.raises(FailedPrecondition, match="has 300.00 EUR outstanding"):
        collect(signed, 10_000, pay)


@pytest.mark.parametrize(
    ("reported", "proven", "bp"),
    [(300_000, 210_500, 4_251), (100, 100, 0), (50, 100, -5_000), (500, 0, 5_000_000)],
)
def test_overstatement_is_the_excess_over_what_is_proven_in_basis_points(
    reported: int, proven: int, bp: int
) -> None:
    assert overstatement_bp(reported, proven) == bp


@pytest.mark.parametrize("approver", ["alice", "ALICE", " Alice "])
def test_a_requester_approving_under_another_spelling_is_still_refused(approver: str) -> None:
    with pytest.raises(PermissionDenied, match="cannot approve their own"):
        check_approver(approver, "sales_director", "alice", 500, DEFAULT_AUTHORITY_BP)


@pytest.mark.parametrize("approver", ["alice", "Alice", "  ALICE\t"])
def test_a_price_change_approved_by_the_salesperson_making_it_is_refused(approver: str) -> None:
    with pytest.raises(InvalidArgument, match="approved_by: .* is the salesperson changing") as e:
        change_price("pc1", product(), salesperson("alice"), eur(9_000), approver, "", AUTH, T0)
    assert e.value.field == "approved_by"


def test_a_price_change_approved_by_someone_else_is_recorded_with_its_approver() -> None:
    alice = salesperson("alice")
    _, change = change_price("pc1", product(), alice, eur(9_000), "bob", "", AUTH, T0)
    assert change.approved_by == "bob"


def test_an_approver_whose_id_only_contains_the_salespersons_is_someone_else() -> None:
    _, change = change_price("pc1", product(), salesperson("al"), eur(9_000), "alice", "", AUTH, T0)
    assert change.approved_by == "alice"


def test_money_up_to_the_bound_is_accepted_either_side() -> None:
    assert Money.of(MAX_MINOR, "EUR", "price").amount_minor == MAX_MINOR
    assert Money.of(-MAX_MINOR, "EUR", "price").amount_minor == -MAX_MINOR
    assert MAX_MINOR == 99_999_999_999_999


@pytest.mark.parametrize("amount", [MAX_MINOR + 1, -MAX_MINOR - 1, 2**63 - 1])
def test_money_beyond_the_bound_is_refused_naming_the_field(amount: int) -> None:
    with pytest.raises(InvalidArgument, match=r"new_price.amount_minor: must be at most 99,999"):
        Money.of(amount, "EUR", "new_price")
    with pytest.raises(InvalidArgument, match=r"new_price.amount_minor: must be at most"):
        Money.positive(amount, "EUR", "new_price")


def test_a_contract_whose_total_is_at_the_bound_is_accepted_and_one_beyond_refused() -> None:
    assert check_contract(contract(line(1, MAX_MINOR))).total.amount_minor == MAX_MINOR
    with pytest.raises(InvalidArgument, match="lines: the total 100,000,000,000,000 minor"):
        check_contract(contract(line(1, MAX_MINOR), line(1, 1)))
