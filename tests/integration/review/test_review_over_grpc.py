"""Review over gRPC on the real broker and databases: from a sales event to one HR record,
identities and roles checked on every call, four eyes and self-review, bad input refused."""

from __future__ import annotations

import json

import grpc
import pytest
from sqlalchemy import update

from tests.integration.test_end_to_end_slice import change_price, price_list
from tests.system import System, eventually, hr_decisions
from warden.clients import Clients
from warden.compliance.review.hrfeed import HrLedger
from warden.compliance.storage import schema
from warden.platform.auth import CONSOLE, issue_token, secret_for, with_token
from warden.platform.db import make_engine
from warden.v1 import common_pb2, compliance_pb2, compliance_pb2_grpc, sales_pb2

pb = compliance_pb2


def refused(call, *args) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        call(*args)
    return caught.value  # type: ignore[return-value]


def raise_case(system: System, employee: str = "bob", sanction: pb.Sanction | None = None) -> str:
    """A case raised by hand by an admin tool (no Kafka needed)."""
    return system.clients.compliance.RaiseCase(
        pb.RaiseCaseRequest(
            employee_id=employee,
            clause="4.2.1",
            severity="critical",
            title="customer data sent to a third party",
            proposed_sanction=sanction
            or pb.Sanction(
                kind=pb.SANCTION_KIND_FINE,
                fine=common_pb2.Money(amount_minor=80_000, currency="EUR"),
            ),
            description="reported by the data protection office",
        )
    ).case.case_id


def test_a_sales_event_ends_as_one_hr_record_even_when_the_decision_is_redelivered(
    system: System,
) -> None:
    price_list(system)
    flagged = change_price(system, 70_000)
    olivia = system.clients_as("olivia", "officer")
    hr = system.clients_as("hr-system", "hr_reader")
    try:
        cases = eventually(
            lambda: [
                c
                for c in olivia.compliance.ListCases(pb.ListCasesRequest(employee_id="alice")).cases
                if flagged.event_id in c.findings[0].event_ids
            ],
            what="a case for the flagged price change",
        )
        case_id = cases[0].case_id
        olivia.compliance.ClaimCase(pb.ClaimCaseRequest(case_id=case_id))
        olivia.compliance.CommentCase(pb.CommentCaseRequest(case_id=case_id, text="seen"))
        shown = olivia.compliance.GetCase(pb.GetCaseRequest(case_id=case_id)).case
        assert shown.assignee == "olivia" and shown.status == pb.CASE_STATUS_IN_REVIEW
        assert [e.action for e in shown.audit] == ["created", "claimed", "commented"]
        evidence = json.loads(shown.evidence_json[0])
        assert evidence["id"] == flagged.event_id
        reply = olivia.compliance.DecideCase(
            pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, reason="ok")
        )
        decision = reply.decision
        assert decision.decided_by == "olivia"

        bootstrap = system.settings.kafka_bootstrap
        eventually(lambda: hr_decisions(bootstrap), what="HR record")
        # Redeliver: the relay publishes the same outbox row again, as after a crash.
        engine = make_engine(system.settings.compliance_db_url, schema.metadata)
        with engine.begin() as conn:
            conn.execute(
                update(schema.outbox.table)
                .where(schema.outbox.table.c.event_id == decision.decision_id)
                .values(published_at=None)
            )
        engine.dispose()
        records = eventually(
            lambda: r if len(r := hr_decisions(bootstrap, 1.0, 2)) > 1 else [],
            what="the redelivered HR record",
        )
        ledger = HrLedger()
        taken = [ledger.take(json.loads(r.value)) for r in records]
        assert taken == [True, False] and ledger.duplicates == 1
        (record,) = ledger.records
        assert record["decision_id"] == decision.decision_id and record["case_id"] == case_id
        assert record["employee_id"] == "alice" and record["decided_by"] == ["olivia"]
        assert record["case_url"].endswith(case_id) and record["replaces"] is None

        listed = hr.compliance.ListDecisions(pb.ListDecisionsRequest()).decisions
        assert [d.decision_id for d in listed] == [decision.decision_id]
        denied = refused(hr.compliance.GetCase, pb.GetCaseRequest(case_id=case_id))
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "hr_reader" in denied.details() and "GetCase" in denied.details()
    finally:
        olivia.close()
        hr.close()


def test_calls_without_a_valid_token_or_role_are_refused_and_the_right_role_passes(
    system: System,
) -> None:
    address = system.runtimes["compliance"].address
    request = pb.ListCasesRequest()
    bare = compliance_pb2_grpc.ComplianceServiceStub(grpc.insecure_channel(address))
    assert refused(bare.ListCases, request).code() == grpc.StatusCode.UNAUTHENTICATED
    forged = issue_token("not-the-secret", "mallory", ["admin"])
    secret = secret_for(system.settings.data_dir, "")
    expired = issue_token(secret, "olivia", ["officer"], ttl_s=-5)
    console = issue_token(secret, "olivia", ["officer"], audience=CONSOLE)
    for_decades = issue_token(secret, "mallory", ["admin"], ttl_s=31 * 365 * 86400)
    for token, why in (
        (forged, "signature"),
        (expired, "expired"),
        (console, "wrong audience: 'warden-console'"),
        (for_decades, "lifetime 977616000 s exceeds the 43200 s maximum"),
    ):
        stub = compliance_pb2_grpc.ComplianceServiceStub(
            with_token(grpc.insecure_channel(address), token)
        )
        error = refused(stub.ListCases, request)
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED and why in error.details()
    seller = system.clients_as("sam", "sales")
    officer = system.clients_as("olivia", "officer")
    try:
        assert refused(seller.compliance.ListCases, request).code() == (
            grpc.StatusCode.PERMISSION_DENIED
        )
        assert officer.compliance.ListCases(request) is not None
        wrong_service = refused(officer.sales.ChangePrice, sales_pb2.ChangePriceRequest())
        assert wrong_service.code() == grpc.StatusCode.PERMISSION_DENIED
    finally:
        seller.close()
        officer.close()


def test_four_eyes_and_self_review_over_grpc_each_both_ways(system: System) -> None:
    suspension = pb.Sanction(kind=pb.SANCTION_KIND_SUSPENSION, days=5)
    case_id = raise_case(system, "bob", suspension)
    bob = system.clients_as("bob", "officer")
    olivia = system.clients_as("olivia", "officer")
    oscar = system.clients_as("oscar", "officer")
    otto = system.clients_as("otto", "officer")
    try:
        self_review = refused(bob.compliance.ClaimCase, pb.ClaimCaseRequest(case_id=case_id))
        assert self_review.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "self-review" in self_review.details()
        first = olivia.compliance.DecideCase(
            pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED)
        )
        assert not first.HasField("decision") and first.case.pending.officer_id == "olivia"
        same = refused(
            olivia.compliance.ConfirmDecision, pb.ConfirmDecisionRequest(case_id=case_id)
        )
        assert same.code() == grpc.StatusCode.PERMISSION_DENIED and "four eyes" in same.details()
        final = oscar.compliance.ConfirmDecision(pb.ConfirmDecisionRequest(case_id=case_id))
        assert final.decision.decided_by == "olivia, oscar"
        record = olivia.compliance.GetEmployeeRecord(pb.GetEmployeeRecordRequest(employee_id="bob"))
        assert [d.decision_id for d in record.decisions] == [final.decision.decision_id]
        acting_for = refused(
            olivia.compliance.DecideCase,
            pb.DecideCaseRequest(case_id=case_id, officer_id="oscar", outcome=pb.OUTCOME_CONFIRMED),
        )
        assert acting_for.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "officer_id" in acting_for.details()

        # The appeal reopens the case; the officers who decided it may not claim it again.
        olivia.compliance.AppealCase(pb.AppealCaseRequest(case_id=case_id, reason="too harsh"))
        again = refused(oscar.compliance.ClaimCase, pb.ClaimCaseRequest(case_id=case_id))
        assert again.code() == grpc.StatusCode.PERMISSION_DENIED and "appeal" in again.details()
        warning = pb.Sanction(kind=pb.SANCTION_KIND_WARNING)
        second = otto.compliance.DecideCase(
            pb.DecideCaseRequest(
                case_id=case_id,
                outcome=pb.OUTCOME_AMENDED,
                reason="first offence",
                sanction=warning,
            )
        ).decision
        assert second.replaces == final.decision.decision_id
        twice = refused(
            olivia.compliance.AppealCase, pb.AppealCaseRequest(case_id=case_id, reason="again")
        )
        assert twice.code() == grpc.StatusCode.FAILED_PRECONDITION
        record = olivia.compliance.GetEmployeeRecord(pb.GetEmployeeRecordRequest(employee_id="bob"))
        assert [d.decision_id for d in record.decisions] == [second.decision_id]
    finally:
        for clients in (bob, olivia, oscar, otto):
            clients.close()


BAD_DECISIONS = [
    (
        pb.DecideCaseRequest(
            outcome=pb.OUTCOME_AMENDED, sanction=pb.Sanction(kind=pb.SANCTION_KIND_WARNING)
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "reason",
    ),
    (
        pb.DecideCaseRequest(
            outcome=pb.OUTCOME_AMENDED,
            reason="lower",
            sanction=pb.Sanction(
                kind=pb.SANCTION_KIND_FINE,
                fine=common_pb2.Money(amount_minor=-100, currency="EUR"),
            ),
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "sanction.fine.amount_minor",
    ),
    (
        pb.DecideCaseRequest(outcome=pb.OUTCOME_DISMISSED, reason="x" * 4001),
        grpc.StatusCode.INVALID_ARGUMENT,
        "reason: a decision's reason is at most 4000 characters, not 4001",
    ),
    (
        pb.DecideCaseRequest(outcome=pb.OUTCOME_UNSPECIFIED),
        grpc.StatusCode.INVALID_ARGUMENT,
        "outcome",
    ),
    (
        pb.DecideCaseRequest(case_id="no-such-case", outcome=pb.OUTCOME_CONFIRMED),
        grpc.StatusCode.NOT_FOUND,
        "no-such-case",
    ),
]


def test_bad_decisions_are_refused_precisely_and_change_nothing(system: System) -> None:
    case_id = raise_case(system)
    olivia: Clients = system.clients_as("olivia", "officer")
    hr = system.clients_as("hr-system", "hr_reader")
    try:
        no_role = refused(
            hr.compliance.DecideCase,
            pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED),
        )
        assert no_role.code() == grpc.StatusCode.PERMISSION_DENIED
        for template, code, names in BAD_DECISIONS:
            request = pb.DecideCaseRequest()
            request.CopyFrom(template)
            request.case_id = request.case_id or case_id
            error = refused(olivia.compliance.DecideCase, request)
            assert error.code() == code and names in error.details(), (names, error.details())
        case = olivia.compliance.GetCase(pb.GetCaseRequest(case_id=case_id)).case
        assert case.status == pb.CASE_STATUS_OPEN and [e.action for e in case.audit] == ["created"]
        assert not olivia.compliance.ListDecisions(pb.ListDecisionsRequest()).decisions
    finally:
        olivia.close()
        hr.close()
