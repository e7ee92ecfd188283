"""The console's login rules without I/O: the rate limit's stated wait, the OIDC settings and
claim mapping (employee id and roles), and how `warden users` reads a password."""

from __future__ import annotations

import argparse
import io

import pytest
from flask import Flask

from warden.config import Settings
from warden.console.accounts import AccountError, LoginRefused, check_password, check_roles
from warden.console.oidc import OidcConfig, OidcLogin, oidc_config, parse_role_map
from warden.console.throttle import wait_text
from warden.console.users_cli import read_password


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "1 s"), (1, "1 s"), (59, "59 s"), (60, "1 min"), (61, "1 min 1 s"), (878, "14 min 38 s")],
)
def test_the_wait_is_stated_in_minutes_and_seconds(seconds: int, text: str) -> None:
    assert wait_text(seconds) == text


def test_a_password_shorter_than_twelve_characters_is_refused() -> None:
    with pytest.raises(AccountError, match="^the password must have at least 12 characters$"):
        check_password("eleven char")
    assert check_password("twelve chars") == "twelve chars"


def test_roles_must_be_warden_roles() -> None:
    assert check_roles([" officer", "admin "]) == {"officer", "admin"}
    with pytest.raises(AccountError, match=r"^unknown role\(s\) root: choose from officer, "):
        check_roles(["officer", "root"])


def login(**config: object) -> OidcLogin:
    settings = {"issuer": "https://idp.example", "client_id": "warden", **config}
    return OidcLogin(Flask(__name__), OidcConfig(**settings))  # type: ignore[arg-type]


def test_the_employee_claim_names_the_employee_normalised() -> None:
    assert login().employee({"employee_id": " Olivia "}) == "olivia"
    custom = login(employee_claim="preferred_username")
    assert custom.employee({"preferred_username": "OSCAR"}) == "oscar"
    for claims in ({}, {"employee_id": ""}, {"employee_id": ["olivia"]}):
        with pytest.raises(LoginRefused, match="^the ID token has no 'employee_id' claim"):
            login().employee(claims)


def test_roles_come_from_the_claim_through_the_role_map_or_as_named() -> None:
    mapped = login(roles_claim="groups", role_map={"compliance-team": "officer"})
    assert mapped.roles({"groups": ["compliance-team", "staff"]}) == {"officer"}
    assert mapped.roles({"groups": ["admin"]}) == {"admin"}  # a role's own name counts
    assert login().roles({"warden_roles": "officer admin"}) == {"officer", "admin"}
    assert login().roles({"warden_roles": "officer,hr_reader"}) == {"officer", "hr_reader"}
    for claims in ({}, {"warden_roles": ["staff"]}, {"warden_roles": {"officer": True}}):
        with pytest.raises(LoginRefused, match="^the ID token's 'warden_roles' claim names no"):
            login().roles(claims)


def test_a_role_map_entry_must_map_a_value_to_a_warden_role() -> None:
    assert parse_role_map(" a=officer , b=admin ") == {"a": "officer", "b": "admin"}
    for bad in ("a", "a=", "=officer", "a=root"):
        with pytest.raises(ValueError, match=f"WARDEN_OIDC_ROLE_MAP: {bad!r} is not"):
            parse_role_map(bad)


def test_oidc_is_off_without_an_issuer_and_needs_a_client_id_with_one() -> None:
    assert oidc_config(Settings()) is None
    config = oidc_config(Settings(oidc_issuer="https://idp.example/", oidc_client_id="warden"))
    assert config is not None
    assert config.metadata_url == "https://idp.example/.well-known/openid-configuration"
    with pytest.raises(
        ValueError, match="^WARDEN_OIDC_ISSUER is set without WARDEN_OIDC_CLIENT_ID"
    ):
        Settings(oidc_issuer="https://idp.example")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_password_is_read_from_stdin_or_typed_twice_at_a_prompt() -> None:
    piped = argparse.Namespace(username="olivia", password_stdin=True)
    assert read_password(piped, io.StringIO("a long password\nnext line")) == "a long password"
    typed = argparse.Namespace(username="olivia", password_stdin=False)
    answers = iter(["a long password", "a long password"])
    assert read_password(typed, Terminal(), lambda _: next(answers)) == "a long password"
    answers = iter(["a long password", "a long passw0rd"])
    with pytest.raises(AccountError, match="^the two passwords differ; nothing changed$"):
        read_password(typed, Terminal(), lambda _: next(answers))
    with pytest.raises(AccountError, match="^no terminal to prompt for the password"):
        read_password(typed, io.StringIO("a long password\n"))
