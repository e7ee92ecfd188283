"""The officers' web console: a WSGI app over the review use cases, with token login,
server-side sessions behind an HttpOnly cookie, CSRF tokens on every form, and role checks
on every page."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, quote

from warden.compliance.catalogue import RuleCatalog
from warden.compliance.domain.cases import CaseStatus, Choice, Outcome
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review import Review
from warden.compliance.store import CaseFilter
from warden.console import pages
from warden.console.sessions import Sessions
from warden.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    WardenError,
)
from warden.people import person
from warden.platform.auth import (
    ADMIN,
    CONSOLE,
    DEFAULT_MAX_TTL_S,
    OFFICER,
    Identity,
    InvalidToken,
    verify_token,
)
from warden.platform.logs import log_context

log = logging.getLogger(__name__)

COOKIE = "warden_session"
CONSOLE_ROLES = frozenset({OFFICER, ADMIN})
_STATUS_OF_ERROR = (
    (InvalidArgument, "400 Bad Request"),
    (PermissionDenied, "403 Forbidden"),
    (NotFound, "404 Not Found"),
    (FailedPrecondition, "409 Conflict"),
)
_CASE_ACTION = re.compile(r"^/cases/([^/]+)/(claim|comment|decide|confirm|reject|appeal)$")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True)
class Reply:
    status: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


def redirect(to: str, *cookies: str) -> Reply:
    return Reply("303 See Other", "", (("Location", to), *(("Set-Cookie", c) for c in cookies)))


class Console:
    """Routes requests to pages and review actions; the caller's token subject is the actor."""

    def __init__(
        self,
        review: Review,
        secret: str,
        secure_cookie: bool = False,
        catalog: RuleCatalog | None = None,
        sessions: Sessions | None = None,
        max_ttl_s: int = DEFAULT_MAX_TTL_S,
    ) -> None:
        self.review = review
        self.catalog = catalog
        self.secret = secret
        # Secure always (served off loopback, or behind TLS); else only on an https request.
        self.secure_cookie = secure_cookie
        self.sessions = sessions or Sessions(review.engine)
        self.max_ttl_s = max_ttl_s

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            reply = self.route(environ)
        except Exception:  # a page never shows a traceback: any failure is a logged 500
            log.exception("console error on %s", environ.get("PATH_INFO"))
            reply = Reply("500 Internal Server Error", pages.layout("Error", "Internal error."))
        secure = self.secure_cookie or environ.get("wsgi.url_scheme") == "https"
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'"),
            *((k, f"{v}; Secure" if k == "Set-Cookie" and secure else v) for k, v in reply.headers),
        ]
        start_response(reply.status, headers)
        return [reply.body.encode()]

    # --- sessions --------------------------------------------------------------------------

    def csrf_for(self, session_id: str) -> str:
        return hmac.new(
            self.secret.encode(), f"csrf|{session_id}".encode(), hashlib.sha256
        ).hexdigest()

    def _session(self, environ: dict[str, Any]) -> tuple[Identity, str] | None:
        """The session the cookie names; None without a cookie; InvalidToken saying why
        when the cookie is malformed, or its session ended or expired."""
        value = _cookie_value(environ.get("HTTP_COOKIE", ""))
        if value is None:
            return None
        return self.sessions.find(value), value

    def _cookie(self, session_id: str, max_age: int) -> str:
        return f"{COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"

    def _refused(self, reason: str) -> Reply:
        """401 with the reason, clearing the cookie: the browser goes back to log in."""
        log.info("console: session refused (%s)", reason)
        body = pages.layout(
            "Session refused",
            f"<p>Session refused: {pages.e(reason)}.</p><p><a href='/login'>Log in</a></p>",
        )
        return Reply("401 Unauthorized", body, (("Set-Cookie", self._cookie("", 0)),))

    # --- routing ---------------------------------------------------------------------------

    def route(self, environ: dict[str, Any]) -> Reply:
        path = environ.get("PATH_INFO", "/") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        form = _form(environ) if method == "POST" else {}
        if path == "/login":
            return self._login(form) if method == "POST" else Reply("200 OK", pages.login())
        try:
            session = self._session(environ)
        except InvalidToken as exc:
            return self._refused(str(exc))
        if session is None:
            return redirect("/login")
        identity, session_id = session
        if not identity.has_any(CONSOLE_ROLES):
            log.warning(
                "console: %s with roles %s refused", identity.subject, sorted(identity.roles)
            )
            return Reply(
                "403 Forbidden",
                pages.layout(
                    "Not allowed",
                    f"<p>The console is for compliance officers; {pages.e(identity.subject)} "
                    f"has roles {pages.e(', '.join(sorted(identity.roles)))}.</p>",
                ),
            )
        csrf = self.csrf_for(session_id)
        # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError).
        if method == "POST" and not hmac.compare_digest(
            form.get("csrf", "").encode(), csrf.encode()
        ):
            log.warning("console: %s POST %s without a valid CSRF token", identity.subject, path)
            return Reply("403 Forbidden", pages.layout("Not allowed", "<p>Form expired.</p>"))
        who = person(identity.subject)
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "POST" and path == "/logout":
            self.sessions.end(session_id)
            log.info("console: %s logged out", who)
            return redirect("/login", self._cookie("", 0))
        if method == "POST" and (match := _CASE_ACTION.match(path)):
            return self._act(match.group(1), match.group(2), form, identity, csrf)
        if path in ("/", "/cases"):
            return self._queue(query, who, csrf)
        if path == "/overview":
            return Reply("200 OK", pages.overview_page(self.review.overview(), who, csrf))
        if path.startswith("/cases/"):
            return self._case(path.removeprefix("/cases/"), identity, csrf, query.get("msg", ""))
        if self.catalog is not None and path == "/rules":
            statuses, counts, generation = self.catalog.rules()
            changes = self.catalog.changes(limit=20)
            page = pages.rules_page(statuses, counts, changes, generation, who, csrf)
            return Reply("200 OK", page)
        if self.catalog is not None and path.startswith("/rules/"):
            rule_id = path.removeprefix("/rules/")
            statuses, _, _ = self.catalog.rules()
            status = next((s for s in statuses if s.rule_id == rule_id), None)
            shadowed = self.review.findings_as_seen(
                self.catalog.shadow_findings(rule_id) if status else [], ADMIN in identity.roles
            )
            page = pages.shadow_page(rule_id, status, shadowed, who, csrf)
            return Reply("200 OK" if status else "404 Not Found", page)
        if path.startswith("/employees/"):
            employee = path.removeprefix("/employees/")
            page = pages.record_page(
                employee,
                self.review.department_of(employee),
                self.review.record(employee),
                who,
                csrf,
            )
            return Reply("200 OK", page)
        return Reply("404 Not Found", pages.layout("Not found", "<p>No such page.</p>", who, csrf))

    def _login(self, form: dict[str, str]) -> Reply:
        token = form.get("token", "").strip()
        try:
            identity = verify_token(self.secret, token, audience=CONSOLE, max_ttl_s=self.max_ttl_s)
            session_id = self.sessions.open(identity, token)
        except InvalidToken as exc:
            log.warning("console: login refused (%s)", exc)
            return Reply("401 Unauthorized", pages.login(f"Login refused: {exc}."))
        log.info("console: %s logged in", identity.subject)
        max_age = max(identity.expires_at - _now(), 0)
        return redirect("/cases", self._cookie(session_id, max_age))

    def _queue(self, query: dict[str, str], who: str, csrf: str) -> Reply:
        try:
            hours = int(query.get("min_age_hours") or 0)
            where = CaseFilter(
                status=CaseStatus(query["status"]) if query.get("status") else None,
                severity=query.get("severity", ""),
                clause=query.get("clause", ""),
                employee_id=query.get("employee", ""),
                department=query.get("department", ""),
                opened_before=self.review.clock() - timedelta(hours=hours) if hours else None,
                hidden_from=who,
            )
            found, next_page = self.review.list_cases(where, 25, query.get("page", ""))
        except (ValueError, InvalidArgument) as exc:
            return Reply(
                "400 Bad Request",
                pages.layout("Bad filter", pages.notice(str(exc), "error"), who, csrf),
            )
        rows = [(c, self.review.is_overdue(c)) for c in found]
        return Reply("200 OK", pages.queue(rows, query, next_page, who, csrf))

    def _case(
        self, case_id: str, identity: Identity, csrf: str, message: str = "", error: str = ""
    ) -> Reply:
        try:
            case = self.review.get_case(case_id, person(identity.subject))
        except NotFound as exc:
            return Reply(
                "404 Not Found", pages.layout("Not found", pages.e(exc), identity.subject, csrf)
            )
        except PermissionDenied as exc:
            return Reply(
                "403 Forbidden", pages.layout("Not allowed", pages.e(exc), identity.subject, csrf)
            )
        reveal = ADMIN in identity.roles
        (case,) = self.review.as_seen([case], reveal)
        page = pages.case_page(
            case,
            self.review.evidence(case, reveal_personal=reveal),
            self.review.audit_trail(case_id),
            self.review.department_of(case.employee_id),
            self.review.is_overdue(case),
            identity.subject,
            csrf,
            message,
            error,
        )
        return Reply("200 OK", page)

    def _act(
        self, case_id: str, action: str, form: dict[str, str], identity: Identity, csrf: str
    ) -> Reply:
        who = person(identity.subject)
        try:
            with log_context(actor=identity.subject, case_id=case_id):
                message = self._do(case_id, action, form, who)
        except WardenError as exc:
            log.info("console: %s %s on %s refused: %s", who, action, case_id, exc)
            reply = self._case(case_id, identity, csrf, error=str(exc))
            status = next((s for kind, s in _STATUS_OF_ERROR if isinstance(exc, kind)), "400")
            return Reply(status, reply.body)
        return redirect(f"/cases/{quote(case_id)}?msg={quote(message)}")

    def _do(self, case_id: str, action: str, form: dict[str, str], who: str) -> str:
        reason = form.get("reason", "")
        if action == "claim":
            self.review.claim(case_id, who)
            return "Case claimed."
        if action == "comment":
            self.review.comment(case_id, who, form.get("text", ""))
            return "Comment added."
        if action == "confirm":
            self.review.confirm(case_id, who)
            return "Decision confirmed by a second officer; HR is informed."
        if action == "reject":
            self.review.reject(case_id, who, reason)
            return "Pending decision rejected."
        if action == "appeal":
            self.review.appeal(case_id, who, reason)
            return "Appeal recorded; the case is open for a second review."
        outcome = _outcome(form.get("outcome", ""))
        sanction = _sanction(form) if outcome is Outcome.AMENDED else None
        _, decision = self.review.decide(case_id, who, Choice(outcome, reason, sanction))
        if decision is None:
            return "Decision recorded; it needs a second officer's confirmation (four eyes)."
        return f"Decision recorded ({decision.outcome.value}); HR is informed."


def _outcome(text: str) -> Outcome:
    try:
        return Outcome(text)
    except ValueError:
        raise InvalidArgument("outcome", "choose confirm, amend or dismiss") from None


def _sanction(form: dict[str, str]) -> Sanction:
    try:
        kind = SanctionKind(form.get("kind", ""))
    except ValueError:
        raise InvalidArgument("sanction.kind", "choose a sanction") from None
    amount_minor, currency, days = 0, "", 0
    if kind is SanctionKind.FINE:
        try:
            amount = Decimal(form.get("amount", "").replace(",", "").strip() or "x")
            if amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            raise InvalidArgument(
                "sanction.fine.amount_minor", "give an amount like 250.00"
            ) from None
        amount_minor, currency = int(amount * 100), form.get("currency", "").strip().upper()
    if kind is SanctionKind.SUSPENSION:
        try:
            days = int(form.get("days", "").strip())
        except ValueError:
            raise InvalidArgument("sanction.days", "give a whole number of days") from None
    return Sanction(kind, amount_minor, currency, days)


def _cookie_value(header: str) -> str | None:
    """The session cookie's value in a Cookie header (None when absent or empty)."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value:
            return value
    return None


def _form(environ: dict[str, Any]) -> dict[str, str]:
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), 64_000)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def _now() -> int:
    import time

    return int(time.time())
