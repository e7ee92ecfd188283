"""Compliance domain: rules and findings, sanctions, cases and decisions. No I/O here."""
