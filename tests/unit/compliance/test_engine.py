"""The durable-rules adapter: every rule an event breaks gives its own match; an event lacking
a field a rule needs is not judged by that rule, with a warning naming the event."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from warden.compliance.domain.findings import make_finding
from warden.compliance.rules.engine import Enrichment, RuleEngine, _Compiled
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent, parse_time

CATALOGUE = {r.rule_id: r for r in load_rules(Settings().rules_dir)}


def price_change(**changes: object) -> dict[str, object]:
    data = {
        "price_change_id": "P-1",
        "product_id": "X100",
        "currency": "EUR",
        "list_price_minor": 100_000,
        "floor_price_minor": 85_000,
        "old_price_minor": 100_000,
        "new_price_minor": 70_000,
        "discount_bp": 3_000,
        "changed_by": "alice",
        "changed_by_role": "sales_rep",
        "authority_bp": 1_000,
        "approval": {"status": "none", "approved_by": None, "requested_by": "alice"},
    }
    data.update(changes)
    return CloudEvent(
        type="warden.sales.price.changed",
        source="/warden/sales",
        subject="alice",
        data=data,
        id="ev-1",
        time=parse_time("2026-11-03T09:00:00Z"),
    ).to_dict()


def expense_recorded() -> dict[str, object]:
    return CloudEvent(
        type="warden.sales.expense.recorded",
        source="/warden/sales",
        subject="alice",
        data={"expense_id": "X-3", "customer_id": "C-7", "amount_minor": 20_000, "currency": "EUR"},
        id="ev-3",
    ).to_dict()


def test_an_event_breaking_two_rules_gives_two_matches() -> None:
    engine = RuleEngine([CATALOGUE["price-below-floor"], CATALOGUE["discount-beyond-authority"]])
    matched = engine.judge(price_change())
    assert sorted(m.rule.rule_id for m in matched) == [
        "discount-beyond-authority",
        "price-below-floor",
    ]
    explained = {
        m.rule.rule_id: make_finding(m.rule, m.event, parse_time(m.event["time"])) for m in matched
    }
    assert "discount 30% > authority 10%" in explained["discount-beyond-authority"].explanation
    assert (
        "new price 700.00 EUR < policy floor 850.00 EUR"
        in explained["price-below-floor"].explanation
    )


@pytest.mark.parametrize("approver", ["alice", "Alice", " ALICE\t"])
def test_a_fold_condition_compares_ids_case_folded_and_trimmed(approver: str) -> None:
    engine = RuleEngine([CATALOGUE["price-changed-self-approved"]])
    approval = {"status": "approved", "approved_by": approver, "requested_by": "alice"}
    (matched,) = engine.judge(price_change(approval=approval))
    finding = make_finding(matched.rule, matched.event, parse_time(matched.event["time"]))
    assert f"approved by {approver}, who changed the price (alice)" in finding.explanation


@pytest.mark.parametrize("approver", ["carol", "alice2", None])
def test_a_fold_condition_does_not_match_someone_else(approver: str | None) -> None:
    engine = RuleEngine([CATALOGUE["price-changed-self-approved"]])
    approval = {"status": "approved", "approved_by": approver, "requested_by": "alice"}
    assert engine.judge(price_change(approval=approval)) == []


def test_a_fold_condition_folds_its_literal_and_blank_text_is_empty() -> None:
    engine = RuleEngine([CATALOGUE["customer-data-exported-without-purpose"]])
    event = CloudEvent(
        type="warden.aftersales.customer_data.accessed",
        source="/desk",
        subject="erin",
        data={
            "action": " EXPORT",
            "purpose": " ",
            "customer_count": 35,
            "fields": ["phone"],
            "recipient": "usb",
        },
    ).to_dict()
    assert [m.rule.rule_id for m in engine.judge(event)] == [
        "customer-data-exported-without-purpose"
    ]
    event["data"]["purpose"] = "recall"
    assert engine.judge(event) == []


def test_the_same_event_judged_again_matches_again() -> None:
    engine = RuleEngine([CATALOGUE["price-below-floor"]])
    assert len(engine.judge(price_change())) == 1
    assert len(engine.judge(price_change())) == 1


def test_an_event_missing_a_field_a_rule_needs_is_skipped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = RuleEngine([CATALOGUE["price-below-floor"], CATALOGUE["discount-beyond-authority"]])
    event = price_change()
    del event["data"]["authority_bp"]  # type: ignore[attr-defined]
    with caplog.at_level(logging.WARNING, logger="warden.compliance.rules.engine"):
        matched = engine.judge(event)
    assert [m.rule.rule_id for m in matched] == ["price-below-floor"]
    assert engine.missing_field_warnings == 1
    assert "event ev-1 lacks data.authority_bp needed by rule discount-beyond-authority@v1" in (
        caplog.text
    )


def test_a_stateful_rule_compares_the_context_it_is_given() -> None:
    rule = CATALOGUE["customer-expenses-over-window"]
    engine = RuleEngine([rule])
    event = expense_recorded()

    def context(total: int, before: int) -> Enrichment:
        return Enrichment(
            {"customer_expenses_minor": total, "customer_expenses_minor_before": before},
            ("ev-1", "ev-2"),
        )

    (match,) = engine.judge(event, lambda _rule, _event: context(60_000, 40_000))
    assert match.related == ("ev-1", "ev-2")
    assert engine.judge(event, lambda _rule, _event: context(80_000, 60_000)) == []
    assert engine.judge(event, lambda _rule, _event: context(50_000, 30_000)) == []


def test_rule_engines_leave_no_thread_running() -> None:
    """durable-rules' host re-arms two timer threads for ever; every engine built (one per
    catalogue generation, backtest judge or example run) must not add to them."""
    before = {t.ident for t in threading.enumerate()}
    rules = load_rules(Settings().rules_dir)
    engines = [RuleEngine(rules) for _ in range(3)]
    assert engines[0].judge(price_change())  # they judge, synchronously
    time.sleep(0.5)  # durable-rules' first timers fire after 0.1 s
    started = [t.name for t in threading.enumerate() if t.ident not in before]
    assert started == []


def test_durable_rules_is_posted_only_what_a_rule_reads_and_the_match_keeps_the_event() -> None:
    rule = CATALOGUE["price-below-floor"]
    event = price_change()
    posted = _Compiled.of(rule).projection(event)
    assert posted == {
        "type": "warden.sales.price.changed",
        "id": "ev-1",
        "data": {
            "new_price_minor": 70_000,
            "floor_price_minor": 85_000,  # the other side of a field-to-field comparison
            "approval": {"status": "none"},
        },
    }
    assert event["data"]["approval"]["requested_by"] == "alice"  # the event is left as it was
    (match,) = RuleEngine([rule]).judge(event)
    assert match.event == event  # evidence and explanations read the whole event


def test_a_field_the_event_lacks_is_left_out_of_what_is_posted() -> None:
    event = price_change(approval={"approved_by": None})
    posted = _Compiled.of(CATALOGUE["price-below-floor"]).projection(event)
    assert posted["data"] == {"new_price_minor": 70_000, "floor_price_minor": 85_000}


@pytest.mark.parametrize(
    ("new_price", "below_floor"),
    [(1e16, False), (1e-05, True), (2.5e-7, True), (1e300, False), (84_999.5, True)],
)
def test_a_float_written_in_exponent_form_is_judged_by_its_value(
    new_price: float, below_floor: bool
) -> None:
    """durable-rules' C engine cannot read 1e+16 or 1e-05 (both JSON libraries write such
    floats so): the event raised "Could not assert event, error code: 204" and was
    dead-lettered. The adapter posts floats in positional form."""
    engine = RuleEngine([CATALOGUE["price-below-floor"]])
    matched = engine.judge(price_change(new_price_minor=new_price))
    assert [m.rule.rule_id for m in matched] == (["price-below-floor"] if below_floor else [])


def test_a_field_to_field_comparison_reads_an_exponent_float_on_either_side() -> None:
    engine = RuleEngine([CATALOGUE["price-below-floor"]])
    assert engine.judge(price_change(floor_price_minor=1e16))  # 70,000 < 1e16
    assert not engine.judge(price_change(floor_price_minor=1e-05))


def test_a_stateful_context_in_exponent_form_is_compared_by_its_value() -> None:
    rule = CATALOGUE["customer-expenses-over-window"]
    event = expense_recorded()
    context = Enrichment({"customer_expenses_minor": 1e17, "customer_expenses_minor_before": 0})
    (match,) = RuleEngine([rule]).judge(event, lambda _rule, _event: context)
    assert match.event["context"]["customer_expenses_minor"] == 1e17  # the evidence as computed


@pytest.mark.parametrize("amount", ["abc", "99999999", True, [30_000], {"minor": 30_000}])
def test_a_field_compared_with_a_number_that_is_not_one_is_skipped_with_a_warning(
    amount: object, caplog: pytest.LogCaptureFixture
) -> None:
    """durable-rules orders a string against a number without complaint ("abc" > 20000
    held, and flagged a gift that is no amount at all): such an event is not judged by the
    rule, and says why."""
    engine = RuleEngine([CATALOGUE["gift-above-threshold"]])
    event = expense_recorded()
    event["data"] |= {"kind": "gift", "description": "wine", "amount_minor": amount}  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="warden.compliance.rules.engine"):
        assert engine.judge(event) == []
    assert engine.missing_field_warnings == 1
    assert f"event ev-3 has data.amount_minor = {amount!r} where rule gift-above-threshold" in (
        caplog.text
    )


@pytest.mark.parametrize(("amount", "flagged"), [(30_000, True), (30_000.5, True), (100, False)])
def test_a_number_compared_with_a_number_is_judged(amount: object, flagged: bool) -> None:
    engine = RuleEngine([CATALOGUE["gift-above-threshold"]])
    event = expense_recorded()
    event["data"] |= {"kind": "gift", "description": "wine", "amount_minor": amount}  # type: ignore[operator]
    assert [m.rule.rule_id for m in engine.judge(event)] == (
        ["gift-above-threshold"] if flagged else []
    )
    assert engine.missing_field_warnings == 0
