"""Tokens are refused, with the reason, when they are not ASCII, truncated, signed with
another secret, expired, issued for longer than the maximum lifetime, issued in the future
or for another surface (API or console)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from warden.platform import auth

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
NOW = 1_800_000_000.0


def signed(payload: dict[str, object]) -> str:
    """A token with any payload, correctly signed (to reach the checks after the signature)."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(payload).encode())
    mac = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(mac)}"


def test_a_token_for_the_api_is_accepted_within_its_lifetime() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], ttl_s=3600, now=NOW)
    identity = auth.verify_token(SECRET, token, now=NOW + 10, max_ttl_s=3600)
    assert identity.subject == "olivia" and identity.expires_at == NOW + 3600


def test_a_non_ascii_token_is_malformed_not_a_crash() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], now=NOW)
    with pytest.raises(auth.InvalidToken, match="^malformed token$"):
        auth.verify_token(SECRET, token[:-2] + "é", now=NOW)


def test_a_truncated_token_is_refused() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], now=NOW)
    with pytest.raises(auth.InvalidToken, match="^bad signature$"):
        auth.verify_token(SECRET, token[:-5], now=NOW)
    with pytest.raises(auth.InvalidToken, match="^malformed token$"):
        auth.verify_token(SECRET, token.rsplit(".", 1)[0], now=NOW)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = auth.issue_token("another-secret-" * 3, "olivia", ["admin"], now=NOW)
    with pytest.raises(auth.InvalidToken, match="^bad signature$"):
        auth.verify_token(SECRET, token, now=NOW)


def test_an_expired_token_is_refused() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], ttl_s=60, now=NOW)
    with pytest.raises(auth.InvalidToken, match="^token expired$"):
        auth.verify_token(SECRET, token, now=NOW + 60)


def test_a_token_living_longer_than_the_maximum_is_refused_even_before_it_expires() -> None:
    thirty_one_years = 31 * 365 * 86400
    token = auth.issue_token(SECRET, "mallory", ["admin"], ttl_s=thirty_one_years, now=NOW)
    with pytest.raises(auth.InvalidToken, match=r"^lifetime 977616000 s exceeds the 43200 s"):
        auth.verify_token(SECRET, token, now=NOW + 1, max_ttl_s=43200)


def test_a_token_issued_in_the_future_is_refused() -> None:
    token = auth.issue_token(SECRET, "olivia", ["officer"], ttl_s=60, now=NOW + 3600)
    with pytest.raises(auth.InvalidToken, match="^issued in the future$"):
        auth.verify_token(SECRET, token, now=NOW)


def test_a_console_token_is_refused_by_the_api_and_an_api_token_by_the_console() -> None:
    console = auth.issue_token(SECRET, "olivia", ["officer"], now=NOW, audience=auth.CONSOLE)
    with pytest.raises(auth.InvalidToken, match="^wrong audience: 'warden-console'"):
        auth.verify_token(SECRET, console, now=NOW)
    api = auth.issue_token(SECRET, "olivia", ["officer"], now=NOW)
    with pytest.raises(auth.InvalidToken, match="^wrong audience: 'warden-api'"):
        auth.verify_token(SECRET, api, now=NOW, audience=auth.CONSOLE)


def test_a_token_without_an_audience_is_refused() -> None:
    token = signed({"sub": "olivia", "roles": ["officer"], "iat": int(NOW), "exp": int(NOW) + 60})
    with pytest.raises(auth.InvalidToken, match="^wrong audience: None"):
        auth.verify_token(SECRET, token, now=NOW)


@pytest.mark.parametrize(
    "payload",
    [
        {"sub": "o", "roles": "officer", "aud": auth.API, "iat": 1, "exp": 2},
        {"sub": "o", "roles": ["officer"], "aud": auth.API, "exp": 2},
        ["not", "an", "object"],
    ],
    ids=["roles-not-a-list", "no-iat", "not-an-object"],
)
def test_a_signed_token_with_a_malformed_payload_is_refused(payload: object) -> None:
    with pytest.raises(auth.InvalidToken, match="^malformed token$"):
        auth.verify_token(SECRET, signed(payload), now=NOW)  # type: ignore[arg-type]


def test_a_token_for_an_unknown_audience_cannot_be_issued() -> None:
    with pytest.raises(ValueError, match="audience"):
        auth.issue_token(SECRET, "olivia", ["officer"], audience="elsewhere")
