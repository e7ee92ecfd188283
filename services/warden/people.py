"""Who someone is, for every involvement check: a token's subject or an employee id, normalised."""

from __future__ import annotations

from collections.abc import Iterable


def person(name: str) -> str:
    """The employee id a subject or recorded name stands for: trimmed and case-folded, so that
    `Frank`, ` frank ` and `frank` are one person."""
    return name.strip().casefold()


def same_person(a: str, b: str) -> bool:
    return bool(a.strip()) and person(a) == person(b)


def signed_by(signatures: Iterable[tuple[str, str]]) -> str:
    """Who signed, for people to read: each actor, with the officer they recorded the decision
    for on paper, e.g. `mallory (for olivia, on paper), oscar`."""
    return ", ".join(f"{by} (for {named}, on paper)" if named else by for by, named in signatures)
