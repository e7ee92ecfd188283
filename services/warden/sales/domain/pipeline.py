"""The sales pipeline (2.2): opportunities through six stages, every move and document kept."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from warden.errors import FailedPrecondition, InvalidArgument
from warden.money import Money

STAGES = ("lead", "visit", "needs_analysis", "proposal", "contract_signed", "payment_collected")
PROPOSAL_DOC_TYPE = "proposal"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DOC_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Opportunity:
    opportunity_id: str
    customer_id: str
    salesperson_id: str
    title: str
    estimated_value: Money
    stage: str
    created_at: datetime


@dataclass(frozen=True)
class StageChange:
    """One move of an opportunity; `from_stage` is None for its creation as a lead."""

    change_id: str
    opportunity_id: str
    seq: int
    from_stage: str | None
    to_stage: str
    skipped: bool
    backwards: bool
    changed_by: str
    reason: str
    changed_at: datetime


@dataclass(frozen=True)
class Document:
    document_id: str
    opportunity_id: str
    stage: str
    name: str
    doc_type: str
    sha256: str
    location: str
    archived_by: str
    archived_at: datetime


def check_stage(stage: str, field: str) -> str:
    if stage not in STAGES:
        raise InvalidArgument(field, f"{stage!r} is not a stage ({', '.join(STAGES)})")
    return stage


def open_as_lead(opportunity: Opportunity, change_id: str, created_by: str) -> StageChange:
    if opportunity.estimated_value.amount_minor <= 0:
        raise InvalidArgument("estimated_value.amount_minor", "must be positive")
    return StageChange(
        change_id,
        opportunity.opportunity_id,
        1,
        None,
        "lead",
        False,
        False,
        created_by,
        "",
        opportunity.created_at,
    )


def move(
    opportunity: Opportunity,
    to_stage: str,
    out_of_order: bool,
    change: StageChange,
    documents: Iterable[Document],
    has_contract: bool,
) -> tuple[Opportunity, StageChange]:
    """Move to `to_stage`: the next stage, or any other one when `out_of_order` is explicit
    (with a reason). `change` carries who, when, why; its stage fields are filled in here."""
    check_stage(to_stage, "to_stage")
    here, there = STAGES.index(opportunity.stage), STAGES.index(to_stage)
    if there == here:
        raise FailedPrecondition(
            f"opportunity {opportunity.opportunity_id!r} is already at {to_stage}"
        )
    if there != here + 1 and not out_of_order:
        raise FailedPrecondition(
            f"opportunity {opportunity.opportunity_id!r} is at {opportunity.stage}; {to_stage} is "
            f"not the next stage ({_next(here)}): set out_of_order with a reason to skip or go back"
        )
    if out_of_order and not change.reason.strip():
        raise InvalidArgument("reason", "is required to move out of order")
    _check_guards(opportunity, to_stage, documents, has_contract)
    recorded = replace(
        change,
        from_stage=opportunity.stage,
        to_stage=to_stage,
        skipped=there > here + 1,
        backwards=there < here,
    )
    return replace(opportunity, stage=to_stage), recorded


def _next(here: int) -> str:
    return STAGES[here + 1] if here + 1 < len(STAGES) else "none, it is the last"


def _check_guards(
    opportunity: Opportunity, to_stage: str, documents: Iterable[Document], has_contract: bool
) -> None:
    ident = opportunity.opportunity_id
    if to_stage == "contract_signed" and not has_proposal(documents):
        raise FailedPrecondition(
            f"opportunity {ident!r} cannot reach contract_signed: no proposal document archived"
        )
    if to_stage in ("contract_signed", "payment_collected") and not has_contract:
        raise FailedPrecondition(
            f"opportunity {ident!r} cannot reach {to_stage}: no signed contract"
        )


def has_proposal(documents: Iterable[Document]) -> bool:
    return any(d.doc_type == PROPOSAL_DOC_TYPE for d in documents)


def archive(opportunity: Opportunity, document: Document) -> Document:
    """Check a document for one of the stages the opportunity has reached (default: current)."""
    stage = document.stage or opportunity.stage
    check_stage(stage, "stage")
    if STAGES.index(stage) > STAGES.index(opportunity.stage):
        raise FailedPrecondition(
            f"opportunity {opportunity.opportunity_id!r} is at {opportunity.stage}; it has no "
            f"{stage} documents yet"
        )
    if not _DOC_TYPE.match(document.doc_type):
        raise InvalidArgument("doc_type", f"{document.doc_type!r}: lower-case word, e.g. proposal")
    if not _SHA256.match(document.sha256):
        raise InvalidArgument("sha256", "must be 64 lower-case hex digits (SHA-256 of the content)")
    return replace(document, stage=stage)


def stage_at(changes: Sequence[StageChange], moment: datetime) -> str | None:
    """The stage an opportunity was at just before `moment` (None: it did not exist yet)."""
    stage = None
    for change in sorted(changes, key=lambda c: c.seq):
        if change.changed_at >= moment:
            break
        stage = change.to_stage
    return stage
