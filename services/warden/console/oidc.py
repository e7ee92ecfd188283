"""OpenID Connect login for the console (Authlib's Flask client): the authorization code flow
with PKCE (S256), its state and nonce kept in a short-lived signed cookie and checked on the
callback, the ID token verified against the issuer's published keys (JWKS). The person's
employee id and Warden roles come from configured claims of the ID token."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from authlib.integrations.flask_client.apps import FlaskOAuth2App
from flask import Flask
from joserfc.errors import BadSignatureError, ClaimError, JoseError
from werkzeug.wrappers import Response

from warden.config import Settings
from warden.console.accounts import LoginRefused
from warden.people import person
from warden.platform.auth import ROLES

log = logging.getLogger(__name__)

# The cookie holding a started login's state, nonce and PKCE verifier until the callback;
# SameSite=Lax: the issuer's redirect back is a navigation from another site.
STATE_COOKIE = "warden_oidc"
STATE_LIFETIME_S = 600


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: str = "openid profile email"
    roles_claim: str = "warden_roles"
    employee_claim: str = "employee_id"
    # Claim value -> Warden role; a value not in it counts when it names a Warden role.
    role_map: Mapping[str, str] = field(default_factory=dict)
    # Empty: the console's /login/oidc/callback at the address the browser used.
    redirect_uri: str = ""

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def oidc_config(settings: Settings) -> OidcConfig | None:
    """The OIDC login configured in `settings`; None when no issuer is set."""
    if not settings.oidc_issuer:
        return None
    return OidcConfig(
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scopes=settings.oidc_scopes,
        roles_claim=settings.oidc_roles_claim,
        employee_claim=settings.oidc_employee_claim,
        role_map=parse_role_map(settings.oidc_role_map),
        redirect_uri=settings.oidc_redirect_uri,
    )


def parse_role_map(text: str) -> dict[str, str]:
    """`value=role,...` as a dict; ValueError naming the entry that is not one."""
    mapping: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        value, equals, role = (part.strip() for part in entry.partition("="))
        if not equals or not value or role not in ROLES:
            raise ValueError(
                f"WARDEN_OIDC_ROLE_MAP: {entry!r} is not claim-value=role with a role of "
                f"{', '.join(ROLES)}"
            )
        mapping[value] = role
    return mapping


class OidcLogin:
    """Starts logins at the issuer and turns its callbacks into (employee id, roles)."""

    def __init__(self, app: Flask, config: OidcConfig) -> None:
        self.config = config
        oauth = OAuth(app)
        self.client: FlaskOAuth2App = oauth.register(
            "oidc",
            client_id=config.client_id,
            client_secret=config.client_secret or None,
            server_metadata_url=config.metadata_url,
            client_kwargs={"scope": config.scopes, "code_challenge_method": "S256"},
        )

    def start(self, redirect_uri: str) -> Response:
        """A redirect to the issuer's authorization endpoint (state, nonce, PKCE challenge)."""
        try:
            return self.client.authorize_redirect(self.config.redirect_uri or redirect_uri)  # type: ignore[no-any-return]
        except (requests.RequestException, ValueError, KeyError) as exc:
            log.warning("console: OIDC issuer %s unreachable: %s", self.config.issuer, exc)
            raise LoginRefused(
                f"the identity provider at {self.config.issuer} cannot be reached"
            ) from None

    def finish(self) -> tuple[str, frozenset[str]]:
        """The employee id and roles of the callback's verified ID token; LoginRefused saying
        why for a wrong state, a wrong nonce, a bad signature or missing claims."""
        try:
            token = self.client.authorize_access_token()
        except AuthlibBaseError as exc:
            raise LoginRefused(_authlib_reason(exc)) from None
        except ClaimError as exc:
            raise LoginRefused(_claim_reason(exc)) from None
        except BadSignatureError:
            raise LoginRefused(
                "the ID token's signature does not verify against the issuer's keys"
            ) from None
        except JoseError as exc:
            raise LoginRefused(f"the ID token is not valid ({exc.error})") from None
        except requests.RequestException as exc:
            log.warning("console: OIDC issuer %s unreachable: %s", self.config.issuer, exc)
            raise LoginRefused(
                f"the identity provider at {self.config.issuer} cannot be reached"
            ) from None
        claims = token.get("userinfo")
        if not claims:
            raise LoginRefused("the identity provider returned no ID token")
        return self.employee(claims), self.roles(claims)

    def employee(self, claims: Mapping[str, Any]) -> str:
        name = self.config.employee_claim
        value = claims.get(name)
        if not isinstance(value, str) or not person(value):
            raise LoginRefused(f"the ID token has no {name!r} claim naming the employee")
        return person(value)

    def roles(self, claims: Mapping[str, Any]) -> frozenset[str]:
        name = self.config.roles_claim
        value = claims.get(name, [])
        values = value.replace(",", " ").split() if isinstance(value, str) else value
        if not isinstance(values, list):
            values = []
        mapped = {self.config.role_map.get(str(v), str(v)) for v in values}
        roles = frozenset(mapped & set(ROLES))
        if not roles:
            raise LoginRefused(f"the ID token's {name!r} claim names no Warden role")
        return roles


def _authlib_reason(exc: AuthlibBaseError) -> str:
    if exc.error == "mismatching_state":
        return (
            "the OIDC state does not match a login this browser started; "
            "start again from the login page"
        )
    if exc.error == "access_denied":
        return "the identity provider denied the login"
    return f"the identity provider answered {exc.error}: {exc.description}"


def _claim_reason(exc: ClaimError) -> str:
    if exc.claim == "nonce":
        return (
            "the ID token's nonce does not match this login (a replayed or injected "
            "response); start again from the login page"
        )
    return f"the ID token's {exc.claim!r} claim is missing or not valid"
