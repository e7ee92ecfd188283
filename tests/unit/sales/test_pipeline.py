"""The pipeline (2.2): stages in order, explicit skips and returns, documents as guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warden.errors import FailedPrecondition, InvalidArgument
from warden.money import Money
from warden.sales.domain.pipeline import Document, Opportunity, StageChange, archive, move, stage_at

T0 = datetime(2026, 3, 1, tzinfo=UTC)
PROPOSAL = Document(
    "d1", "o1", "proposal", "offer.pdf", "proposal", "a" * 64, "s3://d/1", "alice", T0
)


def opp(stage: str) -> Opportunity:
    return Opportunity("o1", "C1", "alice", "pumps", Money(10_000, "EUR"), stage, T0)


def draft(reason: str = "") -> StageChange:
    return StageChange("c1", "o1", 2, None, "", False, False, "alice", reason, T0)


def test_the_next_stage_is_an_ordinary_move() -> None:
    moved, change = move(opp("lead"), "visit", False, draft(), [], False)
    assert moved.stage == "visit"
    assert (change.from_stage, change.to_stage, change.skipped, change.backwards) == (
        "lead",
        "visit",
        False,
        False,
    )


def test_skipping_without_the_explicit_flag_names_the_current_and_requested_stage() -> None:
    with pytest.raises(FailedPrecondition) as refused:
        move(opp("lead"), "proposal", False, draft(), [], False)
    assert "is at lead" in str(refused.value) and "proposal is not the next stage" in str(
        refused.value
    )


def test_going_back_without_the_explicit_flag_is_refused() -> None:
    with pytest.raises(FailedPrecondition, match="is at proposal; visit is not the next stage"):
        move(opp("proposal"), "visit", False, draft(), [], False)


def test_an_explicit_skip_needs_a_reason_and_is_recorded_as_a_skip() -> None:
    with pytest.raises(InvalidArgument) as refused:
        move(opp("lead"), "needs_analysis", True, draft(), [], False)
    assert refused.value.field == "reason"
    _, change = move(opp("lead"), "needs_analysis", True, draft("met at a fair"), [], False)
    assert change.skipped and not change.backwards and change.reason == "met at a fair"


def test_an_explicit_return_is_recorded_as_going_back() -> None:
    _, change = move(opp("needs_analysis"), "lead", True, draft("budget frozen"), [], False)
    assert change.backwards and not change.skipped


def test_contract_signed_needs_the_proposal_document_archived() -> None:
    with pytest.raises(FailedPrecondition, match="no proposal document archived"):
        move(opp("proposal"), "contract_signed", False, draft(), [], True)
    moved, _ = move(opp("proposal"), "contract_signed", False, draft(), [PROPOSAL], True)
    assert moved.stage == "contract_signed"


def test_payment_collected_needs_a_signed_contract() -> None:
    with pytest.raises(FailedPrecondition, match="no signed contract"):
        move(opp("contract_signed"), "payment_collected", False, draft(), [PROPOSAL], False)


def test_an_unknown_stage_names_the_field() -> None:
    with pytest.raises(InvalidArgument) as refused:
        move(opp("lead"), "won", False, draft(), [], False)
    assert refused.value.field == "to_stage"


def test_a_document_for_a_stage_not_reached_yet_is_refused() -> None:
    doc = Document("d2", "o1", "proposal", "offer.pdf", "proposal", "b" * 64, "s3://x", "a", T0)
    with pytest.raises(FailedPrecondition, match="is at visit; it has no proposal documents"):
        archive(opp("visit"), doc)


def test_a_document_needs_a_sha256_of_its_content() -> None:
    doc = Document("d2", "o1", "", "notes.txt", "visit_report", "abc", "s3://x", "a", T0)
    with pytest.raises(InvalidArgument) as refused:
        archive(opp("visit"), doc)
    assert refused.value.field == "sha256"


def test_the_stage_at_a_moment_replays_the_history() -> None:
    day = timedelta(days=1)
    history = [
        StageChange("c1", "o1", 1, None, "lead", False, False, "a", "", T0),
        StageChange("c2", "o1", 2, "lead", "visit", False, False, "a", "", T0 + day),
        StageChange("c3", "o1", 3, "visit", "lead", False, True, "a", "no", T0 + 3 * day),
    ]
    assert stage_at(history, T0) is None
    assert stage_at(history, T0 + 2 * day) == "visit"
    assert stage_at(history, T0 + 4 * day) == "lead"
