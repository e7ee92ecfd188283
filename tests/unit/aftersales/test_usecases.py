"""The after-sales use cases on in-memory fakes of their storage ports: the integration tests'
month of a service desk, run without a database, and what each use case writes, emits,
replays and refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.integration.aftersales.month import FakeClock, Month, eur, run
from tests.unit.aftersales.fakes import FakeAfterSalesUnitOfWork, State
from warden.aftersales.app import AfterSalesApp
from warden.errors import AlreadyExists, FailedPrecondition, InvalidArgument, PermissionDenied

DEC_1 = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def state() -> State:
    return State()


@pytest.fixture
def month(state: State) -> Month:
    clock = FakeClock(datetime(2026, 10, 1, 8, tzinfo=UTC))
    app = AfterSalesApp(None, clock=clock, unit_of_work=lambda: FakeAfterSalesUnitOfWork(state))
    return run(app, clock)


def test_the_month_gives_the_quality_report_counted_by_hand(month: Month) -> None:
    overall = month.app.quality_report("2026-11").overall
    assert (overall.tickets, overall.closed, overall.surveys) == (7, 5, 5)
    assert (overall.first_response_met, overall.first_response_missed) == (3, 3)
    assert (overall.resolution_met, overall.resolution_missed) == (3, 3)
    assert overall.within_commitment_bp == 3333 and overall.reopen_rate_bp == 2000
    assert (overall.escalations, overall.reassignments) == (1, 3)


def test_every_step_is_kept_in_order_with_its_event(month: Month, state: State) -> None:
    view = month.app.ticket_view(month.tickets["T4"])
    kinds = [step.kind for step in view.history]
    assert kinds[:3] == ["received", "assigned", "classified"]
    assert {"escalated", "reported_back", "reopened", "survey_answered"} <= set(kinds)
    assert kinds[-1] == "closed"
    keys = {
        key
        for event, key in state.outbox.added
        if event.data.get("ticket_id") == view.ticket.ticket_id
    }
    assert keys == {view.ticket.ticket_id}


def test_a_repeated_step_key_replays_the_first_step_and_writes_nothing(
    month: Month, state: State
) -> None:
    ticket_id = month.app.open_ticket("C2", "P9", "phone", "noise", "dave", "k-open")[0].ticket_id
    assert month.app.open_ticket("C2", "P9", "phone", "noise", "dave", "k-open")[0].ticket_id == (
        ticket_id
    )
    first = month.app.respond(ticket_id, "dave", "on it", "k-1")
    written = len(state.steps), len(state.outbox.added)
    assert month.app.respond(ticket_id, "dave", "on it", "k-1") == first
    assert (len(state.steps), len(state.outbox.added)) == written


def test_a_step_key_reused_for_another_request_is_refused(month: Month) -> None:
    ticket_id = month.app.open_ticket("C2", "P9", "phone", "noise", "dave")[0].ticket_id
    month.app.respond(ticket_id, "dave", "on it", "k-1")
    with pytest.raises(AlreadyExists, match="k-1"):
        month.app.respond(ticket_id, "dave", "something else", "k-1")


def test_a_refused_step_changes_nothing(month: Month, state: State) -> None:
    closed = month.tickets["T1"]
    before = len(state.steps), len(state.outbox.added), state.tickets[closed]
    with pytest.raises(FailedPrecondition):
        month.app.respond(closed, "dave", "late words")
    assert (len(state.steps), len(state.outbox.added), state.tickets[closed]) == before


def test_a_step_in_the_future_is_refused(month: Month) -> None:
    ticket_id = month.app.open_ticket("C2", "P9", "phone", "noise", "dave")[0].ticket_id
    with pytest.raises(InvalidArgument, match="occurred_at"):
        month.app.respond(ticket_id, "dave", "hi", occurred_at=datetime(2030, 1, 1, tzinfo=UTC))


def test_a_fee_outside_the_schedule_is_recorded_and_flagged(month: Month) -> None:
    result = month.app.charge_fee(month.tickets["T6"], "erin", "XX-NEW", eur(900), False, "k-f")
    assert result.fee.flags == ["not_in_schedule"] and "not refused" in result.explanation
    again = month.app.charge_fee(month.tickets["T6"], "erin", "XX-NEW", eur(900), False, "k-f")
    assert again == result


def test_a_refused_data_access_is_logged_and_emitted(month: Month, state: State) -> None:
    month.clock.at(DEC_1)
    with pytest.raises(PermissionDenied, match="phone"):
        month.app.access_customer_data("bill", "read", ["C1"], ["phone"], purpose="invoice")
    refused = month.app.access_log("C1")[-1]
    assert (refused.accessor_id, refused.granted) == ("bill", False)
    assert state.outbox.of_type("customer_data.accessed")[-1]["granted"] is False


def test_archiving_is_idempotent_and_keeps_records_readable(month: Month) -> None:
    month.clock.at(DEC_1)
    run_ = month.app.archive(20, "sue", "k-a")
    assert len(run_.ticket_ids) == 4
    assert month.app.archive(20, "sue", "k-a") == run_
    assert month.app.get_ticket(month.tickets["T1"]).archived_at == DEC_1
    assert month.app.archive(20, "sue").ticket_ids == []
