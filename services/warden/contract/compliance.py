"""Event types of the compliance service itself.

`warden.compliance.deadline.missed` is made inside the compliance service when the event-time
watermark passes a commitment nobody met (compliance/judging/deadlines.py); it is judged like
any other event but is not accepted from the input topics (EVENTS stays empty), so nobody
outside can forge one. Its fields are in INTERNAL_EVENTS and documented in docs/events.md; the
output, `warden.compliance.penalty.decided`, is documented there too."""

from __future__ import annotations

from warden.contract.fields import TEXT, FieldKinds

SOURCE = "/warden/compliance"
DEADLINE_MISSED = "warden.compliance.deadline.missed"
# Published on warden.audit-anchors: the audit chain's end (docs/events.md).
AUDIT_ANCHORED = "warden.compliance.audit.anchored"
# Published once on each signed topic when the service first signs with a key: where the
# records published before signing end (compliance/review/cutover.py, docs/events.md).
SIGNING_STARTED = "warden.compliance.signing.started"

EVENTS: dict[str, FieldKinds] = {}

INTERNAL_EVENTS: dict[str, FieldKinds] = {
    DEADLINE_MISSED: {
        "ticket_id": TEXT,
        "key": TEXT,
        "deadline": TEXT,
        "due": TEXT,
        "agent_id": TEXT,
        "started_by": TEXT,
        "started_by_source": TEXT,
        "noticed_at": TEXT,
        "track": TEXT,
    },
}
