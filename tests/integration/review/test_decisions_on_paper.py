"""Decisions taken on paper, over gRPC on the real broker and both databases: an admin records
one on behalf of a named officer and stays the actor; both names are in the audit chain, the
HR record, ListDecisions, GetCase, the CLI's and the console's case page; four eyes count
people, so neither the admin nor the officer named gives the second signature; only an admin
records on paper, never for the employee concerned; a refusal changes nothing."""

from __future__ import annotations

import html
import json

import grpc
from sqlalchemy import select

from tests.integration.review.test_console_requests import SECRET, call, session
from tests.integration.review.test_no_one_acts_alone import SUSPENSION, audit_actions
from tests.integration.review.test_review_over_grpc import raise_case, refused
from tests.system import System
from warden.compliance.storage import audit_store, schema
from warden.console.app import Console
from warden.platform.db import make_engine
from warden.platform.topics import HR_PENALTY_DECISIONS
from warden.render import case_text, decision_text
from warden.v1 import compliance_pb2 as pb


def signatures(message: pb.Case | pb.Decision) -> list[tuple[str, str]]:
    return [(s.by, s.on_behalf_of) for s in message.signatures]


def hr_records(system: System) -> list[dict[str, object]]:
    engine = make_engine(system.settings.compliance_db_url, schema.metadata)
    try:
        with engine.connect() as conn:
            table = schema.outbox.table
            payloads = conn.execute(
                select(table.c.payload).where(
                    table.c.topic == HR_PENALTY_DECISIONS,
                    table.c.event_id.not_like("signing-started-%"),
                )
            ).scalars()
            return [json.loads(p)["data"] for p in payloads]
    finally:
        engine.dispose()


def audit_details(system: System, case_id: str) -> list[tuple[str, str, dict[str, object]]]:
    engine = make_engine(system.settings.compliance_db_url, schema.metadata)
    try:
        with engine.connect() as conn:
            return [
                (e.actor, e.action, dict(e.details))
                for e in audit_store.audit_entries(conn, case_id)
            ]
    finally:
        engine.dispose()


def assert_unchanged(system: System, case_id: str, before: list[tuple[str, str]]) -> None:
    """The case's audit trail is still `before`, and nothing was queued for HR."""
    assert audit_actions(system, case_id) == before
    assert hr_records(system) == []


def test_an_admins_paper_decision_records_both_names_everywhere(system: System) -> None:
    case_id = raise_case(system, "alice", SUSPENSION)
    mallory = system.compliance_as("mallory", "admin")
    proposed = mallory.DecideCase(
        pb.DecideCaseRequest(
            case_id=case_id,
            outcome=pb.OUTCOME_CONFIRMED,
            reason="decided at the hearing",
            on_behalf_of=" Olivia ",
        )
    ).case
    assert (proposed.pending.officer_id, proposed.pending.on_behalf_of) == ("mallory", "olivia")
    before = audit_actions(system, case_id)

    # The second signature: neither the admin (for themselves or for someone else) nor the
    # officer named on the proposal.
    for stub, request in (
        (mallory, pb.ConfirmDecisionRequest(case_id=case_id)),
        (mallory, pb.ConfirmDecisionRequest(case_id=case_id, on_behalf_of="oscar")),
        (system.compliance_as("OLIVIA", "officer"), pb.ConfirmDecisionRequest(case_id=case_id)),
        (
            system.compliance_as("rita", "admin"),
            pb.ConfirmDecisionRequest(case_id=case_id, on_behalf_of="olivia"),
        ),
    ):
        error = refused(stub.ConfirmDecision, request)
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED, request
        assert error.details().startswith("four eyes: "), error.details()
    assert "'mallory' for 'olivia' recorded" in error.details()
    assert_unchanged(system, case_id, before)

    decision = (
        system.compliance_as("oscar", "officer")
        .ConfirmDecision(pb.ConfirmDecisionRequest(case_id=case_id))
        .decision
    )
    assert decision.decided_by == "mallory, oscar"
    assert signatures(decision) == [("mallory", "olivia"), ("oscar", "")]

    # The audit chain: the admin acted, for olivia; oscar confirmed.
    trail = audit_details(system, case_id)
    assert [(a, act) for a, act, _ in trail][-2:] == [("mallory", "proposed"), ("oscar", "decided")]
    assert trail[-2][2]["on_behalf_of"] == "olivia"
    assert trail[-1][2]["signed_on_behalf_of"] == ["olivia", ""]
    assert "on_behalf_of" not in trail[-1][2]
    # HR's record.
    (record,) = hr_records(system)
    assert record["decided_by"] == ["mallory", "oscar"]
    assert record["on_behalf_of"] == ["olivia", ""]
    # ListDecisions and GetCase.
    hr = system.compliance_as("hr-system", "hr_reader")
    (listed,) = [
        d for d in hr.ListDecisions(pb.ListDecisionsRequest()).decisions if d.case_id == case_id
    ]
    assert signatures(listed) == [("mallory", "olivia"), ("oscar", "")]
    case = mallory.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert signatures(case) == [("mallory", "olivia"), ("oscar", "")]
    # The CLI's and the console's words.
    shown = "mallory (for olivia, on paper), oscar"
    assert f"by {shown}:" in case_text(case)
    assert decision_text(listed).endswith(f"decided by {shown}")
    console = Console(system.review, SECRET)
    status, page, _ = call(
        console, "GET", f"/cases/{case_id}", session(console, "oscar", "officer")
    )
    assert status.startswith("200"), status
    assert f"by {html.escape(shown)}:" in page


def test_a_paper_decision_that_needs_no_second_is_one_signature_of_the_admin_for_the_officer(
    system: System,
) -> None:
    case_id = raise_case(system, "alice")  # a fine: one officer decides
    reply = system.compliance_as("mallory", "admin").DecideCase(
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, on_behalf_of="olivia")
    )
    assert signatures(reply.decision) == [("mallory", "olivia")]
    assert reply.case.assignee == "mallory"
    (record,) = hr_records(system)
    assert (record["decided_by"], record["on_behalf_of"]) == (["mallory"], ["olivia"])


def test_an_admin_who_proposed_cannot_confirm_on_behalf_of_another_officer(
    system: System,
) -> None:
    case_id = raise_case(system, "alice", SUSPENSION)
    mallory = system.compliance_as("mallory", "admin")
    mallory.DecideCase(pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED))
    before = audit_actions(system, case_id)
    error = refused(
        mallory.ConfirmDecision, pb.ConfirmDecisionRequest(case_id=case_id, on_behalf_of="oscar")
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details().startswith("four eyes: 'mallory' for 'oscar' cannot confirm")
    assert_unchanged(system, case_id, before)
    case = mallory.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_IN_REVIEW and case.pending.officer_id == "mallory"


def test_an_officer_cannot_record_a_decision_on_behalf_of_another(system: System) -> None:
    case_id = raise_case(system, "alice", SUSPENSION)
    created = audit_actions(system, case_id)
    olivia = system.compliance_as("olivia", "officer")
    error = refused(
        olivia.DecideCase,
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, on_behalf_of="oscar"),
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details() == (
        "on_behalf_of: 'olivia' is not an admin; only an admin records a decision 'oscar' "
        "took on paper"
    )
    assert_unchanged(system, case_id, created)
    case = olivia.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_OPEN and not case.assignee
    # Nor the second signature.
    system.compliance_as("mallory", "admin").DecideCase(
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED)
    )
    before = audit_actions(system, case_id)
    error = refused(
        olivia.ConfirmDecision, pb.ConfirmDecisionRequest(case_id=case_id, on_behalf_of="oscar")
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details().startswith("on_behalf_of: 'olivia' is not an admin")
    assert_unchanged(system, case_id, before)


def test_on_behalf_of_the_employee_concerned_or_the_caller_is_refused(system: System) -> None:
    case_id = raise_case(system, "bob", SUSPENSION)
    created = audit_actions(system, case_id)
    mallory = system.compliance_as("mallory", "admin")
    for named, code, says in (
        (" BOB", grpc.StatusCode.PERMISSION_DENIED, f"on_behalf_of: case {case_id} is about 'bob'"),
        ("Mallory", grpc.StatusCode.INVALID_ARGUMENT, "on_behalf_of: names the caller"),
        ("olivia\nERROR forged", grpc.StatusCode.INVALID_ARGUMENT, "on_behalf_of: names an"),
    ):
        error = refused(
            mallory.DecideCase,
            pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, on_behalf_of=named),
        )
        assert error.code() == code, named
        assert error.details().startswith(says), error.details()
    assert_unchanged(system, case_id, created)
    case = mallory.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_OPEN and not case.assignee and not case.HasField("pending")
