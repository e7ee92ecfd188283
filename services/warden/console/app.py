"""The officers' web console: a Flask app over the review use cases, rendering Jinja2
templates (autoescaped). People log in with a local account's password or through OpenID
Connect; machines with a console token. Sessions are server-side behind an HttpOnly cookie,
every form carries a CSRF token, and every page checks the caller's roles."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from flask import Flask, g, render_template, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as PageNotFound
from werkzeug.wrappers import Response

from warden.compliance.domain.analytics import MAX_WEEKS, parse_weeks
from warden.compliance.domain.cases import Choice, Outcome
from warden.compliance.domain.labels import Label
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review.analytics import AnalyticsQueries
from warden.compliance.review.cases import Review
from warden.compliance.review.inboxes import Inboxes
from warden.compliance.review.labels import Labels
from warden.compliance.review.snoozes import Snoozes
from warden.compliance.rules.catalogue import RuleCatalog
from warden.compliance.storage.case_store import CaseFilter
from warden.console import charts, export, inbox_pages, snooze_pages, views
from warden.console.accounts import Accounts, LoginRefused
from warden.console.oidc import STATE_COOKIE, STATE_LIFETIME_S, OidcConfig, OidcLogin
from warden.console.reports import (
    REPORT_ROLES,
    Reports,
    ServiceRefused,
    quality_charts,
    quality_period,
    sales_charts,
    sales_query,
)
from warden.console.sessions import Sessions
from warden.console.throttle import LoginThrottle
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
DEFAULT_SESSION_TTL_S = 8 * 3600
_STATUS_OF_ERROR = (
    (InvalidArgument, 400),
    (PermissionDenied, 403),
    (NotFound, 404),
    (FailedPrecondition, 409),
)
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
        app.register_error_handler(HTTPException, self._http_error)
        app.register_error_handler(Exception, self._crash)
        route = app.add_url_rule
        route("/login", "login", self.login_page, methods=["GET"])
        route("/login", "login_token", self.login_token, methods=["POST"])
        route("/login/password", "login_password", self.login_password, methods=["POST"])
        route("/login/oidc", "login_oidc", self.login_oidc, methods=["GET"])
        route("/login/oidc/callback", "oidc_callback", self.oidc_callback, methods=["GET"])
        route("/logout", "logout", self.logout, methods=["POST"])
        route("/", "home", self.queue, methods=["GET"])
        route("/cases", "queue", self.queue, methods=["GET"])
        route("/cases.csv", "queue_csv", self.queue_csv, methods=["GET"])
        route("/overview", "overview", self.overview, methods=["GET"])
        route("/inboxes", "inboxes", lambda: inbox_pages.inboxes_page(self), methods=["GET"])
        route(
            "/inboxes/<name>/next",
            "next_case",
            lambda name: inbox_pages.next_case(self, name),
            methods=["POST"],
        )
        route("/cases/<path:case_id>", "case", self.case, methods=["GET"])
        actions = f"/cases/<case_id>/<any({','.join(_ACTIONS)}):action>"
        route(actions, "act", self.act, methods=["POST"])
        route("/cases/<case_id>/print", "print", self.printable, methods=["GET"])
        route("/rules", "rules", self.rules, methods=["GET"])
        route("/snoozes", "snoozes", self.snoozes_page, methods=["GET"])
        route("/snoozes/<snooze_id>/lift", "lift_snooze", self.lift_snooze, methods=["POST"])
        route("/rules/<path:rule_id>", "rule", self.rule, methods=["GET"])
        route("/employees/<path:employee>", "employee", self.employee, methods=["GET"])
        route("/analytics", "analytics", self.analytics_page, methods=["GET"])
        route("/reports/sales", "sales_report", self.sales_report, methods=["GET"])
        route("/reports/quality", "quality_report", self.quality_report, methods=["GET"])
        return app

    def _authenticate(self) -> Response | None:
        """Before every page but the login ones: the session, the roles, the CSRF token."""
        if request.endpoint in _PUBLIC:
            return None
        session_id = request.cookies.get(COOKIE, "")
        if not session_id:
            return _redirect("/login")
        try:
            identity = self.sessions.find(session_id)
        except InvalidToken as exc:
            log.info("console: session refused (%s)", exc)
            reply = self._page("message.html", 401, title="Session refused", refused=str(exc))
            return _with_cookie(reply, _cookie("", 0))
        if not identity.has_any(CONSOLE_ROLES):
            log.warning(
                "console: %s with roles %s refused", identity.subject, sorted(identity.roles)
            )
            return self._page("message.html", 403, title="Not allowed", not_officer=identity)
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
            return self._page("message.html", 403, title="Not allowed", text="Form expired.")
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

    def _http_error(self, exc: HTTPException) -> Response:
        title = "Not found" if exc.code == 404 else (exc.name or "Error")
        text = "No such page." if exc.code == 404 else (exc.description or "")
        return self._page("message.html", exc.code or 500, title=title, text=text)

    def _crash(self, exc: Exception) -> Response:
        # A page never shows a traceback.
        log.error("console error on %s", request.path, exc_info=exc)
        return self._page("message.html", 500, title="Error", text="Internal error.")

    def _page(self, template: str, code: int = 200, **context: Any) -> Response:
        context.setdefault("who", g.get("who", ""))
        context.setdefault("csrf", g.get("csrf", ""))
        identity = g.get("identity")
        context.setdefault(
            "may_see_reports", identity is not None and identity.has_any(REPORT_ROLES)
        )
        html = render_template(template, **context)
        return Response(html, code, content_type="text/html; charset=utf-8")

    # --- logging in and out ----------------------------------------------------------------

    def login_page(self, error: str = "", status: int = 200) -> Response:
        return self._page(
            "login.html", status, title="Log in", error=error, oidc=self.oidc is not None
        )

    def login_token(self) -> Response:
        """A console token (machines, and `warden token issue --audience console`)."""
        token = request.form.get("token", "").strip()
        try:
            identity = verify_token(self.secret, token, audience=CONSOLE, max_ttl_s=self.max_ttl_s)
            session_id = self.sessions.open(identity, token)
        except InvalidToken as exc:
            log.warning("console: login refused (%s)", exc)
            return self.login_page(f"Login refused: {exc}.", 401)
        log.info("console: %s logged in with a token", identity.subject)
        return self._logged_in(identity, session_id)

    def login_password(self) -> Response:
        """A local account's name and password, within the failed-login rate limit."""
        name = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        address = request.remote_addr or "unknown"
        try:
            self.throttle.check(name, address)
            try:
                account = self.accounts.verify(name, password)
            except LoginRefused:
                self.throttle.failed(name, address)
                raise
        except LoginRefused as exc:
            log.warning("console: password login as %r from %s refused (%s)", name, address, exc)
            status = 429 if str(exc).startswith("too many") else 401
            return self.login_page(f"Login refused: {exc}.", status)
        self.throttle.succeeded(name)
        identity = Identity(account.employee_id, account.roles, self._session_end())
        session_id = self.sessions.open(identity)
        log.info("console: %s logged in with a password", identity.subject)
        return self._logged_in(identity, session_id)

    def login_oidc(self) -> Response:
        if self.oidc is None:
            return self.login_page("Login refused: OpenID Connect is not configured.", 404)
        session.permanent = True  # the state cookie lasts STATE_LIFETIME_S, not the browser's life
        try:
            return self.oidc.start(request.url_root + "login/oidc/callback")
        except LoginRefused as exc:
            return self.login_page(f"Login refused: {exc}.", 502)

    def oidc_callback(self) -> Response:
        if self.oidc is None:
            return self.login_page("Login refused: OpenID Connect is not configured.", 404)
        try:
            employee, roles = self.oidc.finish()
        except LoginRefused as exc:
            log.warning("console: OIDC login refused (%s)", exc)
            return self.login_page(f"Login refused: {exc}.", 401)
        identity = Identity(employee, roles, self._session_end())
        session_id = self.sessions.open(identity)
        log.info("console: %s logged in through OpenID Connect", employee)
        # A page, not a redirect: the browser arrived here from the issuer's site, and a
        # SameSite=Strict cookie set now is sent on the next navigation this page starts.
        reply = self._page("continue.html", title="Logged in", who="", csrf="")
        return _with_cookie(reply, _cookie(session_id, self._max_age(identity)))

    def logout(self) -> Response:
        self.sessions.end(g.session_id)
        log.info("console: %s logged out", g.who)
        return _with_cookie(_redirect("/login"), _cookie("", 0))

    def _logged_in(self, identity: Identity, session_id: str) -> Response:
        return _with_cookie(_redirect("/cases"), _cookie(session_id, self._max_age(identity)))

    def _session_end(self) -> int:
        return int(time.time()) + self.session_ttl_s

    @staticmethod
    def _max_age(identity: Identity) -> int:
        return max(identity.expires_at - int(time.time()), 0)

    # --- pages -----------------------------------------------------------------------------

    def queue(self) -> Response:
        query = request.args.to_dict()
        try:
            where = views.queue_filter(query, self.review.clock(), g.who)
            found, next_page = self.review.list_cases(where, 25, query.get("page", ""))
        except InvalidArgument as exc:
            return self._page("message.html", 400, title="Bad filter", error=str(exc))
        placed = self.inboxes.placements(found)
        rows = [(c, self.review.is_overdue(c), placed[c.case_id]) for c in found]
        return self._page(
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
            return self._page("message.html", 400, title="Bad filter", error=str(exc))
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
        return self._page("overview.html", title="Overview", overview=self.review.overview())

    def case(self, case_id: str, message: str = "", error: str = "", status: int = 200) -> Response:
        identity: Identity = g.identity
        try:
            case = self.review.get_case(case_id, person(identity.subject))
        except NotFound as exc:
            return self._page("message.html", 404, title="Not found", text=str(exc))
        except PermissionDenied as exc:
            return self._page("message.html", 403, title="Not allowed", text=str(exc))
        reveal = ADMIN in identity.roles
        (case,) = self.review.as_seen([case], reveal)
        return self._page(
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
            return self._page("message.html", 404, title="Not found", text=str(exc))
        except PermissionDenied as exc:
            return self._page("message.html", 403, title="Not allowed", text=str(exc))
        reveal = ADMIN in identity.roles
        (case,) = self.review.as_seen([case], reveal)
        log.info("console: %s prints case %s", g.who, case_id)
        return self._page(
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
            status = next((s for kind, s in _STATUS_OF_ERROR if isinstance(exc, kind)), 400)
            return self.case(case_id, error=str(exc), status=status)
        return _redirect(f"/cases/{quote(case_id)}?msg={quote(message)}")

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
        outcome = _outcome(form.get("outcome", ""))
        sanction = _sanction(form) if outcome is Outcome.AMENDED else None
        _, decision = self.review.decide(case_id, who, Choice(outcome, reason, sanction))
        if decision is None:
            return "Decision recorded; it needs a second officer's confirmation (four eyes)."
        return f"Decision recorded ({decision.outcome.value}); HR is informed."

    def rules(self) -> Response:
        if self.catalog is None:
            return self._http_error(PageNotFound())
        statuses, counts, generation = self.catalog.rules()
        changes = self.catalog.changes(limit=20)
        return self._page(
            "rules.html",
            title="Rules",
            precision=self.labels.precision(),
            statuses=statuses,
            counts=counts,
            changes=changes,
            generation=generation,
        )

    def snoozes_page(self, error: str = "", status: int = 200) -> Response:
        active_only = bool(request.args.get("active"))
        found = self.snoozes.listed(active_only=active_only)
        reveal = ADMIN in g.identity.roles
        return self._page(
            "snoozes.html",
            status,
            title="Rule snoozes",
            snoozes=snooze_pages.shown(found, self.review.clock(), reveal),
            active_only=active_only,
            message=request.args.get("msg", ""),
            error=error,
        )

    def lift_snooze(self, snooze_id: str) -> Response:
        try:
            lifted = self.snoozes.lift(snooze_id, g.who, request.form.get("reason", ""))
        except WardenError as exc:
            log.info("console: %s lifting snooze %s refused: %s", g.who, snooze_id, exc)
            status = next((s for kind, s in _STATUS_OF_ERROR if isinstance(exc, kind)), 400)
            return self.snoozes_page(error=str(exc), status=status)
        return _redirect(f"/snoozes?msg={quote(f'Snooze of rule {lifted.rule_id} lifted.')}")

    def rule(self, rule_id: str) -> Response:
        if self.catalog is None:
            return self._http_error(PageNotFound())
        statuses, _, _ = self.catalog.rules()
        status = next((s for s in statuses if s.rule_id == rule_id), None)
        shadowed = self.review.findings_as_seen(
            self.catalog.shadow_findings(rule_id) if status else [], ADMIN in g.identity.roles
        )
        return self._page(
            "shadow.html",
            200 if status else 404,
            title=f"Rule {rule_id}" if status else "Not found",
            rule_id=rule_id,
            status=status,
            shadowed=shadowed,
        )

    def analytics_page(self) -> Response:
        try:
            weeks = parse_weeks(request.args.get("weeks"))
        except InvalidArgument as exc:
            return self._page("message.html", 400, title="Bad period", error=str(exc))
        figures = self.analytics.compute(weeks)
        return self._page(
            "analytics.html",
            title="Analytics",
            weeks=weeks,
            max_weeks=MAX_WEEKS,
            first_week=figures.weeks[0],
            last_week=figures.weeks[-1],
            overall=charts.hours(figures.time_to_decision.overall),
            decided=figures.time_to_decision.decided,
            charts=charts.charts(figures),
        )

    def sales_report(self) -> Response:
        return self._report("sales", "Sales performance report", sales_query, self._sales_charts)

    def quality_report(self) -> Response:
        return self._report(
            "quality", "Service-quality report", quality_period, self._quality_charts
        )

    def _sales_charts(self, query: Any) -> tuple[str, list[charts.Chart]]:
        assert self.reports is not None
        report = self.reports.sales(g.identity, query)
        about = f"{report.scope} {report.scope_id}, {report.period} ({report.period_kind})"
        return about, sales_charts(report)

    def _quality_charts(self, period: Any) -> tuple[str, list[charts.Chart]]:
        assert self.reports is not None
        reply = self.reports.quality(g.identity, period)
        overall = reply.overall
        about = f"tickets received in {reply.period}: {overall.tickets}, surveys {overall.surveys}"
        return about, quality_charts(reply)

    def _report(
        self,
        kind: str,
        title: str,
        parse: Callable[[Any], Any],
        fetch: Callable[[Any], tuple[str, list[charts.Chart]]],
    ) -> Response:
        """A report page: the caller's role, the parameters, then the service's figures."""
        if not g.identity.has_any(REPORT_ROLES):
            text = (
                "The sales and service-quality reports are for administrators: the sales and "
                "after-sales services show them to their own staff and to admins only."
            )
            return self._page("message.html", 403, title="Not allowed", text=text)
        if self.reports is None:
            text = "The console is not connected to the sales and after-sales services."
            return self._page("message.html", 404, title="Not found", text=text)
        params = request.args.to_dict()
        status, error, about = 200, "", ""
        shown: list[charts.Chart] = []
        try:
            query = parse(request.args)
            if query is not None:  # no parameters yet: the form alone
                about, shown = fetch(query)
        except InvalidArgument as exc:
            status, error = 400, str(exc)
        except ServiceRefused as exc:
            log.warning("console: %s report for %s: %s", kind, g.who, exc)
            status, error = exc.status, str(exc)
        return self._page(
            "report.html",
            status,
            title=title,
            kind=kind,
            params=params,
            error=error,
            charts=shown,
            about=about,
        )

    def employee(self, employee: str) -> Response:
        return self._page(
            "record.html",
            title=f"Employee record: {employee}",
            department=self.review.department_of(employee),
            decisions=self.review.record(employee),
        )


def _redirect(to: str) -> Response:
    return Response("", 303, headers={"Location": to})


def _cookie(session_id: str, max_age: int) -> str:
    return f"{COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"


def _with_cookie(response: Response, cookie: str) -> Response:
    response.headers.add("Set-Cookie", cookie)
    return response


def _outcome(text: str) -> Outcome:
    try:
        return Outcome(text)
    except ValueError:
        raise InvalidArgument("outcome", "choose confirm, amend or dismiss") from None


def _sanction(form: Any) -> Sanction:
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
