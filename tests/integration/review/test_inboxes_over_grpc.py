"""Inboxes over gRPC on the real broker and both databases: ListInboxes, the waiting reason of
a case no officer can take, the queue's order, and NextCase with officers asking at once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import grpc
import pytest

from tests.integration.review.test_review_over_grpc import refused
from tests.system import System
from warden.cli import main
from warden.v1 import common_pb2
from warden.v1 import compliance_pb2 as pb

FINE = pb.Sanction(
    kind=pb.SANCTION_KIND_FINE, fine=common_pb2.Money(amount_minor=10_000, currency="EUR")
)
CONFIG = {
    "inboxes": [
        {"name": "sales", "sla_hours": 72, "clauses": ["4.1"], "officers": ["olga"], "limit": 1},
        {"name": "after-sales", "sla_hours": 48, "clauses": ["4.2"]},
        {"name": "general", "sla_hours": 120},
    ]
}
OFFICERS = ("o1", "o2", "o3", "o4")


@pytest.fixture
def desk(broker: str, database_url: str, tmp_path: Path) -> Iterator[System]:
    file = tmp_path / "inboxes.json"
    file.write_text(json.dumps(CONFIG))
    with System.start(broker, database_url, tmp_path, inboxes_file=str(file)) as running:
        yield running


def raise_case(system: System, employee: str, clause: str) -> pb.Case:
    return system.clients.compliance.RaiseCase(
        pb.RaiseCaseRequest(
            employee_id=employee,
            clause=clause,
            severity="major",
            title="reported",
            proposed_sanction=FINE,
            description="seen by a colleague",
        )
    ).case


def test_inboxes_list_their_sla_officers_loads_and_a_case_waiting_at_the_limit(
    desk: System,
) -> None:
    first = raise_case(desk, "alice", "4.1.1")
    second = raise_case(desk, "bob", "4.1.2")  # olga is at her limit of one

    assert (first.assignee, first.status) == ("olga", pb.CASE_STATUS_IN_REVIEW)
    assert first.due_at.ToDatetime() - first.opened_at.ToDatetime() == timedelta(hours=72)
    olga = desk.compliance_as("olga", "officer")
    shown = olga.GetCase(pb.GetCaseRequest(case_id=second.case_id)).case
    assert (shown.status, shown.assignee, shown.inbox) == (pb.CASE_STATUS_OPEN, "", "sales")
    assert shown.waiting_reason == (
        "waiting: every officer of inbox sales is at the limit of 1 open case(s)"
    )
    listed = olga.ListCases(pb.ListCasesRequest(inbox="sales")).cases
    assert [c.case_id for c in listed] == [first.case_id, second.case_id]
    assert [c.waiting_reason for c in listed] == ["", shown.waiting_reason]

    inboxes = {i.name: i for i in olga.ListInboxes(pb.ListInboxesRequest()).inboxes}
    assert list(inboxes) == ["sales", "after-sales", "general"]
    sales = inboxes["sales"]
    assert (sales.sla_hours, list(sales.clauses), sales.officer_limit) == (72.0, ["4.1"], 1)
    assert [(o.officer_id, o.open_cases) for o in sales.officers] == [("olga", 1)]
    assert (sales.waiting, sales.in_review, sales.overdue) == (1, 1, 0)


def test_next_case_refuses_an_unknown_inbox_and_an_officer_not_of_it(desk: System) -> None:
    raise_case(desk, "alice", "4.1.1")
    waiting = raise_case(desk, "bob", "4.1.1")
    mallory = desk.compliance_as("mallory", "officer")
    error = refused(mallory.NextCase, pb.NextCaseRequest(inbox="nowhere"))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = refused(mallory.ListCases, pb.ListCasesRequest(inbox="nowhere"))
    assert error.code() == grpc.StatusCode.NOT_FOUND and "nowhere" in error.details()
    error = refused(mallory.NextCase, pb.NextCaseRequest(inbox=""))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    error = refused(mallory.NextCase, pb.NextCaseRequest(inbox="sales"))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "not an officer of inbox sales" in error.details()
    case = mallory.GetCase(pb.GetCaseRequest(case_id=waiting.case_id)).case
    assert (case.status, case.assignee) == (pb.CASE_STATUS_OPEN, "")


def test_officers_asking_at_once_each_get_a_different_case_and_every_case_is_handed_out(
    desk: System,
) -> None:
    raised = [raise_case(desk, f"e{n}", "4.2.1").case_id for n in range(12)]
    raised.append(raise_case(desk, "o1", "4.2.2").case_id)  # about o1: never hers
    stubs = {o: desk.compliance_as(o, "officer") for o in OFFICERS}
    taken: dict[str, list[str]] = {o: [] for o in OFFICERS}
    failures: list[Exception] = []
    start = threading.Barrier(len(OFFICERS))

    def work(officer: str) -> None:
        try:
            start.wait()
            while True:
                reply = stubs[officer].NextCase(pb.NextCaseRequest(inbox="after-sales"))
                if not reply.HasField("case"):
                    return
                assert reply.case.assignee == officer
                taken[officer].append(reply.case.case_id)
        except (AssertionError, grpc.RpcError) as exc:  # reported below, not lost
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(o,)) for o in OFFICERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    handed = [c for cases in taken.values() for c in cases]
    assert sorted(handed) == sorted(raised)  # each case once, none twice
    assert raised[-1] not in taken["o1"]
    listed = stubs["o2"].ListCases(pb.ListCasesRequest(inbox="after-sales")).cases
    assert {c.assignee for c in listed} <= set(OFFICERS)
    assert all(c.status == pb.CASE_STATUS_IN_REVIEW for c in listed)


def test_the_cli_shows_inboxes_the_waiting_reason_and_takes_the_next_case(
    desk: System, capsys: pytest.CaptureFixture[str]
) -> None:
    raise_case(desk, "alice", "4.1.1")  # assigned to olga, who is then at her limit
    waiting = raise_case(desk, "bob", "4.1.1")
    after_sales = raise_case(desk, "carl", "4.2.1")
    address = desk.runtimes["compliance"].address

    def warden(subject: str, *argv: str) -> str:
        token = desk.token(subject, "officer")
        assert main(["cases", "--address", address, "--token", token, *argv]) == 0
        return capsys.readouterr().out

    shown = warden("olga", "inboxes")
    assert "sales  (sales)  SLA 72 h  takes 4.1" in shown
    assert "waiting 1, in review 1, overdue 0" in shown
    assert "officers (open cases, limit 1): olga 1" in shown
    listed = warden("olga", "list", "--inbox", "sales")
    assert f"{waiting.case_id}" in listed
    assert "waiting: every officer of inbox sales is at the limit of 1 open case(s)" in listed
    taken = warden("oscar", "next", "after-sales")
    assert f"case {after_sales.case_id} is yours (claimed)" in taken
    assert "inbox:     after-sales, due" in taken
    assert warden("oscar", "next", "after-sales") == (
        "no case in inbox after-sales that you may review is waiting\n"
    )
