"""Instances judging at the same moment: a redelivery judged by two (as during a rebalance),
of which the second loses the inbox primary key and counts the event as already judged; and
replicas on PostgreSQL judging different events, which do not wait for each other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from tests.conftest import _postgres_database
from tests.integration.scale.helpers import price_changed
from warden.compliance.judging.judge import Judge, Judged
from warden.compliance.review.cases import Review
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.db import make_engine
from warden.platform.topics import SALES_EVENTS


def pause_before_inbox_insert(engine: Engine, checked: threading.Event, go: threading.Event):  # type: ignore[no-untyped-def]
    """Hold this instance between its inbox check and its inbox insert."""

    @event.listens_for(engine, "before_cursor_execute")
    def _hold(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INBOX") and not checked.is_set():
            checked.set()
            assert go.wait(30), "the other instance never finished"


def test_an_event_judged_by_two_instances_at_once_opens_one_case(database_url: str) -> None:
    rules = RuleEngine(load_rules(Settings().rules_dir))
    first_engine = make_engine(database_url, schema.metadata)
    second_engine = make_engine(database_url, schema.metadata)
    checked, go = threading.Event(), threading.Event()
    pause_before_inbox_insert(second_engine, checked, go)
    violating = price_changed("rep-01", violating=True)
    outcome: list[Judged | BaseException] = []

    def second_instance() -> None:
        try:
            outcome.append(Judge(second_engine, rules).handle(violating, SALES_EVENTS, 0, 7))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(exc)

    racer = threading.Thread(target=second_instance)
    racer.start()
    assert checked.wait(30), "the second instance never reached its inbox insert"
    first = Judge(first_engine, rules).handle(violating, SALES_EVENTS, 0, 7)
    go.set()
    racer.join(30)

    assert not first.duplicate and first.cases
    assert len(outcome) == 1 and isinstance(outcome[0], Judged), outcome
    assert outcome[0].duplicate
    with first_engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(schema.cases)).scalar_one()
        assert cases == len(first.cases)
        assert conn.execute(select(func.count()).select_from(schema.inbox)).scalar_one() == 1
    first_engine.dispose()
    second_engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
def test_replicas_judge_at_the_same_time_and_queue_only_for_the_audit_chain(
    postgres_url: str,
) -> None:
    """Two replicas on PostgreSQL judging different violations at once: the first is held
    after judging, as it writes its rows, its case made and not yet written; the second
    judges, writes its case and its audit entry and commits meanwhile. The audit chain's lock
    is taken when a transaction writes its cases (with their placement in inboxes), not at
    its first case: replicas would otherwise judge one at a time whenever their polls hold a
    violation. Both entries end up in one valid chain."""
    rules = RuleEngine(load_rules(Settings().rules_dir))
    first_engine = make_engine(postgres_url, schema.metadata)
    second_engine = make_engine(postgres_url, schema.metadata)
    judged, go = threading.Event(), threading.Event()

    @event.listens_for(first_engine, "before_cursor_execute")
    def _hold(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The stored events are written just before the cases (JudgingUnit.write).
        if statement.lstrip().upper().startswith("INSERT INTO EVENTS") and not judged.is_set():
            judged.set()
            assert go.wait(30), "the test never let the first replica go on"

    outcome: list[Judged | BaseException] = []

    def first_replica() -> None:
        try:
            violating = price_changed("rep-01", violating=True)
            outcome.append(Judge(first_engine, rules).handle(violating, SALES_EVENTS, 0, 1))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(exc)

    racer = threading.Thread(target=first_replica)
    racer.start()
    try:
        assert judged.wait(30), "the first replica never reached its case"
        second = ThreadPoolExecutor(1).submit(
            Judge(second_engine, rules).handle,
            price_changed("rep-02", violating=True),
            SALES_EVENTS,
            1,
            1,
        )
        # Done while the first replica's transaction is still open: not queued behind it.
        assert second.result(timeout=20).cases
    finally:
        go.set()
        racer.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], Judged), outcome
    assert outcome[0].cases
    review = Review(second_engine)
    assert review.verify_audit() == (2, None)
    first_engine.dispose()
    second_engine.dispose()
