"""Logging in and out of the console: a machine's console token, a local account's password
(rate-limited), OpenID Connect; the session cookie (HttpOnly, SameSite=Strict)."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from flask import g, request, session
from werkzeug.wrappers import Response

from warden.console.accounts import LoginRefused
from warden.platform.auth import CONSOLE, Identity, InvalidToken, verify_token

if TYPE_CHECKING:
    from warden.console.app import Console

log = logging.getLogger(__name__)

COOKIE = "warden_session"


def login_page(console: Console, error: str = "", status: int = 200) -> Response:
    return console.page(
        "login.html", status, title="Log in", error=error, oidc=console.oidc is not None
    )


def login_token(console: Console) -> Response:
    """A console token (machines, and `warden token issue --audience console`)."""
    token = request.form.get("token", "").strip()
    try:
        identity = verify_token(
            console.secret, token, audience=CONSOLE, max_ttl_s=console.max_ttl_s
        )
        session_id = console.sessions.open(identity, token)
    except InvalidToken as exc:
        log.warning("console: login refused (%s)", exc)
        return login_page(console, f"Login refused: {exc}.", 401)
    log.info("console: %s logged in with a token", identity.subject)
    return _logged_in(identity, session_id)


def login_password(console: Console) -> Response:
    """A local account's name and password, within the failed-login rate limit."""
    name = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    try:
        console.throttle.check(name, address)
        try:
            account = console.accounts.verify(name, password)
        except LoginRefused:
            console.throttle.failed(name, address)
            raise
    except LoginRefused as exc:
        log.warning("console: password login as %r from %s refused (%s)", name, address, exc)
        status = 429 if str(exc).startswith("too many") else 401
        return login_page(console, f"Login refused: {exc}.", status)
    console.throttle.succeeded(name)
    identity = Identity(account.employee_id, account.roles, _session_end(console))
    session_id = console.sessions.open(identity)
    log.info("console: %s logged in with a password", identity.subject)
    return _logged_in(identity, session_id)


def login_oidc(console: Console) -> Response:
    if console.oidc is None:
        return login_page(console, "Login refused: OpenID Connect is not configured.", 404)
    session.permanent = True  # the state cookie lasts STATE_LIFETIME_S, not the browser's life
    try:
        return console.oidc.start(request.url_root + "login/oidc/callback")
    except LoginRefused as exc:
        return login_page(console, f"Login refused: {exc}.", 502)


def oidc_callback(console: Console) -> Response:
    if console.oidc is None:
        return login_page(console, "Login refused: OpenID Connect is not configured.", 404)
    try:
        employee, roles = console.oidc.finish()
    except LoginRefused as exc:
        log.warning("console: OIDC login refused (%s)", exc)
        return login_page(console, f"Login refused: {exc}.", 401)
    identity = Identity(employee, roles, _session_end(console))
    session_id = console.sessions.open(identity)
    log.info("console: %s logged in through OpenID Connect", employee)
    # A page, not a redirect: the browser arrived here from the issuer's site, and a
    # SameSite=Strict cookie set now is sent on the next navigation this page starts.
    reply = console.page("continue.html", title="Logged in", who="", csrf="")
    return with_cookie(reply, session_cookie(session_id, _max_age(identity)))


def logout(console: Console) -> Response:
    console.sessions.end(g.session_id)
    log.info("console: %s logged out", g.who)
    return with_cookie(redirect("/login"), session_cookie("", 0))


def _logged_in(identity: Identity, session_id: str) -> Response:
    return with_cookie(redirect("/cases"), session_cookie(session_id, _max_age(identity)))


def _session_end(console: Console) -> int:
    return int(time.time()) + console.session_ttl_s


def _max_age(identity: Identity) -> int:
    return max(identity.expires_at - int(time.time()), 0)


def redirect(to: str) -> Response:
    return Response("", 303, headers={"Location": to})


def session_cookie(session_id: str, max_age: int) -> str:
    return f"{COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"


def with_cookie(response: Response, cookie: str) -> Response:
    response.headers.add("Set-Cookie", cookie)
    return response
