"""The ticket lifecycle as pure functions: what each step allows, records and judges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warden.aftersales.domain import escalations
from warden.aftersales.domain import tickets as domain
from warden.aftersales.domain.commitments import CommitmentTable
from warden.errors import FailedPrecondition, InvalidArgument

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def received() -> domain.Ticket:
    return domain.receive("T1", "C1", "X100", "phone", " pump leaks ", "dave", T0)


def classified(priority: str = "p1") -> domain.Ticket:
    due = CommitmentTable().due(priority, T0)
    return domain.classify(received(), "hardware", priority, due, "dave", hours(0.1))[0]


def test_a_received_ticket_awaits_its_first_answer_and_is_assigned_to_the_receiver() -> None:
    ticket = received()
    assert (ticket.status, ticket.agent_id, ticket.description) == (
        "received",
        "dave",
        "pump leaks",
    )
    assert ticket.awaiting_answer is True
    assert domain.first_assignment(ticket).detail == {
        "from_agent": None,
        "to_agent": "dave",
        "reason": "received",
        "reassignment_count": 0,
    }


def test_classifying_sets_due_times_from_the_priority() -> None:
    ticket = classified("p2")
    assert (ticket.first_response_due, ticket.resolution_due) == (hours(4), hours(48))
    assert ticket.status == "classified"


def test_a_first_answer_after_its_due_time_is_late_and_a_second_answer_is_not_judged() -> None:
    ticket, first = domain.respond(classified("p1"), "dave", "on it", hours(1.5))
    assert (first.detail["first_response"], first.detail["late"]) == (True, True)
    assert first.detail["first_response_due"] == hours(1)
    _, second = domain.respond(ticket, "dave", "still on it", hours(3))
    assert (second.detail["first_response"], second.detail["late"]) == (False, False)
    assert second.detail["first_response_due"] is None


def test_an_answer_exactly_at_the_due_time_is_in_time() -> None:
    _, step = domain.respond(classified("p1"), "dave", "on it", hours(1))
    assert step.detail["late"] is False


def test_every_reassignment_counts_and_needs_a_reason() -> None:
    ticket, step = domain.assign(classified(), "erin", "dave", "not mine", hours(1))
    ticket, step = domain.assign(ticket, "frank", "erin", "frank knows", hours(2))
    assert (ticket.agent_id, ticket.reassignment_count) == ("frank", 2)
    assert step.detail["from_agent"] == "erin" and step.detail["reassignment_count"] == 2
    with pytest.raises(InvalidArgument) as refused:
        domain.assign(ticket, "dave", "frank", " ", hours(3))
    assert refused.value.field == "reason"
    with pytest.raises(FailedPrecondition, match="already assigned to 'frank'"):
        domain.assign(ticket, "frank", "frank", "why not", hours(3))


def test_closing_without_resolution_while_the_customer_waits_is_recorded_not_refused() -> None:
    ticket, _ = domain.customer_message(classified(), "M1", "any news?", hours(2))
    closed, step = domain.close(ticket, "dave", hours(3))
    assert step.detail == {
        "has_resolution": False,
        "customer_awaiting_answer": True,
        "outcome": "unresolved",
    }
    assert closed.closed_without_resolution == 1


def test_a_resolution_answers_the_customer_and_is_judged_against_its_due_time() -> None:
    ticket, step = domain.resolve(classified("p1"), "dave", "new seal", hours(9))
    assert (ticket.status, ticket.awaiting_answer) == ("resolved", False)
    assert (step.detail["late"], step.detail["resolution_due"]) == (True, hours(8))
    closed, step = domain.close(ticket, "dave", hours(10))
    assert (step.detail["outcome"], closed.outcome) == ("resolved", "resolved")


def test_a_resolution_on_a_closed_ticket_is_refused() -> None:
    closed, _ = domain.close(classified(), "dave", hours(1))
    with pytest.raises(FailedPrecondition, match="is closed: cannot resolve it"):
        domain.resolve(closed, "dave", "late fix", hours(2))


def test_reopening_withdraws_the_resolution_and_counts_hours_since_the_close() -> None:
    resolved, _ = domain.resolve(classified(), "dave", "fixed", hours(2))
    closed, _ = domain.close(resolved, "dave", hours(3))
    reopened, step = domain.reopen(closed, "sue", "still leaks", hours(28.5))
    assert (reopened.status, reopened.resolution, reopened.reopen_count) == ("in_progress", "", 1)
    assert step.detail["hours_since_close"] == 25 and step.detail["closed_at"] == hours(3)
    with pytest.raises(FailedPrecondition, match="only closed tickets reopen"):
        domain.reopen(reopened, "sue", "again", hours(29))


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_survey_score_outside_one_to_five_is_refused(score: int) -> None:
    closed, _ = domain.close(classified(), "dave", hours(1))
    with pytest.raises(InvalidArgument) as refused:
        domain.answer_survey(closed, score, "", hours(2))
    assert refused.value.field == "score"


def test_one_survey_per_ticket_and_only_once_closed() -> None:
    with pytest.raises(FailedPrecondition, match="survey after closing"):
        domain.answer_survey(classified(), 4, "", hours(1))
    closed, _ = domain.close(classified(), "dave", hours(1))
    surveyed, step = domain.answer_survey(closed, 4, " fine ", hours(2))
    assert step.detail == {"score": 4, "comment": "fine", "ticket_outcome": "unresolved"}
    with pytest.raises(FailedPrecondition, match="already has a survey"):
        domain.answer_survey(surveyed, 5, "", hours(3))


def test_an_escalation_must_be_answered_before_it_is_reported_back() -> None:
    with pytest.raises(InvalidArgument) as refused:
        domain.escalate(classified(), "E1", "marketing", "?", "dave", hours(1))
    assert refused.value.field == "department"
    ticket, step = domain.escalate(classified(), "E1", "rnd", "known bug?", "dave", hours(1))
    escalation = escalations.opened(ticket, step)
    with pytest.raises(FailedPrecondition, match="no answer from rnd yet"):
        escalations.report_back(escalation, ticket, "dave", "news", hours(2))
    answered, _ = escalations.answer(escalation, "firmware 2.1 fixes it", "rnd.rita", hours(3))
    done, ticket, step = escalations.report_back(answered, ticket, "dave", "update", hours(4))
    assert (done.status, step.detail["answered_at"], ticket.awaiting_answer) == (
        "reported_back",
        hours(3),
        False,
    )
    with pytest.raises(FailedPrecondition, match="already reported back"):
        escalations.report_back(done, ticket, "dave", "again", hours(5))


def test_overdue_lists_missed_commitments_of_open_unarchived_tickets_only() -> None:
    ticket = classified("p1")
    assert ticket.overdue(hours(0.5)) == []
    assert ticket.overdue(hours(9)) == ["first_response", "resolution"]
    answered, _ = domain.respond(ticket, "dave", "on it", hours(2))
    assert answered.overdue(hours(9)) == ["resolution"]
    closed, _ = domain.close(ticket, "dave", hours(2))
    assert closed.overdue(hours(9)) == []


def test_an_archived_ticket_is_read_only() -> None:
    closed, _ = domain.close(classified(), "dave", hours(1))
    archived = domain.archive(closed, hours(500))
    with pytest.raises(FailedPrecondition, match="archived and read-only"):
        domain.reopen(archived, "sue", "again", hours(501))
    with pytest.raises(FailedPrecondition, match="archived"):
        domain.touched(archived, hours(501))


def test_a_resolved_ticket_can_still_answer_the_customer_but_a_closed_one_cannot() -> None:
    resolved, _ = domain.resolve(classified(), "dave", "fixed", hours(2))
    waiting, _ = domain.customer_message(resolved, "M2", "it is not fixed", hours(3))
    answered, step = domain.respond(waiting, "dave", "sending a technician", hours(4))
    assert (answered.status, answered.awaiting_answer) == ("resolved", False)
    closed, _ = domain.close(answered, "dave", hours(5))
    with pytest.raises(FailedPrecondition, match="is closed: cannot answer it"):
        domain.respond(closed, "dave", "hello?", hours(6))


def test_a_resolution_without_an_earlier_answer_is_the_first_response() -> None:
    resolved, _ = domain.resolve(classified("p1"), "dave", "fixed on the phone", hours(0.5))
    assert resolved.first_response_at == hours(0.5)
