"""Rule testing: a rule's worked examples and backtests against stored events."""
