"""Concurrent requests on one contract or opportunity serialise (SQLite and PostgreSQL): two
payments of the whole amount collect it once, two identical moves record one change."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from warden.errors import FailedPrecondition

from .conftest import Sales
from .seed import eur, seed


def race(times: int, action) -> list[object]:  # type: ignore[no-untyped-def]
    barrier = Barrier(times)

    def attempt(_: int) -> object:
        barrier.wait()
        try:
            return action()
        except FailedPrecondition as refused:
            return refused

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(attempt, range(times)))


def test_two_payments_of_the_whole_amount_collect_it_once(sales: Sales) -> None:
    world = seed(sales.app)
    results = race(2, lambda: sales.app.record_payment(world.contract_id, eur(20_000), "fin"))
    refused = [r for r in results if isinstance(r, FailedPrecondition)]
    assert len(refused) == 1 and "outstanding" in str(refused[0])
    assert sales.app.get_contract(world.contract_id).collected_minor == 20_000
    assert len(sales.events("warden.sales.payment.collected")) == 1


def test_two_identical_moves_record_one_stage_change(sales: Sales) -> None:
    world = seed(sales.app)
    results = race(2, lambda: sales.app.change_stage(world.at_visit, "needs_analysis", "alice"))
    assert sum(isinstance(r, FailedPrecondition) for r in results) == 1
    history = sales.app.get_opportunity(world.at_visit).history
    assert [h.to_stage for h in history] == ["lead", "visit", "needs_analysis"]
