"""The reference HR consumer (`warden hr follow`): each decision once, and a decision that
replaces another stands, whichever of the two arrives first."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warden.compliance.review.hrfeed import HrLedger
from warden.platform.cloudevents import CloudEvent
from warden.platform.signing import Signer


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


class _Record:
    """A Kafka record as read_topic returns it: where it sits and its value."""

    def __init__(self, offset: int, value: bytes) -> None:
        self.partition, self.offset, self.value = 0, offset, value


def _signed(signer: Signer, decision: dict[str, Any]) -> bytes:
    event = CloudEvent(
        type="warden.compliance.penalty.decided",
        source="/warden/compliance",
        subject="alice",
        data=decision["data"],
        id=decision["id"],
    )
    return signer.sign(event).to_bytes()


def test_a_forgery_under_a_decisions_id_arriving_first_never_replaces_it() -> None:
    warden, forger = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    genuine = _decision("d-1", "confirmed")
    genuine["data"]["sanction"] = {"kind": "fine", "amount_minor": 50_000}
    records = [
        _Record(0, _signed(forger, _decision("d-1", "confirmed"))),  # a warning under its id
        _Record(1, _signed(forger, _decision("d-9", "dismissed", replaces="d-1"))),
        _Record(2, json.dumps(_decision("d-8", "dismissed", replaces="d-1")).encode()),
        _Record(3, _signed(warden, genuine)),
        _Record(4, _signed(warden, genuine)),  # a true redelivery
    ]
    ledger = HrLedger()
    applied = ledger.follow(records, warden.verifier())
    assert [d["decision_id"] for d in applied] == ["d-1"]
    assert ledger.standing["case-1"]["sanction"]["amount_minor"] == 50_000
    assert ledger.duplicates == 1 and ledger.replaced == set()
    assert [f.split(":")[0] for f in ledger.forged] == [
        "partition 0 offset 0",
        "partition 0 offset 1",
        "partition 0 offset 2",
    ]
