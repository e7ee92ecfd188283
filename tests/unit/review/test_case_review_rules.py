"""The review rules of a case, pure: claiming, four eyes, self-review, amendments, appeals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warden.compliance.domain import case_review, cases
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
    return case_review.claim(a_case(), officer, AT)


def test_confirming_a_fine_decides_the_case_with_one_officer() -> None:
    case, decision = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert decision is not None
    assert case.status is CaseStatus.DECIDED and case.decision_id == decision.decision_id
    assert decision.sanction == FINE and decision.decided_by == ("olivia",)
    assert decision.replaces is None and decision.revision == 1


def test_a_suspension_waits_for_a_second_different_officer() -> None:
    suspension = Sanction(SanctionKind.SUSPENSION, days=5)
    case, decision = case_review.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "repeat offence", suspension), AT
    )
    assert decision is None and case.status is CaseStatus.IN_REVIEW
    assert case.pending is not None and case.pending.sanction == suspension
    with pytest.raises(PermissionDenied, match="four eyes"):
        case_review.confirm_pending(case, "olivia", AT)
    decided, final = case_review.confirm_pending(case, "oscar", AT)
    assert final.decided_by == ("olivia", "oscar") and final.sanction == suspension
    assert decided.status is CaseStatus.DECIDED and decided.pending is None


def test_a_fine_needs_no_second_officer_but_a_dismissal_does() -> None:
    _, fine = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert fine is not None
    dismissal = Sanction(SanctionKind.DISMISSAL)
    case, none = case_review.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "grave", dismissal), AT
    )
    assert none is None and case.pending is not None


def test_an_officer_cannot_claim_or_decide_a_case_about_themselves() -> None:
    with pytest.raises(PermissionDenied, match="self-review"):
        case_review.claim(a_case(employee="olivia"), "olivia", AT)
    own = case_review.claim(a_case(employee="alice"), "olivia", AT)
    about_oscar = cases.Case(**{**own.__dict__, "employee_id": "oscar", "assignee": "oscar"})
    with pytest.raises(PermissionDenied, match="self-review"):
        case_review.decide(about_oscar, "oscar", Choice(Outcome.CONFIRMED), AT)


def test_an_officer_cannot_review_a_case_they_raised_but_another_can() -> None:
    raised = a_case(raised_by="olivia")
    with pytest.raises(PermissionDenied, match="raised"):
        case_review.claim(raised, "olivia", AT)
    assert case_review.claim(raised, "oscar", AT).assignee == "oscar"


def test_only_the_assignee_decides_a_claimed_case() -> None:
    with pytest.raises(FailedPrecondition, match="in review by olivia"):
        case_review.decide(claimed("olivia"), "oscar", Choice(Outcome.CONFIRMED), AT)


def test_a_decided_case_cannot_be_decided_again() -> None:
    case, _ = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    with pytest.raises(FailedPrecondition, match="already decided"):
        case_review.decide(case, "olivia", Choice(Outcome.CONFIRMED), AT)


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
        case_review.decide(claimed(), "olivia", choice, AT)
    assert field in refused.value.field


def test_an_amendment_with_a_reason_imposes_the_new_sanction() -> None:
    warning = Sanction(SanctionKind.WARNING)
    _, decision = case_review.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "first offence", warning), AT
    )
    assert decision is not None and decision.outcome is Outcome.AMENDED
    assert decision.sanction == warning and decision.reason == "first offence"


def test_an_appeal_reopens_for_another_officer_and_the_new_decision_replaces_the_first() -> None:
    first_case, first = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    assert first is not None
    appealed = case_review.appeal(first_case, "I had verbal approval", "olga")
    assert appealed.status is CaseStatus.APPEALED and appealed.assignee == ""
    with pytest.raises(PermissionDenied, match="appeal"):
        case_review.claim(appealed, "olivia", AT)
    again = case_review.claim(appealed, "oscar", AT + timedelta(days=1))
    final_case, second = case_review.decide(
        again, "oscar", Choice(Outcome.DISMISSED, "approval proven"), AT + timedelta(days=1)
    )
    assert second is not None and second.replaces == first.decision_id
    assert second.decision_id != first.decision_id and second.revision == 2
    assert not case_review.is_sanction(second)
    with pytest.raises(FailedPrecondition, match="already appealed"):
        case_review.appeal(final_case, "again", "olga")


def test_an_undecided_or_dismissed_case_cannot_be_appealed() -> None:
    with pytest.raises(FailedPrecondition, match="only a decided case"):
        case_review.appeal(claimed(), "why", "olga")
    dismissed, _ = case_review.decide(claimed(), "olivia", Choice(Outcome.DISMISSED, "no case"), AT)
    with pytest.raises(FailedPrecondition, match="nothing to appeal"):
        case_review.appeal(dismissed, "why", "olga")


def test_an_unclaimed_case_counts_its_wait_and_a_claimed_one_does_not() -> None:
    assert a_case().unclaimed_for(AT + timedelta(hours=50)) == timedelta(hours=50)
    assert claimed().unclaimed_for(AT + timedelta(hours=50)) == timedelta(0)


def test_a_comment_cannot_be_empty() -> None:
    with pytest.raises(InvalidArgument) as refused:
        case_review.comment(a_case(), "olivia", "   ", AT)
    assert refused.value.field == "text"


def test_on_appeal_a_first_decider_cannot_be_the_second_officer_either() -> None:
    first_case, _ = case_review.decide(claimed("olivia"), "olivia", Choice(Outcome.CONFIRMED), AT)
    again = case_review.claim(case_review.appeal(first_case, "too harsh", "olga"), "oscar", AT)
    suspension = Sanction(SanctionKind.SUSPENSION, days=2)
    pending, _ = case_review.decide(
        again, "oscar", Choice(Outcome.AMENDED, "worse", suspension), AT
    )
    with pytest.raises(PermissionDenied, match="appeal"):
        case_review.confirm_pending(pending, "olivia", AT)
    _, final = case_review.confirm_pending(pending, "otto", AT)
    assert final.decided_by == ("oscar", "otto") and final.revision == 2


LONG = "x" * (case_review.TEXT_LIMIT + 1)


def test_free_text_over_the_limit_is_refused_naming_the_field_and_the_length() -> None:
    """A decision's reason goes to HR on Kafka (records of at most 1 MB): officers' and
    employees' free text is bounded, as comments were."""
    message = f"at most {case_review.TEXT_LIMIT} characters, not {case_review.TEXT_LIMIT + 1}"
    with pytest.raises(InvalidArgument, match=f"^text: a comment is {message}"):
        case_review.comment(a_case(), "olivia", LONG, AT)
    for outcome in (Outcome.CONFIRMED, Outcome.DISMISSED):
        with pytest.raises(InvalidArgument, match=f"^reason: a decision's reason is {message}"):
            case_review.decide(claimed(), "olivia", Choice(outcome, LONG), AT)
    suspension = Sanction(SanctionKind.SUSPENSION, days=5)
    pending, _ = case_review.decide(
        claimed(), "olivia", Choice(Outcome.AMENDED, "repeat offence", suspension), AT
    )
    with pytest.raises(InvalidArgument, match=f"^reason: a rejection's reason is {message}"):
        case_review.reject_pending(pending, "oscar", LONG)
    decided, _ = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    with pytest.raises(InvalidArgument, match=f"^reason: an appeal is {message}"):
        case_review.appeal(decided, LONG, "olga")
    at_limit = "y" * case_review.TEXT_LIMIT
    assert case_review.appeal(decided, at_limit, "olga").appeal_reason == at_limit


@pytest.mark.parametrize("officer", ["Alice", " alice ", "ALICE"])
def test_a_name_differing_only_in_case_or_spaces_is_the_same_person(officer: str) -> None:
    with pytest.raises(PermissionDenied, match="self-review"):
        case_review.claim(a_case("alice"), officer, AT)
    with pytest.raises(PermissionDenied, match="raised_by"):
        case_review.claim(a_case("bob", raised_by="alice"), officer, AT)
    with pytest.raises(PermissionDenied, match="self-review"):
        case_review.comment(a_case("alice"), officer, "not me", AT)


def test_one_person_spelled_twice_cannot_give_both_four_eyes_signatures() -> None:
    suspension = Choice(Outcome.AMENDED, "grave", Sanction(SanctionKind.SUSPENSION, days=10))
    pending, _ = case_review.decide(claimed("olivia"), "olivia", suspension, AT)
    for same in ("Olivia", " olivia"):
        with pytest.raises(PermissionDenied, match="four eyes"):
            case_review.confirm_pending(pending, same, AT)
        with pytest.raises(PermissionDenied, match="four eyes"):
            case_review.reject_pending(pending, same, "no")


def test_the_employee_concerned_cannot_record_their_own_appeal() -> None:
    decided, _ = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)
    with pytest.raises(PermissionDenied, match="self-review: officer 'Alice' cannot record"):
        case_review.appeal(decided, "unfair", "Alice")
    assert case_review.appeal(decided, "unfair", "olga").status is CaseStatus.APPEALED


def test_a_decisions_id_cannot_be_derived_from_its_case_and_revision() -> None:
    first = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)[1]
    again = case_review.decide(claimed(), "olivia", Choice(Outcome.CONFIRMED), AT)[1]
    assert first is not None and again is not None
    assert (first.case_id, first.revision) == (again.case_id, again.revision)
    assert first.decision_id != again.decision_id


def test_a_reported_case_is_checked_field_by_field_and_its_reporter_cannot_claim_it() -> None:
    warning = Sanction(SanctionKind.WARNING)
    with pytest.raises(InvalidArgument, match="clause"):
        case_review.reported_case("olga", "bob", "9.9", "minor", "t", warning, "seen", AT)
    with pytest.raises(InvalidArgument, match="description"):
        case_review.reported_case("olga", "bob", "4.1.1", "minor", "t", warning, "  ", AT)
    case = case_review.reported_case("olga", " bob ", "4.1.1", "minor", "Gift", warning, "seen", AT)
    assert case.employee_id == "bob" and case.raised_by == "olga"
    assert case.findings[0].reasons == ("reported by olga: seen",)
    with pytest.raises(PermissionDenied, match="raised"):
        case_review.claim(case, "Olga", AT)
