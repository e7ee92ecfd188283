"""Two requests on one ticket at the same moment, on SQLite and PostgreSQL: they are serialised,
so a second identical fee is seen as a duplicate and a repeated key records one step."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.integration.aftersales.conftest import of_type, outbox_events
from tests.integration.aftersales.month import FakeClock, eur, staff_and_customers
from warden.aftersales.service import AfterSalesApp


def race(action: Callable[[], Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [f.result() for f in [pool.submit(action), pool.submit(action)]]


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
