"""The compliance service: judges events against policy section 4 and proposes sanctions (4.3)."""
