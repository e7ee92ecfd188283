"""Topic names: a public contract, documented in docs/events.md."""

SALES_EVENTS = "sales.events"
AFTERSALES_EVENTS = "aftersales.events"
HR_PENALTY_DECISIONS = "hr.penalty-decisions"
DEAD_LETTER = "warden.dead-letter"

INPUT_TOPICS = (SALES_EVENTS, AFTERSALES_EVENTS)
ALL_TOPICS = (SALES_EVENTS, AFTERSALES_EVENTS, HR_PENALTY_DECISIONS, DEAD_LETTER)
