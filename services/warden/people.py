"""Who someone is, for every involvement check: a token's subject or an employee id, normalised."""

from __future__ import annotations


def person(name: str) -> str:
    """The employee id a subject or recorded name stands for: trimmed and case-folded, so that
    `Frank`, ` frank ` and `frank` are one person."""
    return name.strip().casefold()


def same_person(a: str, b: str) -> bool:
    return bool(a.strip()) and person(a) == person(b)
