"""The sales use cases on in-memory fakes of their storage ports: fast checks of what each
use case writes, emits, replays and refuses (the same world as the integration tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.integration.sales.seed import SHA, World, eur, seed
from tests.unit.sales.fakes import FakeSalesUnitOfWork, State
from warden.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from warden.sales.app import SalesApp
from warden.sales.usecases.contracts import LineInput

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def state() -> State:
    return State()


@pytest.fixture
def app(state: State) -> SalesApp:
    return SalesApp(None, clock=lambda: NOW, unit_of_work=lambda: FakeSalesUnitOfWork(state))


@pytest.fixture
def world(app: SalesApp) -> World:
    return seed(app)


def test_a_price_change_is_recorded_with_its_event(app: SalesApp, world: World, state: State):
    result = app.change_price("P1", "alice", eur(9_000), "bob", "fair", "k-1")
    assert result.product.current_price == eur(9_000)
    assert state.products["P1"].current_price == eur(9_000)
    (event,) = state.outbox.of_type("price.changed")
    assert event["new_price_minor"] == 9_000 and event["approval"]["approved_by"] == "bob"


def test_a_repeated_key_replays_the_first_result_and_writes_nothing(
    app: SalesApp, world: World, state: State
):
    first = app.change_price("P1", "alice", eur(9_000), "bob", "fair", "k-1")
    events = len(state.outbox.added)
    again = app.change_price("P1", "alice", eur(9_000), "bob", "fair", "k-1")
    assert again == first
    assert len(state.outbox.added) == events and len(state.changes) == 1


def test_a_key_reused_for_another_request_is_refused(app: SalesApp, world: World):
    app.change_price("P1", "alice", eur(9_000), "bob", "fair", "k-1")
    with pytest.raises(AlreadyExists, match="k-1"):
        app.change_price("P1", "alice", eur(8_500), "bob", "fair", "k-1")


def test_a_self_approved_price_change_is_refused_and_changes_nothing(
    app: SalesApp, world: World, state: State
):
    before = len(state.outbox.added), dict(state.products)
    with pytest.raises(InvalidArgument, match="approved_by"):
        app.change_price("P1", "alice", eur(9_000), "Alice ", "mine")
    assert (len(state.outbox.added), state.products) == before


def test_an_unknown_approver_is_refused_and_its_key_not_kept(
    app: SalesApp, world: World, state: State
):
    events = len(state.outbox.added)
    with pytest.raises(NotFound, match="approver"):
        app.change_price("P1", "alice", eur(9_000), "nobody", "x", "k-2")
    assert len(state.outbox.added) == events and "k-2" not in state.requests_seen.keys


def test_an_approved_request_changes_the_price_and_replays_the_decision(
    app: SalesApp, world: World, state: State
):
    decided = app.decide_price_change(world.request_id, "carol", True, "", "k-d")
    assert decided.request.status == "approved" and decided.product.current_price == eur(35_000)
    assert app.decide_price_change(world.request_id, "carol", True, "", "k-d") == decided
    assert len(state.outbox.of_type("price_change.approved")) == 1


def test_an_approver_without_the_authority_is_refused(app: SalesApp, world: World):
    from warden.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="bob"):
        app.decide_price_change(world.request_id, "bob", True)


def test_a_signed_contract_paid_in_full_moves_its_opportunity(
    app: SalesApp, world: World, state: State
):
    paid = app.record_payment(world.contract_id, eur(20_000), "fin", "k-p")
    assert paid.collected_minor == 20_000
    opportunity = state.opportunities[paid.contract.opportunity_id]
    assert opportunity.stage == "payment_collected"
    assert app.record_payment(world.contract_id, eur(20_000), "fin", "k-p") == paid


def test_a_payment_beyond_the_outstanding_amount_is_refused(app: SalesApp, world: World):
    with pytest.raises(FailedPrecondition, match="outstanding"):
        app.record_payment(world.contract_id, eur(20_001), "fin")


def test_a_contract_is_signed_only_from_proposal_with_its_document(app: SalesApp, world: World):
    with pytest.raises(FailedPrecondition, match="no proposal document"):
        app.sign_contract(world.bare_proposal, [LineInput("P1", 1, eur(10_000))], "alice")
    signed = app.sign_contract(world.at_proposal, [LineInput("P1", 1, eur(10_000))], "alice")
    assert app.get_opportunity(world.at_proposal).contract_id == signed.contract.contract_id


def test_an_amendment_records_old_and_new_terms(app: SalesApp, world: World):
    amended = app.amend_contract(world.contract_id, "alice", payment_terms_days=60)
    assert amended.amendment.old == {"payment_terms_days": 30}
    assert amended.contract.version == 2


def test_reported_sales_are_set_against_what_is_proven(app: SalesApp, world: World):
    result = app.report_sales("alice", "2026-03", eur(50_000), "k-r")
    assert result.report.proven_signed_minor == 20_000
    assert result.report.overstatement_signed_bp == 15_000
    assert app.report_sales("alice", "2026-03", eur(50_000), "k-r") == result


def test_an_expense_is_recorded_once_per_key(app: SalesApp, world: World, state: State):
    first = app.record_expense("alice", "C1", "gift", eur(5_000), "2026-03-01", "wine", "k-e")
    assert app.record_expense("alice", "C1", "gift", eur(5_000), "2026-03-01", "wine", "k-e") == (
        first
    )
    assert len(state.expenses) == 1


def test_a_published_report_replays_as_published(app: SalesApp, world: World):
    published = app.publish_report(
        "team", "north", "2026-Q1", ["board"], "carol", idempotency_key="k"
    )
    again = app.publish_report("team", "north", "2026-Q1", ["board"], "carol", idempotency_key="k")
    assert again == published and published.report.totals.signed_minor == 20_000


def test_a_quota_change_is_a_new_revision(app: SalesApp, world: World):
    app.set_quota(2026, "north", app.get_target(2026, "north")[-1].quotas[0], True, "carol", "x")
    assert len(app.get_target(2026, "north")) == 2


def test_a_document_for_a_stage_not_reached_is_refused(app: SalesApp, world: World):
    with pytest.raises(FailedPrecondition, match="no contract_signed documents"):
        app.archive_document(
            world.at_visit, "c.pdf", "contract", SHA, "s3://c", "alice", "contract_signed"
        )
