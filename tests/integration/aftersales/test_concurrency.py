"""Two requests on one ticket at the same moment, on SQLite and PostgreSQL: they are serialised,
so a second identical fee is seen as a duplicate and a repeated key records one step; two
requests with one new key (nothing to lock yet) give one ticket or one archive run."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier
from typing import Any

from tests.integration.aftersales.conftest import of_type, outbox_events
from tests.integration.aftersales.month import FakeClock, eur, staff_and_customers
from warden.aftersales.app import AfterSalesApp


def race(action: Callable[[], Any]) -> list[Any]:
    start = Barrier(2)

    def at_once() -> Any:
        start.wait()
        return action()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [f.result() for f in [pool.submit(at_once), pool.submit(at_once)]]


def ticket(app: AfterSalesApp) -> str:
    staff_and_customers(app)
    return app.open_ticket("C1", "X100", "phone", "noise", "dave")[0].ticket_id


def test_two_identical_fees_at_once_are_one_fee_and_one_duplicate(
    app: AfterSalesApp, clock: FakeClock
) -> None:
    t = ticket(app)
    results = race(lambda: app.charge_fee(t, "dave", "SV-VISIT", eur(8_000), False))
    flags = sorted(r.fee.flags for r in results)
    assert flags == [[], ["duplicate"]]
    assert len(of_type(outbox_events(app), "fee.charged")) == 2


def test_the_same_answer_sent_twice_at_once_with_one_key_is_recorded_once(
    app: AfterSalesApp, clock: FakeClock
) -> None:
    t = ticket(app)
    results = race(lambda: app.respond(t, "dave", "on it", idempotency_key="answer-1"))
    assert results[0].event_id == results[1].event_id
    assert len(of_type(outbox_events(app), "ticket.responded")) == 1
    assert [s.kind for s in app.ticket_view(t).history].count("responded") == 1


ROUNDS = 5  # a race may not overlap every time; several rounds make an overlap near-certain


def test_two_new_tickets_sent_at_once_with_one_new_key_are_one_ticket(
    app: AfterSalesApp, clock: FakeClock
) -> None:
    staff_and_customers(app)
    for n in range(ROUNDS):
        first, second = race(
            lambda n=n: app.open_ticket("C1", "X100", "phone", "noise", "dave", f"open-{n}")
        )
        assert first == second
    received = of_type(outbox_events(app), "ticket.received")
    assert len(received) == ROUNDS
    assert len(app.search_records()) == ROUNDS


def test_two_archive_runs_at_once_with_one_new_key_are_one_run(
    app: AfterSalesApp, clock: FakeClock
) -> None:
    t = ticket(app)
    app.close(t, "dave")
    clock.at(clock.now + timedelta(days=2))
    runs = [race(lambda n=n: app.archive(1, "sue", f"archive-{n}")) for n in range(ROUNDS)]
    assert all(first == second for first, second in runs)
    assert runs[0][0].ticket_ids == [t]
    assert len(of_type(outbox_events(app), "records.archived")) == ROUNDS
