"""A redelivery judged by two instances at the same moment (as during a rebalance): the
second one loses the inbox primary key and counts the event as already judged."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event, func, select

from tests.integration.scale.helpers import price_changed
from warden.compliance import store
from warden.compliance.engine import RuleEngine
from warden.compliance.judging import Judge, Judged
from warden.compliance.rulebook import load_rules
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
    first_engine = make_engine(database_url, store.metadata)
    second_engine = make_engine(database_url, store.metadata)
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
        cases = conn.execute(select(func.count()).select_from(store.cases)).scalar_one()
        assert cases == len(first.cases)
        assert conn.execute(select(func.count()).select_from(store.inbox)).scalar_one() == 1
    first_engine.dispose()
    second_engine.dispose()
