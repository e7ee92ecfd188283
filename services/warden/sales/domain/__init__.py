"""The sales domain: prices, approvals, targets, pipeline, contracts, conduct, reports."""
