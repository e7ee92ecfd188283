"""Bearer tokens (signed, expiring) and the audit chain's verifier, without I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from warden.compliance.review import audit
from warden.platform import auth

SECRET = "test-secret"
NOW = 1_800_000_000.0


def test_a_token_carries_its_subject_and_roles() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], ttl_s=60, now=NOW)
    identity = auth.verify_token(SECRET, token, now=NOW + 59)
    assert identity.subject == "olivia" and identity.roles == {"officer"}


def test_an_expired_token_is_refused() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], ttl_s=60, now=NOW)
    with pytest.raises(auth.InvalidToken, match="expired"):
        auth.verify_token(SECRET, token, now=NOW + 60)


def test_a_token_signed_with_another_secret_or_edited_is_refused() -> None:
    token = auth.issue_token("another", "olivia", ["officer"], now=NOW)
    with pytest.raises(auth.InvalidToken, match="signature"):
        auth.verify_token(SECRET, token, now=NOW)
    head, body, sig = auth.issue_token(SECRET, "olivia", ["officer"], now=NOW).split(".")
    forged_body = auth.issue_token(SECRET, "olivia", ["admin"], now=NOW).split(".")[1]
    with pytest.raises(auth.InvalidToken, match="signature"):
        auth.verify_token(SECRET, f"{head}.{forged_body}.{sig}", now=NOW)
    with pytest.raises(auth.InvalidToken, match="malformed"):
        auth.verify_token(SECRET, "not-a-token", now=NOW)


def test_an_unknown_role_cannot_be_issued() -> None:
    with pytest.raises(ValueError, match="roles"):
        auth.issue_token(SECRET, "olivia", ["superuser"])


def test_the_role_table_gives_hr_decisions_but_not_cases() -> None:
    decisions = auth.roles_for("/warden.v1.ComplianceService/ListDecisions")
    cases = auth.roles_for("/warden.v1.ComplianceService/DecideCase")
    assert "hr_reader" in decisions and "hr_reader" not in cases
    assert "officer" in cases and "sales" not in cases
    # A sales system (crm) records people's acts; it registers no one and sets no list price.
    assert auth.roles_for("/warden.v1.SalesService/ChangePrice") == {"sales", "admin", "crm"}
    assert auth.roles_for("/warden.v1.SalesService/SetListPrice") == {"sales", "admin"}
    assert auth.roles_for("/warden.v1.SalesService/RegisterSalesperson") == {"sales", "admin"}
    assert auth.roles_for("/warden.v1.Unknown/Anything") == frozenset()


def chain(n: int) -> list[audit.Entry]:
    entries, prev = [], audit.GENESIS
    at = datetime(2026, 11, 2, tzinfo=UTC)
    for seq in range(1, n + 1):
        when = at + timedelta(minutes=seq)
        details = {"n": seq}
        digest = audit.digest(seq, "case-1", "olivia", "commented", when, details, prev)
        entries.append(
            audit.Entry(seq, "case-1", "olivia", "commented", when, details, prev, digest)
        )
        prev = digest
    return entries


def test_an_intact_chain_verifies() -> None:
    assert audit.verify(chain(5)) == (5, None)


def test_an_edited_entry_is_named_as_the_first_break() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], actor="mallory")
    checked, broken = audit.verify(entries)
    assert broken is not None and broken.seq == 3 and "content" in broken.problem
    assert checked == 3


def test_a_removed_entry_is_named() -> None:
    entries = chain(5)
    del entries[1]
    _, broken = audit.verify(entries)
    assert broken is not None and broken.seq == 3 and "removed" in broken.problem


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 27, 10, 30, 1, 250, tzinfo=UTC),
        datetime(2026, 11, 27, 18, 30, tzinfo=timezone(timedelta(hours=8))),  # no microseconds
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),  # strftime leaves the year unpadded
        datetime(1, 1, 1, tzinfo=UTC),
    ],
)
def test_an_entry_time_is_hashed_as_it_always_was(at: datetime) -> None:
    # Entries already in a chain were hashed with strftime: a stamp written differently
    # would break every one of them.
    assert audit._stamp(at) == at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
