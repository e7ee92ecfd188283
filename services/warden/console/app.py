"""The officers' web console: a Flask app over the review use cases, rendering Jinja2
templates (autoescaped). People log in with a local account's password or through OpenID
Connect; machines with a console token. Sessions are server-side behind an HttpOnly cookie,
every form carries a CSRF token, and every page checks the caller's roles."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

from flask import Flask, g, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from warden.compliance.domain.cases import Choice, Outcome
from warden.compliance.domain.labels import Label
from warden.compliance.review.analytics import AnalyticsQueries
from warden.compliance.review.cases import Review
from warden.compliance.review.inboxes import Inboxes
from warden.compliance.review.labels import Labels
from warden.compliance.review.snoozes import Snoozes
from warden.compliance.rules.catalogue import RuleCatalog
from warden.compliance.storage.case_store import CaseFilter
from warden.console import (
    export,
    forms,
    inbox_pages,
    login_pages,
    report_pages,
    rule_pages,
    snooze_pages,
    views,
)
from warden.console.accounts import Accounts
from warden.console.login_pages import COOKIE, redirect, session_cookie, with_cookie
from warden.console.oidc import STATE_COOKIE, STATE_LIFETIME_S, OidcConfig, OidcLogin
from warden.console.reports import (
    REPORT_ROLES,
    Reports,
)
from warden.console.sessions import Sessions
from warden.console.throttle import LoginThrottle
from warden.console.views import status_of
from warden.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    WardenError,
)
from warden.people import person
from warden.platform.auth import (
    ADMIN,
    DEFAULT_MAX_TTL_S,
    OFFICER,
    Identity,
    InvalidToken,
)
from warden.platform.logs import log_context

log = logging.getLogger(__name__)

CONSOLE_ROLES = frozenset({OFFICER, ADMIN})
DEFAULT_SESSION_TTL_S = 8 * 3600
# Cases read per query while a CSV export streams.
_CSV_BATCH = 500
_ACTIONS = ("claim", "comment", "decide", "confirm", "reject", "appeal", "label", "snooze")
# Pages reached without a session: the login forms and the OIDC callback.
_PUBLIC = frozenset({"login", "login_token", "login_password", "login_oidc", "oidc_callback"})
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'",
}


class Console:
    """The console's WSGI app; the session's subject is the actor of every action."""

    def __init__(
        self,
        review: Review,
        secret: str,
        secure_cookie: bool = False,
        catalog: RuleCatalog | None = None,
        sessions: Sessions | None = None,
        max_ttl_s: int = DEFAULT_MAX_TTL_S,
        accounts: Accounts | None = None,
        throttle: LoginThrottle | None = None,
        oidc: OidcConfig | None = None,
        session_ttl_s: int = DEFAULT_SESSION_TTL_S,
        labels: Labels | None = None,
        reports: Reports | None = None,
    ) -> None:
        self.review = review
        self.catalog = catalog
        self.secret = secret
        # Secure always (served off loopback, or behind TLS); else only on an https request.
        self.secure_cookie = secure_cookie
        self.sessions = sessions or Sessions(review.engine)
        self.accounts = accounts or Accounts(review.engine)
        self.throttle = throttle or LoginThrottle(review.engine)
        self.labels = labels or Labels(review.engine, review.clock)
        self.snoozes = Snoozes(review.engine, review.clock)
        self.analytics = AnalyticsQueries(review.engine, review.clock)
        self.inboxes = Inboxes(review.engine, review.clock)
        self.reports = reports
        self.max_ttl_s = max_ttl_s
        self.session_ttl_s = session_ttl_s
        self.app = self._flask()
        self.oidc = OidcLogin(self.app, oidc) if oidc else None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return self.app(environ, start_response)

    def csrf_for(self, session_id: str) -> str:
        return hmac.new(
            self.secret.encode(), f"csrf|{session_id}".encode(), hashlib.sha256
        ).hexdigest()

    # --- the Flask app ---------------------------------------------------------------------

    def _flask(self) -> Flask:
        app = Flask(__name__)
        app.jinja_env.autoescape = True
        app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
        app.jinja_env.filters.update(views.FILTERS)
        app.config.update(
            # Signs the OIDC state cookie (Flask's session); the console's own session is
            # server-side (sessions.py).
            SECRET_KEY=hashlib.sha256(f"oidc-state|{self.secret}".encode()).hexdigest(),
            SESSION_COOKIE_NAME=STATE_COOKIE,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_HTTPONLY=True,
            PERMANENT_SESSION_LIFETIME=timedelta(seconds=STATE_LIFETIME_S),
            # The console's forms are small; a larger body is refused with 413.
            MAX_CONTENT_LENGTH=64_000,
        )
        app.before_request(self._authenticate)
        app.after_request(self._harden)
        app.register_error_handler(HTTPException, self.http_error)
        app.register_error_handler(Exception, self._crash)
        route = app.add_url_rule

        def page(
            rule: str, name: str, view: Callable[..., Response], methods: list[str] | None = None
        ) -> None:
            """A page of one of the page modules: a function of this console (and the URL's
            parameters)."""
            route(rule, name, partial(view, self), methods=methods or ["GET"])

        route("/login", "login", lambda: login_pages.login_page(self), methods=["GET"])
        page("/login", "login_token", login_pages.login_token, ["POST"])
        page("/login/password", "login_password", login_pages.login_password, ["POST"])
        page("/login/oidc", "login_oidc", login_pages.login_oidc)
        page("/login/oidc/callback", "oidc_callback", login_pages.oidc_callback)
        page("/logout", "logout", login_pages.logout, ["POST"])
        route("/", "home", self.queue, methods=["GET"])
        route("/cases", "queue", self.queue, methods=["GET"])
        route("/cases.csv", "queue_csv", self.queue_csv, methods=["GET"])
        route("/overview", "overview", self.overview, methods=["GET"])
        page("/inboxes", "inboxes", inbox_pages.inboxes_page)
        page("/inboxes/<name>/next", "next_case", inbox_pages.next_case, ["POST"])
        route("/cases/<path:case_id>", "case", self.case, methods=["GET"])
        actions = f"/cases/<case_id>/<any({','.join(_ACTIONS)}):action>"
        route(actions, "act", self.act, methods=["POST"])
        route("/cases/<case_id>/print", "print", self.printable, methods=["GET"])
        page("/rules", "rules", rule_pages.rules)
        page("/rules/<path:rule_id>", "rule", rule_pages.rule)
        page("/snoozes", "snoozes", snooze_pages.snoozes_page)
        page("/snoozes/<snooze_id>/lift", "lift_snooze", snooze_pages.lift_snooze, ["POST"])
        route("/employees/<path:employee>", "employee", self.employee, methods=["GET"])
        page("/analytics", "analytics", report_pages.analytics_page)
        page("/reports/sales", "sales_report", report_pages.sales_report)
        page("/reports/quality", "quality_report", report_pages.quality_report)
        return app

    def _authenticate(self) -> Response | None:
        """Before every page but the login ones: the session, the roles, the CSRF token."""
        if request.endpoint in _PUBLIC:
            return None
        session_id = request.cookies.get(COOKIE, "")
        if not session_id:
            return redirect("/login")
        try:
            identity = self.sessions.find(session_id)
        except InvalidToken as exc:
            log.info("console: session refused (%s)", exc)
            reply = self.page("message.html", 401, title="Session refused", refused=str(exc))
            return with_cookie(reply, session_cookie("", 0))
        if not identity.has_any(CONSOLE_ROLES):
            log.warning(
                "console: %s with roles %s refused", identity.subject, sorted(identity.roles)
            )
            return self.page("message.html", 403, title="Not allowed", not_officer=identity)
        g.identity, g.session_id = identity, session_id
        g.csrf = self.csrf_for(session_id)
        g.who = person(identity.subject)
        # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError).
        if request.method == "POST" and not hmac.compare_digest(
            request.form.get("csrf", "").encode(), g.csrf.encode()
        ):
            log.warning(
                "console: %s POST %s without a valid CSRF token", identity.subject, request.path
            )
            return self.page("message.html", 403, title="Not allowed", text="Form expired.")
        return None

    def _harden(self, response: Response) -> Response:
        response.headers.update(_HEADERS)
        if self.secure_cookie or request.scheme == "https":
            cookies = response.headers.getlist("Set-Cookie")
            response.headers.remove("Set-Cookie")
            for cookie in cookies:
                secure = "; secure" in cookie.lower()
                response.headers.add("Set-Cookie", cookie if secure else f"{cookie}; Secure")
        return response

    def http_error(self, exc: HTTPException) -> Response:
        title = "Not found" if exc.code == 404 else (exc.name or "Error")
        text = "No such page." if exc.code == 404 else (exc.description or "")
        return self.page("message.html", exc.code or 500, title=title, text=text)

    def _crash(self, exc: Exception) -> Response:
        # A page never shows a traceback.
        log.error("console error on %s", request.path, exc_info=exc)
        return self.page("message.html", 500, title="Error", text="Internal error.")

    def page(self, template: str, code: int = 200, **context: Any) -> Response:
        """A template rendered with what every page shows: who is logged in, the CSRF token,
        and whether the reports' links appear."""
        context.setdefault("who", g.get("who", ""))
        context.setdefault("csrf", g.get("csrf", ""))
        identity = g.get("identity")
        context.setdefault(
            "may_see_reports", identity is not None and identity.has_any(REPORT_ROLES)
        )
        html = render_template(template, **context)
        return Response(html, code, content_type="text/html; charset=utf-8")

    # --- logging in and out ----------------------------------------------------------------

    # --- pages -----------------------------------------------------------------------------

    def queue(self) -> Response:
        query = request.args.to_dict()
        try:
            where = views.queue_filter(query, self.review.clock(), g.who)
            found, next_page = self.review.list_cases(where, 25, query.get("page", ""))
        except InvalidArgument as exc:
            return self.page("message.html", 400, title="Bad filter", error=str(exc))
        placed = self.inboxes.placements(found)
        rows = [(c, self.review.is_overdue(c), placed[c.case_id]) for c in found]
        return self.page(
            "queue.html",
            title="Case queue",
            rows=rows,
            params=query,
            filters_only={k: v for k, v in query.items() if k not in views.NOT_A_FILTER and v},
            next_page=next_page,
            filters=views.FILTERS_OF_QUEUE,
        )

    def queue_csv(self) -> Response:
        """Every case the queue's filter selects (all its pages), as a CSV attachment, with
        customers' personal data masked in explanations as the case page masks it."""
        try:
            where = views.queue_filter(request.args.to_dict(), self.review.clock(), g.who)
        except InvalidArgument as exc:
            return self.page("message.html", 400, title="Bad filter", error=str(exc))
        # Cases opened while the export runs would shift the later batches by one: left out.
        now = self.review.clock()
        where = replace(where, opened_before=min(where.opened_before or now, now))
        reveal = ADMIN in g.identity.roles
        log.info("console: %s exports the queue as CSV (%s)", g.who, request.args.to_dict())
        stamp = now.strftime("%Y%m%dT%H%MZ")
        return Response(
            export.csv_chunks(self._csv_batches(where, reveal)),
            200,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="warden-cases-{stamp}.csv"'},
        )

    def _csv_batches(self, where: CaseFilter, reveal: bool) -> Iterator[list[dict[str, str]]]:
        """The filter's cases a page of the queue at a time, each row as that role sees it."""
        page = ""
        while True:
            found, page = self.review.list_cases(where, _CSV_BATCH, page)
            decisions = self.review.decisions_of([c.case_id for c in found if c.decision_id])
            standing = {d.decision_id: d for ds in decisions.values() for d in ds}
            yield [
                export.row_of(c, standing.get(c.decision_id), self.review.is_overdue(c))
                for c in self.review.as_seen(found, reveal)
            ]
            if not page:
                return

    def overview(self) -> Response:
        return self.page("overview.html", title="Overview", overview=self.review.overview())

    def case(self, case_id: str, message: str = "", error: str = "", status: int = 200) -> Response:
        identity: Identity = g.identity
        try:
            case = self.review.get_case(case_id, person(identity.subject))
        except NotFound as exc:
            return self.page("message.html", 404, title="Not found", text=str(exc))
        except PermissionDenied as exc:
            return self.page("message.html", 403, title="Not allowed", text=str(exc))
        reveal = ADMIN in identity.roles
        (case,) = self.review.as_seen([case], reveal)
        return self.page(
            "case.html",
            status,
            title=f"Case: {case.title}",
            case=case,
            evidence=self.review.evidence(case, reveal_personal=reveal),
            entries=self.review.audit_trail(case_id),
            department=self.review.department_of(case.employee_id),
            overdue=self.review.is_overdue(case),
            placement=self.inboxes.placements([case])[case.case_id],
            message=message or request.args.get("msg", ""),
            error=error,
            may_confirm=views.may_confirm(case, identity.subject),
            label=self.labels.of(case.case_id),
            labels=list(Label),
            snoozes=snooze_pages.shown(
                self.snoozes.of_case(case.case_id), self.review.clock(), reveal
            ),
        )

    def printable(self, case_id: str) -> Response:
        """The case on one page to print or save as PDF: its findings, evidence, decisions,
        comments and audit entries; no navigation, forms or scripts."""
        identity: Identity = g.identity
        try:
            case = self.review.get_case(case_id, person(identity.subject))
        except NotFound as exc:
            return self.page("message.html", 404, title="Not found", text=str(exc))
        except PermissionDenied as exc:
            return self.page("message.html", 403, title="Not allowed", text=str(exc))
        reveal = ADMIN in identity.roles
        (case,) = self.review.as_seen([case], reveal)
        log.info("console: %s prints case %s", g.who, case_id)
        return self.page(
            "print.html",
            title=f"Case {case.case_id}: {case.title}",
            case=case,
            evidence=self.review.evidence(case, reveal_personal=reveal),
            decisions=self.review.decisions_of([case_id])[case_id],
            entries=self.review.audit_trail(case_id),
            department=self.review.department_of(case.employee_id),
            label=self.labels.of(case_id),
            printed_at=self.review.clock(),
        )

    def act(self, case_id: str, action: str) -> Response:
        who = g.who
        try:
            with log_context(actor=g.identity.subject, case_id=case_id):
                message = self._do(case_id, action, request.form, who)
        except WardenError as exc:
            log.info("console: %s %s on %s refused: %s", who, action, case_id, exc)
            status = status_of(exc)
            return self.case(case_id, error=str(exc), status=status)
        return redirect(f"/cases/{quote(case_id)}?msg={quote(message)}")

    def _do(self, case_id: str, action: str, form: Any, who: str) -> str:
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
        if action == "label":
            label = self.labels.label(case_id, who, form.get("label", ""))
            return f"Outcome label recorded: {label.words}."
        if action == "snooze":
            return snooze_pages.snooze_from_form(self.snoozes, case_id, who, form)
        if action == "appeal":
            self.review.appeal(case_id, who, reason)
            return "Appeal recorded; the case is open for a second review."
        outcome = forms.outcome_of(form.get("outcome", ""))
        sanction = forms.sanction_of(form) if outcome is Outcome.AMENDED else None
        _, decision = self.review.decide(case_id, who, Choice(outcome, reason, sanction))
        if decision is None:
            return "Decision recorded; it needs a second officer's confirmation (four eyes)."
        return f"Decision recorded ({decision.outcome.value}); HR is informed."

    def employee(self, employee: str) -> Response:
        return self.page(
            "record.html",
            title=f"Employee record: {employee}",
            department=self.review.department_of(employee),
            decisions=self.review.record(employee),
        )
