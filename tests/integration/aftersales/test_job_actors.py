"""Who archives records and publishes the quality report is who signed in, over gRPC on both
databases: the token's subject, with the field empty or naming it; naming anyone else is
refused with nothing changed, for an admin and for a desk integration too (a desk names
agents only for ticket steps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest

from tests.integration.aftersales.conftest import outbox_events
from tests.integration.aftersales.grpc_desk import SECRET, Desk, serving
from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.platform.auth import ADMIN, AFTERSALES, DESK, issue_token, with_token
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import aftersales_pb2_grpc

Stub = aftersales_pb2_grpc.AfterSalesServiceStub


@pytest.fixture
def desk(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    with serving(app, clock) as built:
        yield built


def as_(desk: Desk, subject: str, *roles: str) -> Stub:
    desk.channels.append(grpc.insecure_channel(desk.address))
    token = issue_token(SECRET, subject, roles or (AFTERSALES,))
    return Stub(with_token(desk.channels[-1], token))


def archive(stub: Stub, by: str = "") -> Any:
    return stub.ArchiveRecords(pb.ArchiveRecordsRequest(older_than_days=0, archived_by=by))


def publish(stub: Stub, by: str = "") -> Any:
    return stub.GetQualityReport(
        pb.GetQualityReportRequest(period="2026-10", publish=True, published_by=by)
    )


JOBS: dict[str, tuple[Callable[[Stub, str], Any], str]] = {
    "archive": (archive, "archived_by"),
    "publish": (publish, "published_by"),
}


@pytest.mark.parametrize("job", list(JOBS))
@pytest.mark.parametrize(
    "roles", [(AFTERSALES,), (ADMIN,), (ADMIN, DESK)], ids=["agent", "admin", "desk"]
)
def test_naming_someone_else_is_refused_and_nothing_changes(
    desk: Desk, job: str, roles: tuple[str, ...]
) -> None:
    run, field = JOBS[job]
    before = outbox_events(desk.app)
    with pytest.raises(grpc.RpcError) as refused:
        run(as_(desk, "sue", *roles), "dave")
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details() == f"{field}: 'sue' is signed in and may not act as 'dave'"
    assert outbox_events(desk.app) == before
    closed = desk.stub.GetTicket(pb.GetTicketRequest(ticket_id=desk.closed_ticket)).ticket
    assert not closed.archived


@pytest.mark.parametrize("job", list(JOBS))
@pytest.mark.parametrize("named", ["", "sue", " SUE "])
def test_the_subject_runs_the_job_and_is_recorded(desk: Desk, job: str, named: str) -> None:
    run, field = JOBS[job]
    run(as_(desk, "sue"), named)
    assert outbox_events(desk.app)[-1]["data"][field] == "sue"
