"""Who acts in the sales service is who signed in, over gRPC on both databases: a person's
token (a salesperson's or an admin's) acts as its subject and is refused, with nothing
changed, when a field names anyone else; a sales system (role crm) names the person who acted
in it and is kept beside them in the event as `recorded_by`. An approval is the approver's own
act: a person cannot record one by someone else, and nobody approves their own change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import grpc
import pytest

from warden.platform.auth import ADMIN, CRM, SALES
from warden.v1 import sales_pb2 as pb

from .conftest import Sales
from .seed import SHA, World, pb_eur, seed

DENIED = grpc.StatusCode.PERMISSION_DENIED
INVALID = grpc.StatusCode.INVALID_ARGUMENT
SYSTEM = "erp"  # the sales system's token subject

Build = Callable[[World, str], Any]
# Each act: its RPC, the field naming who acts, who may take it in the seeded world, the key
# of its event's data naming the actor, and its request naming `who`.
ACTS: dict[str, tuple[str, str, str, str, Build]] = {
    "change price": (
        "ChangePrice",
        "salesperson_id",
        "alice",
        "changed_by",
        lambda w, who: pb.ChangePriceRequest(
            product_id="P1", salesperson_id=who, new_price=pb_eur(9_500)
        ),
    ),
    "request a price": (
        "RequestPriceChange",
        "salesperson_id",
        "alice",
        "requested_by",
        lambda w, who: pb.RequestPriceChangeRequest(
            product_id="P2", salesperson_id=who, requested_price=pb_eur(45_000)
        ),
    ),
    "decide a request": (
        "DecidePriceChange",
        "approver_id",
        "carol",
        "decided_by",
        lambda w, who: pb.DecidePriceChangeRequest(
            request_id=w.request_id, approver_id=who, approve=True
        ),
    ),
    "set a target": (
        "SetTarget",
        "set_by",
        "carol",
        "set_by",
        lambda w, who: pb.SetTargetRequest(
            year=2027,
            team="north",
            team_target=pb_eur(100_000),
            quotas=[pb.Quota(salesperson_id="alice", amount=pb_eur(100_000))],
            set_by=who,
        ),
    ),
    "set a quota": (
        "SetQuota",
        "set_by",
        "carol",
        "set_by",
        lambda w, who: pb.SetQuotaRequest(
            year=2026,
            team="north",
            quota=pb.Quota(salesperson_id="alice", amount=pb_eur(120_000)),
            difference_accepted=True,
            set_by=who,
            reason="a bigger territory",
        ),
    ),
    "open an opportunity": (
        "CreateOpportunity",
        "created_by",
        "alice",
        "changed_by",
        lambda w, who: pb.CreateOpportunityRequest(
            customer_id="C7",
            salesperson_id="alice",
            title="pumps",
            estimated_value=pb_eur(1),
            created_by=who,
        ),
    ),
    "move a stage": (
        "ChangeStage",
        "changed_by",
        "alice",
        "changed_by",
        lambda w, who: pb.ChangeStageRequest(
            opportunity_id=w.at_visit, to_stage="needs_analysis", changed_by=who
        ),
    ),
    "archive a document": (
        "ArchiveDocument",
        "archived_by",
        "alice",
        "archived_by",
        lambda w, who: pb.ArchiveDocumentRequest(
            opportunity_id=w.bare_proposal,
            name="offer.pdf",
            doc_type="proposal",
            sha256=SHA,
            location="s3://docs/offer",
            archived_by=who,
        ),
    ),
    "sign a contract": (
        "SignContract",
        "signed_by",
        "alice",
        "changed_by",
        lambda w, who: pb.SignContractRequest(
            opportunity_id=w.at_proposal,
            lines=[pb.ContractLine(product_id="P1", quantity=1, unit_price=pb_eur(10_000))],
            signed_by=who,
        ),
    ),
    "amend a contract": (
        "AmendContract",
        "amended_by",
        "alice",
        "amended_by",
        lambda w, who: pb.AmendContractRequest(
            contract_id=w.contract_id, payment_terms_days=60, amended_by=who
        ),
    ),
    "record a payment": (
        "RecordPayment",
        "recorded_by",
        "fin",
        "recorded_by",
        lambda w, who: pb.RecordPaymentRequest(
            contract_id=w.contract_id, amount=pb_eur(5_000), recorded_by=who
        ),
    ),
    "report sales": (
        "ReportSales",
        "salesperson_id",
        "alice",
        "salesperson_id",
        lambda w, who: pb.ReportSalesRequest(
            salesperson_id=who, period="2026-01", reported=pb_eur(100)
        ),
    ),
    "record an expense": (
        "RecordExpense",
        "salesperson_id",
        "alice",
        "salesperson_id",
        lambda w, who: pb.RecordExpenseRequest(
            salesperson_id=who,
            customer_id="C1",
            kind="gift",
            amount=pb_eur(5_000),
            incurred_on="2026-01-02",
        ),
    ),
}


@pytest.fixture
def seeded(sales: Sales) -> Iterator[tuple[Sales, World]]:
    """A fresh seeded sales service on each backend, for acts that change it."""
    sales.clock.set(2026, 1, 20)
    yield sales, seed(sales.app)


def unchanged(sales: Sales, call: Callable[[], Any]) -> grpc.RpcError:
    """The refusal `call` gets; asserts that no row and no event was added."""
    before, events = sales.counts(), sales.events()
    with pytest.raises(grpc.RpcError) as refused:
        call()
    assert sales.counts() == before
    assert sales.events() == events
    return refused.value


@pytest.mark.parametrize("act", list(ACTS))
@pytest.mark.parametrize("roles", [(SALES,), (ADMIN,)], ids=["salesperson", "admin"])
def test_a_person_naming_someone_else_is_refused_and_nothing_changes(
    shared_sales: tuple[Sales, World], act: str, roles: tuple[str, ...]
) -> None:
    sales, world = shared_sales
    sales.clock.set(2026, 1, 20)
    rpc, field, person, _, build = ACTS[act]
    stub = sales.as_(person, *roles)
    error = unchanged(sales, lambda: getattr(stub, rpc)(build(world, "bob")))
    assert error.code() == DENIED
    assert error.details().startswith(f"{field}: '{person}' is signed in and may not act as 'bob'")


@pytest.mark.parametrize("act", [a for a in ACTS if a != "open an opportunity"])
def test_a_sales_system_must_name_the_person_who_acted(
    shared_sales: tuple[Sales, World], act: str
) -> None:
    sales, world = shared_sales
    sales.clock.set(2026, 1, 20)
    rpc, field, _, _, build = ACTS[act]
    stub = sales.as_(SYSTEM, CRM)
    error = unchanged(sales, lambda: getattr(stub, rpc)(build(world, "")))
    assert error.code() == INVALID
    assert error.details() == f"{field}: a crm integration names the person who acted"


def new_events(sales: Sales, call: Callable[[], Any]) -> list[dict[str, Any]]:
    before = len(sales.events())
    call()
    return [e["data"] for e in sales.events()[before:]]


def test_each_person_acts_as_their_token_subject_with_the_field_empty(
    seeded: tuple[Sales, World],
) -> None:
    sales, world = seeded
    for act, (rpc, _, person, key, build) in ACTS.items():
        stub = sales.as_(person)
        request = build(world, "")
        emitted = new_events(sales, partial(getattr(stub, rpc), request))
        assert emitted, act
        assert emitted[-1][key].casefold().strip() == person, act
        assert all("recorded_by" not in e or e["recorded_by"] == person for e in emitted), act
        assert all("recorded_via" not in e for e in emitted), act
    # Naming oneself is no one else: the subject acts, as recorded in the event.
    changed = new_events(
        sales,
        lambda: sales.as_("alice").ChangePrice(
            pb.ChangePriceRequest(product_id="P1", salesperson_id="Alice", new_price=pb_eur(9_000))
        ),
    )
    assert changed[-1]["changed_by"] == "alice"


def test_a_sales_system_records_each_act_for_the_person_it_names_and_is_kept_beside(
    seeded: tuple[Sales, World],
) -> None:
    sales, world = seeded
    system = sales.as_(SYSTEM, CRM)
    for act, (rpc, _, person, key, build) in ACTS.items():
        emitted = new_events(sales, partial(getattr(system, rpc), build(world, person)))
        assert emitted, act
        assert emitted[-1][key] == person, act
        if rpc == "RecordPayment":  # its recorded_by names the person: the system is beside
            assert [e.get("recorded_via") for e in emitted] == [SYSTEM], act
        else:
            assert {e["recorded_by"] for e in emitted} == {SYSTEM}, act


def test_a_sales_system_records_a_change_someone_else_approved(
    seeded: tuple[Sales, World],
) -> None:
    sales, _ = seeded
    (changed,) = new_events(
        sales,
        lambda: sales.as_(SYSTEM, CRM).ChangePrice(
            pb.ChangePriceRequest(
                product_id="P1", salesperson_id="alice", new_price=pb_eur(7_000), approved_by="bob"
            )
        ),
    )
    assert changed["changed_by"] == "alice" and changed["recorded_by"] == SYSTEM
    assert changed["approval"] == {
        "status": "approved",
        "approved_by": "bob",
        "requested_by": "alice",
    }


@pytest.mark.parametrize("caller", ["alice", SYSTEM])
@pytest.mark.parametrize("approver", ["alice", " ALICE "])
def test_a_price_change_approved_by_its_changer_is_refused_and_nothing_changes(
    shared_sales: tuple[Sales, World], caller: str, approver: str
) -> None:
    sales, _ = shared_sales
    stub = sales.as_(caller, CRM) if caller == SYSTEM else sales.as_(caller)
    request = pb.ChangePriceRequest(
        product_id="P1", salesperson_id="alice", new_price=pb_eur(7_000), approved_by=approver
    )
    error = unchanged(sales, lambda: stub.ChangePrice(request))
    assert error.code() == INVALID
    assert error.details().startswith("approved_by: ")
    assert "is the salesperson changing the price ('alice')" in error.details()


@pytest.mark.parametrize("roles", [(SALES,), (ADMIN,)], ids=["salesperson", "admin"])
def test_a_person_cannot_record_an_approval_by_someone_else(
    shared_sales: tuple[Sales, World], roles: tuple[str, ...]
) -> None:
    sales, world = shared_sales
    alice = sales.as_("alice", *roles)
    calls = [
        lambda: alice.ChangePrice(
            pb.ChangePriceRequest(product_id="P1", new_price=pb_eur(7_000), approved_by="carol")
        ),
        lambda: alice.AmendContract(
            pb.AmendContractRequest(
                contract_id=world.contract_id, payment_terms_days=90, approved_by="carol"
            )
        ),
    ]
    for call in calls:
        error = unchanged(sales, call)
        assert error.code() == DENIED
        assert error.details().startswith(
            "approved_by: 'alice' is signed in and may not record an approval by 'carol'"
        )


def test_the_requester_cannot_decide_her_own_request(shared_sales: tuple[Sales, World]) -> None:
    sales, world = shared_sales
    alice = sales.as_("alice")
    request = pb.DecidePriceChangeRequest(request_id=world.request_id, approve=True)
    error = unchanged(sales, lambda: alice.DecidePriceChange(request))
    assert error.code() == DENIED
    assert error.details() == "approver_id: 'alice' cannot approve their own change"


def test_list_prices_and_reports_are_set_by_the_subject_and_not_by_a_sales_system(
    shared_sales: tuple[Sales, World],
) -> None:
    sales, _ = shared_sales
    bob, system = sales.as_("bob"), sales.as_(SYSTEM, CRM)
    price = pb.SetListPriceRequest(
        product_id="P9", name="n", list_price=pb_eur(100), floor_price=pb_eur(90), set_by="carol"
    )
    report = pb.PublishPerformanceReportRequest(
        scope="team", scope_id="north", period="2026-01", recipients=["bob"], published_by="carol"
    )
    for field, call in (
        ("set_by", partial(bob.SetListPrice, price)),
        ("published_by", partial(bob.PublishPerformanceReport, report)),
    ):
        error = unchanged(sales, call)
        assert error.code() == DENIED
        assert error.details() == f"{field}: 'bob' is signed in and may not act as 'carol'"
    for call in (
        partial(system.SetListPrice, price),
        partial(system.PublishPerformanceReport, report),
        partial(system.RegisterSalesperson, pb.RegisterSalespersonRequest()),
    ):
        error = unchanged(sales, call)
        assert error.code() == DENIED and "needs one of" in error.details()
