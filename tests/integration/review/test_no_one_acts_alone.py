"""Issue 22 over gRPC on the real broker and both databases: the token's subject is the actor,
one person never gives both four-eyes signatures, names are compared as people, the
employee concerned stays out of their own case, and what HR receives can be verified."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select

from tests.integration.review.test_review_over_grpc import raise_case, refused
from tests.keys import SIGNER
from tests.system import System, eventually
from warden.cli import main
from warden.compliance.domain.findings import NAMESPACE
from warden.compliance.review.cutover import is_marker
from warden.compliance.review.hrfeed import HrLedger
from warden.compliance.storage import audit_store, schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka import read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.signing import SIGNATURE, Verifier
from warden.platform.topics import HR_PENALTY_DECISIONS
from warden.v1 import compliance_pb2 as pb

SUSPENSION = pb.Sanction(kind=pb.SANCTION_KIND_SUSPENSION, days=10)


def audit_actions(system: System, case_id: str) -> list[tuple[str, str]]:
    engine = make_engine(system.settings.compliance_db_url, schema.metadata)
    try:
        with engine.connect() as conn:
            return [(e.actor, e.action) for e in audit_store.audit_entries(conn, case_id)]
    finally:
        engine.dispose()


def hr_rows(system: System) -> int:
    engine = make_engine(system.settings.compliance_db_url, schema.metadata)
    try:
        with engine.connect() as conn:
            table = schema.outbox.table
            return int(
                conn.execute(
                    select(func.count()).where(
                        table.c.topic == HR_PENALTY_DECISIONS,
                        table.c.event_id.not_like("signing-started-%"),
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_an_admin_cannot_decide_as_another_officer(system: System) -> None:
    case_id = raise_case(system, "alice", SUSPENSION)
    mallory = system.compliance_as("mallory", "admin")
    error = refused(
        mallory.DecideCase,
        pb.DecideCaseRequest(
            case_id=case_id, officer_id="olivia.officer", outcome=pb.OUTCOME_CONFIRMED
        ),
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details().startswith("officer_id: 'mallory' cannot act as 'olivia.officer'")
    case = mallory.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_OPEN and not case.assignee
    assert [a for _, a in audit_actions(system, case_id)] == ["created"]


def test_one_person_never_gives_both_four_eyes_signatures(system: System) -> None:
    case_id = raise_case(system, "alice", SUSPENSION)
    mallory = system.compliance_as("mallory", "admin")
    first = mallory.DecideCase(
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, reason="seen")
    )
    assert not first.HasField("decision") and first.case.pending.officer_id == "mallory"
    for subject in ("mallory", " Mallory"):  # the same person, however the token spells it
        error = refused(
            system.compliance_as(subject, "admin").ConfirmDecision,
            pb.ConfirmDecisionRequest(case_id=case_id),
        )
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "four eyes" in error.details()
    assert hr_rows(system) == 0
    case = mallory.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_IN_REVIEW and case.pending.officer_id == "mallory"
    final = system.compliance_as("oscar", "officer").ConfirmDecision(
        pb.ConfirmDecisionRequest(case_id=case_id)
    )
    assert final.decision.decided_by == "mallory, oscar"
    assert audit_actions(system, case_id)[-1] == ("oscar", "decided")


def test_an_admin_cannot_dismiss_a_case_about_themselves(system: System) -> None:
    case_id = raise_case(system, "bob")
    bob = system.compliance_as("bob", "admin")
    error = refused(
        bob.DecideCase,
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_DISMISSED, reason="no"),
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and "self-review" in error.details()
    assert [a for _, a in audit_actions(system, case_id)] == ["created"]


def test_an_officer_whose_subject_differs_only_in_case_cannot_review_their_own_case(
    system: System,
) -> None:
    case_id = raise_case(system, "frank")
    frank = system.compliance_as("Frank", "officer")
    calls = [
        (frank.ClaimCase, pb.ClaimCaseRequest(case_id=case_id)),
        (
            frank.DecideCase,
            pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_DISMISSED, reason="x"),
        ),
        (frank.GetCase, pb.GetCaseRequest(case_id=case_id)),
    ]
    for call, request in calls:
        error = refused(call, request)
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "self-review" in error.details()
    assert [a for _, a in audit_actions(system, case_id)] == ["created"]


def test_the_employee_concerned_cannot_read_comment_on_or_appeal_their_own_case(
    system: System,
) -> None:
    case_id = raise_case(system, "erin")
    olivia = system.compliance_as("olivia", "officer")
    olivia.DecideCase(
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, reason="ok")
    )
    before = audit_actions(system, case_id)
    erin = system.compliance_as("erin", "officer")
    calls = [
        (erin.GetCase, pb.GetCaseRequest(case_id=case_id)),
        (erin.CommentCase, pb.CommentCaseRequest(case_id=case_id, text="I disagree")),
        (erin.AppealCase, pb.AppealCaseRequest(case_id=case_id, reason="unfair")),
    ]
    for call, request in calls:
        error = refused(call, request)
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED, request
        assert "self-review" in error.details()
    listed = erin.ListCases(pb.ListCasesRequest(status=pb.CASE_STATUS_DECIDED)).cases
    assert case_id not in [c.case_id for c in listed]
    assert audit_actions(system, case_id) == before
    case = olivia.GetCase(pb.GetCaseRequest(case_id=case_id)).case
    assert case.status == pb.CASE_STATUS_DECIDED and not case.comments
    # Her appeal is recorded by an officer, as such.
    olivia.AppealCase(pb.AppealCaseRequest(case_id=case_id, reason="unfair"))
    assert audit_actions(system, case_id)[-1] == ("olivia", "appealed")


def public_key(system: System, directory: Path) -> Path:
    """The public key as an HR system gets it: GetSigningKey, saved as a PEM file."""
    reply = system.compliance_as("hr-system", "hr_reader").GetSigningKey(pb.GetSigningKeyRequest())
    assert (reply.algorithm, reply.signature_attribute) == ("Ed25519", SIGNATURE)
    path = directory / "warden.pub.pem"
    path.write_text(reply.public_key_pem)
    return path


def test_forged_hr_decisions_are_reported_by_offset_and_never_replace_a_genuine_one(
    system: System, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap = system.settings.kafka_bootstrap
    case_id = raise_case(system, "alice")  # an 800 EUR fine
    publisher = KafkaPublisher(bootstrap)
    try:
        # Before the decision: a forged record under the id decisions used to have.
        guessed = str(uuid.uuid5(NAMESPACE, f"decision|{case_id}|1"))
        forged_first = CloudEvent(
            id=guessed,
            type="warden.compliance.penalty.decided",
            source="/warden/compliance",
            subject="alice",
            data={"decision_id": guessed, "case_id": case_id, "outcome": "confirmed"},
        )
        publisher.send(HR_PENALTY_DECISIONS, "alice", forged_first.to_bytes())
        decision = (
            system.compliance_as("olivia", "officer")
            .DecideCase(pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED))
            .decision
        )
        assert decision.decision_id != guessed
        genuine = eventually(
            lambda: [
                r
                for r in read_topic(bootstrap, HR_PENALTY_DECISIONS, 1.0, 2)
                if json.loads(r.value)["id"] == decision.decision_id
            ],
            what="the genuine decision on the topic",
        )[0]
        # After it: the genuine record altered (same id, now a warning) and re-signed with
        # another key, and a forged dismissal that claims to replace it.
        altered = json.loads(genuine.value)
        altered["data"]["sanction"] = {"kind": "warning"}
        publisher.send(HR_PENALTY_DECISIONS, "alice", json.dumps(altered).encode())
        replacing = dismissal_replacing(altered["data"], decision.decision_id)
        publisher.send(HR_PENALTY_DECISIONS, "alice", SIGNER.sign(replacing).to_bytes())
    finally:
        publisher.close()
    records = eventually(  # with the signing-started marker the service published at start
        lambda: r if len(r := read_topic(bootstrap, HR_PENALTY_DECISIONS, 1.0, 5)) >= 5 else [],
        what="five records on the topic",
    )
    key = public_key(system, tmp_path)
    ledger = HrLedger()
    applied = ledger.follow(records, Verifier.from_pem(key.read_bytes()))
    assert [d["decision_id"] for d in applied] == [decision.decision_id]
    assert ledger.standing[case_id]["sanction"]["amount_minor"] == 80_000
    assert len(ledger.forged) == 3 and ledger.duplicates == 0
    forged_at = [
        (r.partition, r.offset)
        for r in records
        if r.value != genuine.value and not is_marker(r.value)
    ]
    assert len(forged_at) == 3

    assert (
        main(["hr", "follow", "--bootstrap", bootstrap, "--timeout", "2", "--public-key", str(key)])
        == 0
    )
    out, err = capsys.readouterr()
    (printed,) = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert printed["decision_id"] == decision.decision_id
    assert printed["sanction"]["kind"] == "fine"
    for partition, offset in forged_at:
        assert f"FORGED record left aside: partition {partition} offset {offset}:" in err
    assert err.count("FORGED record left aside") == 3
    assert "1 decision(s), 0 redelivery(ies) ignored, 0 legacy record(s) left aside" in out
    assert "3 forged record(s) left aside" in out


def dismissal_replacing(data: dict[str, object], replaces: str) -> CloudEvent:
    """A dismissal naming `replaces`, signed by a key that is not the deployment's."""
    return CloudEvent(
        id=str(uuid.uuid4()),
        type="warden.compliance.penalty.decided",
        source="/warden/compliance",
        subject=str(data["employee_id"]),
        data={
            **data,
            "decision_id": str(uuid.uuid4()),
            "outcome": "dismissed",
            "replaces": replaces,
        },
    )
