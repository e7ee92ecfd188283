"""The missed-deadline event is made inside the compliance service only: an outsider cannot
forge one through the input topics."""

from __future__ import annotations

import pytest

from warden import contract
from warden.contract.compliance import DEADLINE_MISSED, INTERNAL_EVENTS
from warden.platform.cloudevents import CloudEvent


def test_a_missed_deadline_event_from_a_topic_is_refused_as_an_unknown_type() -> None:
    forged = CloudEvent(
        type=DEADLINE_MISSED,
        source="/somebody",
        subject="dave",
        data=dict.fromkeys(INTERNAL_EVENTS[DEADLINE_MISSED], "x"),
    )
    with pytest.raises(contract.UnknownEventType) as refused:
        contract.validate(forged)
    assert DEADLINE_MISSED in str(refused.value)
