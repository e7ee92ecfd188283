"""Snoozes over gRPC and the `warden snoozes` verbs, on the real broker and databases: an
officer snoozes a rule from a decided case, lists and lifts it; the caller is the actor; a bad
snooze, a snooze of one's own case and a caller without the officer's role are refused."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.review.test_review_over_grpc import raise_case, refused
from tests.system import System
from warden import cli
from warden.v1 import compliance_pb2

pb = compliance_pb2


def decided_case(system: System, employee: str = "bob") -> str:
    case_id = raise_case(system, employee)
    system.officer("olivia").DecideCase(
        pb.DecideCaseRequest(case_id=case_id, outcome=pb.OUTCOME_CONFIRMED, reason="ok")
    )
    return case_id


def test_an_officer_snoozes_lists_and_lifts_a_rule_over_grpc(system: System) -> None:
    case_id = decided_case(system)
    oscar = system.officer("oscar")
    snooze = oscar.SnoozeRule(
        pb.SnoozeRuleRequest(
            case_id=case_id, rule_id="manual-report", days=30, reason="known, handled by HR"
        )
    ).snooze
    assert (snooze.snoozed_by, snooze.subject, snooze.state) == ("oscar", "bob", "active")
    assert snooze.scope == pb.SNOOZE_SCOPE_EMPLOYEE
    assert (snooze.ends_at.ToDatetime() - snooze.starts_at.ToDatetime()).days == 30
    listed = oscar.ListSnoozes(pb.ListSnoozesRequest(active_only=True)).snoozes
    assert [s.snooze_id for s in listed] == [snooze.snooze_id]

    lifted = (
        system.officer("olivia")
        .LiftSnooze(pb.LiftSnoozeRequest(snooze_id=snooze.snooze_id, reason="over"))
        .snooze
    )
    assert (lifted.state, lifted.lifted_by, lifted.lift_reason) == ("lifted", "olivia", "over")
    assert oscar.ListSnoozes(pb.ListSnoozesRequest(active_only=True)).snoozes == []
    audit = oscar.GetCase(pb.GetCaseRequest(case_id=case_id)).case.audit
    assert [(e.action, e.actor) for e in audit][-2:] == [
        ("snoozed", "oscar"),
        ("unsnoozed", "olivia"),
    ]


@pytest.mark.parametrize(
    ("caller", "roles", "change", "code", "message"),
    [
        ("oscar", ("officer",), {"days": 181}, "INVALID_ARGUMENT", "1 to 180 days, not 181"),
        ("oscar", ("officer",), {"reason": ""}, "INVALID_ARGUMENT", "reason: is required"),
        ("oscar", ("officer",), {"rule_id": "gift"}, "INVALID_ARGUMENT", "is not a rule of case"),
        ("bob", ("officer",), {}, "PERMISSION_DENIED", "self-review"),
        ("hr-system", ("hr_reader",), {}, "PERMISSION_DENIED", ""),
    ],
)
def test_a_bad_snooze_over_grpc_is_refused_and_changes_nothing(
    system: System,
    caller: str,
    roles: tuple[str, ...],
    change: dict[str, object],
    code: str,
    message: str,
) -> None:
    case_id = decided_case(system)
    request = {"case_id": case_id, "rule_id": "manual-report", "days": 30, "reason": "r"}
    stub = system.compliance_as(caller, *roles)
    error = refused(stub.SnoozeRule, pb.SnoozeRuleRequest(**{**request, **change}))
    assert error.code() == getattr(grpc.StatusCode, code)
    assert message in error.details()
    assert system.officer("oscar").ListSnoozes(pb.ListSnoozesRequest()).snoozes == []


def test_the_snoozes_verbs_add_list_and_lift(
    system: System, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = decided_case(system)
    address = system.runtimes["compliance"].address
    token = system.token("oscar", "officer")

    def warden(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["snoozes", "--address", address, "--token", token, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = warden(
        "add", case_id, "--rule", "manual-report", "--days", "10", "--reason", "campaign"
    )
    assert code == 0 and out.startswith("snoozed: ")
    snooze_id = out.split()[1]
    assert "active  manual-report for employee bob" in out and "by oscar" in out
    code, out, _ = warden("list", "--active")
    assert code == 0 and out.split()[0] == snooze_id
    code, _, err = warden(
        "add", case_id, "--rule", "manual-report", "--days", "200", "--reason", "x"
    )
    assert code == 1 and "INVALID_ARGUMENT" in err and "1 to 180 days, not 200" in err
    code, out, _ = warden("lift", snooze_id, "--reason", "done")
    assert code == 0 and out.startswith(f"lifted: {snooze_id}  lifted ")
    code, out, _ = warden("list", "--active")
    assert code == 0 and out.strip() == "no snoozes"
