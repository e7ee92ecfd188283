"""Topic names: a public contract, documented in docs/events.md."""

SALES_EVENTS = "sales.events"
AFTERSALES_EVENTS = "aftersales.events"
HR_PENALTY_DECISIONS = "hr.penalty-decisions"
DEAD_LETTER = "warden.dead-letter"
# The audit chain's end, published now and then so a rewritten chain shows (audit anchors).
AUDIT_ANCHORS = "warden.audit-anchors"

INPUT_TOPICS = (SALES_EVENTS, AFTERSALES_EVENTS)
ALL_TOPICS = (SALES_EVENTS, AFTERSALES_EVENTS, HR_PENALTY_DECISIONS, DEAD_LETTER, AUDIT_ANCHORS)
