"""The reference HR consumer (`warden hr follow`): each decision once, and a decision that
replaces another stands, whichever of the two arrives first."""

from __future__ import annotations

from typing import Any

from warden.compliance.hrfeed import HrLedger


def _decision(decision_id: str, outcome: str, replaces: str | None = None) -> dict[str, Any]:
    sanction = None if outcome == "dismissed" else {"kind": "warning"}
    data = {
        "decision_id": decision_id,
        "case_id": "case-1",
        "employee_id": "alice",
        "outcome": outcome,
        "sanction": sanction,
        "replaces": replaces,
    }
    return {"id": decision_id, "data": data}


def test_a_repeated_decision_is_taken_once() -> None:
    ledger = HrLedger()
    assert ledger.take(_decision("d-1", "confirmed"))
    assert not ledger.take(_decision("d-1", "confirmed"))
    assert ledger.duplicates == 1
    assert ledger.standing["case-1"]["decision_id"] == "d-1"


def test_a_dismissal_lifts_the_decision_it_replaces() -> None:
    ledger = HrLedger()
    ledger.take(_decision("d-1", "confirmed"))
    ledger.take(_decision("d-2", "dismissed", replaces="d-1"))
    assert ledger.standing == {}


def test_a_decision_arriving_after_the_one_replacing_it_does_not_stand() -> None:
    """A republished event can arrive after a later one (docs/events.md): the dismissal that
    replaced d-1 keeps the sanction lifted, and an amendment keeps standing."""
    lifted = HrLedger()
    assert lifted.take(_decision("d-2", "dismissed", replaces="d-1"))
    assert lifted.take(_decision("d-1", "confirmed"))
    assert lifted.standing == {}
    assert [r["decision_id"] for r in lifted.records] == ["d-2", "d-1"]
    amended = HrLedger()
    amended.take(_decision("d-2", "amended", replaces="d-1"))
    amended.take(_decision("d-1", "confirmed"))
    assert amended.standing["case-1"]["decision_id"] == "d-2"
