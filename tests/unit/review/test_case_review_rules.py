"""The review rules of a case, pure: claiming, four eyes, self-review, amendments, appeals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warden.compliance.domain import cases
from warden.compliance.domain.cases import CaseStatus, Choice, Outcome
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FINE = Sanction(SanctionKind.FINE, 50_000, "EUR")


def a_case(employee: str = "alice", raised_by: str = cases.ENGINE) -> cases.Case:
    finding = Finding(
        finding_id="f-1",
        rule_id="price-below-floor",
        rule_version=1,
        clause="4.1.2",
        severity="major",
        title="price below floor",
        employee_id=employee,
        event_ids=("e-1",),
        reasons=("new price 700.00 EUR < policy floor 850.00 EUR",),
        occurred_at=AT,
    )
    return cases.open_case(finding, FINE, opened_at=AT, raised_by=raised_by)


def claimed(officer: str = "olivia") -> cases.Case:
    return cases.claim(a_case(), officer, AT)


def test_confirming_a_fine_decides_the_case_with_one_officer() -> None:
    case, decision = cases.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert decision is not None
    assert case.status is CaseStatus.DECIDED and case.decision_id == decision.decision_id
    assert decision.sanction == FINE and decision.decided_by == ("olivia",)
    assert decision.replaces is None and decision.revision == 1


def test_a_suspension_waits_for_a_second_different_officer() -> None:
    suspension = Sanction(SanctionKind.SUSPENSION, days=5)
    case, decision = cases.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "repeat offence", suspension), AT
    )
    assert decision is None and case.status is CaseStatus.IN_REVIEW
    assert case.pending is not None and case.pending.sanction == suspension
    with pytest.raises(PermissionDenied, match="four eyes"):
        cases.confirm_pending(case, "olivia", AT)
    decided, final = cases.confirm_pending(case, "oscar", AT)
    assert final.decided_by == ("olivia", "oscar") and final.sanction == suspension
    assert decided.status is CaseStatus.DECIDED and decided.pending is None


def test_a_fine_needs_no_second_officer_but_a_dismissal_does() -> None:
    _, fine = cases.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert fine is not None
    dismissal = Sanction(SanctionKind.DISMISSAL)
    case, none = cases.decide(claimed(), "olivia", Choice(Outcome.AMENDED, "grave", dismissal), AT)
    assert none is None and case.pending is not None


def test_an_officer_cannot_claim_or_decide_a_case_about_themselves() -> None:
    with pytest.raises(PermissionDenied, match="self-review"):
        cases.claim(a_case(employee="olivia"), "olivia", AT)
    own = cases.claim(a_case(employee="alice"), "olivia", AT)
    about_oscar = cases.Case(**{**own.__dict__, "employee_id": "oscar", "assignee": "oscar"})
    with pytest.raises(PermissionDenied, match="self-review"):
        cases.decide(about_oscar, "oscar", Choice(Outcome.CONFIRMED), AT)


def test_an_officer_cannot_review_a_case_they_raised_but_another_can() -> None:
    raised = a_case(raised_by="olivia")
    with pytest.raises(PermissionDenied, match="raised"):
        cases.claim(raised, "olivia", AT)
    assert cases.claim(raised, "oscar", AT).assignee == "oscar"


def test_only_the_assignee_decides_a_claimed_case() -> None:
    with pytest.raises(FailedPrecondition, match="in review by olivia"):
        cases.decide(claimed("olivia"), "oscar", Choice(Outcome.CONFIRMED), AT)


def test_a_decided_case_cannot_be_decided_again() -> None:
    case, _ = cases.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    with pytest.raises(FailedPrecondition, match="already decided"):
        cases.decide(case, "olivia", Choice(Outcome.CONFIRMED), AT)


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        (Choice(Outcome.AMENDED, "", Sanction(SanctionKind.WARNING)), "reason"),
        (Choice(Outcome.DISMISSED, "  "), "reason"),
        (Choice(Outcome.AMENDED, "lower", None), "sanction"),
        (Choice(Outcome.AMENDED, "x", Sanction(SanctionKind.FINE, -100, "EUR")), "amount_minor"),
        (Choice(Outcome.AMENDED, "x", Sanction(SanctionKind.FINE, 0, "EUR")), "amount_minor"),
        (Choice(Outcome.AMENDED, "x", Sanction(SanctionKind.FINE, 100, "eur")), "currency"),
        (Choice(Outcome.AMENDED, "x", Sanction(SanctionKind.SUSPENSION, days=0)), "days"),
        (Choice(Outcome.CONFIRMED, "", Sanction(SanctionKind.WARNING)), "sanction"),
    ],
)
def test_a_bad_decision_is_refused_naming_the_field(choice: Choice, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        cases.decide(claimed(), "olivia", choice, AT)
    assert field in refused.value.field


def test_an_amendment_with_a_reason_imposes_the_new_sanction() -> None:
    warning = Sanction(SanctionKind.WARNING)
    _, decision = cases.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "first offence", warning), AT
    )
    assert decision is not None and decision.outcome is Outcome.AMENDED
    assert decision.sanction == warning and decision.reason == "first offence"


def test_an_appeal_reopens_for_another_officer_and_the_new_decision_replaces_the_first() -> None:
    first_case, first = cases.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert first is not None
    appealed = cases.appeal(first_case, "I had verbal approval")
    assert appealed.status is CaseStatus.APPEALED and appealed.assignee == ""
    with pytest.raises(PermissionDenied, match="appeal"):
        cases.claim(appealed, "olivia", AT)
    again = cases.claim(appealed, "oscar", AT + timedelta(days=1))
    final_case, second = cases.decide(
        again, "oscar", Choice(Outcome.DISMISSED, "approval proven"), AT + timedelta(days=1)
    )
    assert second is not None and second.replaces == first.decision_id
    assert second.decision_id != first.decision_id and second.revision == 2
    assert not cases.is_sanction(second)
    with pytest.raises(FailedPrecondition, match="already appealed"):
        cases.appeal(final_case, "again")


def test_an_undecided_or_dismissed_case_cannot_be_appealed() -> None:
    with pytest.raises(FailedPrecondition, match="only a decided case"):
        cases.appeal(claimed(), "why")
    dismissed, _ = cases.decide(claimed(), "olivia", Choice(Outcome.DISMISSED, "no case"), AT)
    with pytest.raises(FailedPrecondition, match="nothing to appeal"):
        cases.appeal(dismissed, "why")


def test_an_unclaimed_case_counts_its_wait_and_a_claimed_one_does_not() -> None:
    assert a_case().unclaimed_for(AT + timedelta(hours=50)) == timedelta(hours=50)
    assert claimed().unclaimed_for(AT + timedelta(hours=50)) == timedelta(0)


def test_a_comment_cannot_be_empty() -> None:
    with pytest.raises(InvalidArgument) as refused:
        cases.comment(a_case(), "olivia", "   ", AT)
    assert refused.value.field == "text"


def test_on_appeal_a_first_decider_cannot_be_the_second_officer_either() -> None:
    first_case, _ = cases.decide(claimed("olivia"), "olivia", Choice(Outcome.CONFIRMED), AT)
    again = cases.claim(cases.appeal(first_case, "too harsh"), "oscar", AT)
    suspension = Sanction(SanctionKind.SUSPENSION, days=2)
    pending, _ = cases.decide(again, "oscar", Choice(Outcome.AMENDED, "worse", suspension), AT)
    with pytest.raises(PermissionDenied, match="appeal"):
        cases.confirm_pending(pending, "olivia", AT)
    _, final = cases.confirm_pending(pending, "otto", AT)
    assert final.decided_by == ("oscar", "otto") and final.revision == 2


LONG = "x" * (cases.TEXT_LIMIT + 1)


def test_free_text_over_the_limit_is_refused_naming_the_field_and_the_length() -> None:
    """A decision's reason goes to HR on Kafka (records of at most 1 MB): officers' and
    employees' free text is bounded, as comments were."""
    message = f"at most {cases.TEXT_LIMIT} characters, not {cases.TEXT_LIMIT + 1}"
    with pytest.raises(InvalidArgument, match=f"^text: a comment is {message}"):
        cases.comment(a_case(), "olivia", LONG, AT)
    for outcome in (Outcome.CONFIRMED, Outcome.DISMISSED):
        with pytest.raises(InvalidArgument, match=f"^reason: a decision's reason is {message}"):
            cases.decide(claimed(), "olivia", Choice(outcome, LONG), AT)
    suspension = Sanction(SanctionKind.SUSPENSION, days=5)
    pending, _ = cases.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "repeat offence", suspension), AT
    )
    with pytest.raises(InvalidArgument, match=f"^reason: a rejection's reason is {message}"):
        cases.reject_pending(pending, "oscar", LONG)
    decided, _ = cases.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    with pytest.raises(InvalidArgument, match=f"^reason: an appeal is {message}"):
        cases.appeal(decided, LONG)
    at_limit = "y" * cases.TEXT_LIMIT
    assert cases.appeal(decided, at_limit).appeal_reason == at_limit
