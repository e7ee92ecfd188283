"""The console's pages as plain server-rendered HTML (no scripts, no build step)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import urlencode

from warden.compliance.anchoring import AnchorState
from warden.compliance.audit import Entry
from warden.compliance.catalogue import Activation, RuleStatus
from warden.compliance.domain.cases import Case, CaseStatus, Decision
from warden.compliance.domain.findings import Finding
from warden.compliance.review import Overview
from warden.people import same_person, signed_by

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
header{background:#1f3a5f;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto}
main{padding:1em 1.6em;max-width:1100px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #dde2ea;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#e8edf4}.flag{color:#fff;background:#b3261e;border-radius:3px;padding:0 .4em}
.box{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:.8em 1em;margin:.8em 0}
.error{background:#fde7e7;border-color:#b3261e}.ok{background:#e6f4ea;border-color:#1e7e34}
pre{white-space:pre-wrap;background:#f7f8fa;padding:.5em;margin:.3em 0}
form.inline{display:inline}label{margin-right:.8em}input,select,textarea{font:inherit}
button{font:inherit;padding:.25em .9em;cursor:pointer}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def age(span: timedelta | None) -> str:
    if span is None:
        return "-"
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


def layout(title: str, body: str, who: str = "", csrf: str = "", notice: str = "") -> str:
    nav = ""
    if who:
        nav = (
            '<a href="/cases">Queue</a><a href="/overview">Overview</a><a href="/rules">Rules</a>'
            f'<span class="who">{e(who)}</span>'
            f'<form class="inline" method="post" action="/logout">{hidden(csrf)}'
            '<button type="submit">Log out</button></form>'
        )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{e(title)} - Warden</title><style>{STYLE}</style></head><body>"
        f"<header><span>Warden compliance console</span>{nav}</header><main>"
        f"{notice}<h1>{e(title)}</h1>{body}</main></body></html>"
    )


def hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(csrf)}">' if csrf else ""


def notice(text: str, kind: str) -> str:
    return f'<div class="box {kind}" id="notice">{e(text)}</div>' if text else ""


def login(error: str = "") -> str:
    return layout(
        "Log in",
        notice(error, "error") + '<div class="box"><form method="post" action="/login">'
        "<p>Paste your access token (an administrator issues it with "
        "<code>warden token issue --subject YOU --role officer</code>).</p>"
        '<p><textarea name="token" id="token" rows="4" cols="80" required></textarea></p>'
        '<button type="submit" id="login">Log in</button></form></div>',
    )


FILTERS = (
    ("status", "Status", ["", "open", "in_review", "decided", "appealed"]),
    ("severity", "Severity", ["", "minor", "major", "critical"]),
    ("clause", "Clause", ["", "4.1.1", "4.1.2", "4.2.1", "4.2.2"]),
)


def queue(
    cases: list[tuple[Case, bool]], params: dict[str, str], next_page: str, who: str, csrf: str
) -> str:
    selects = "".join(
        f'<label>{label} <select name="{name}">'
        + "".join(
            f'<option value="{o}"{" selected" if params.get(name, "") == o else ""}>'
            f"{o or 'any'}</option>"
            for o in options
        )
        + "</select></label>"
        for name, label, options in FILTERS
    )
    texts = "".join(
        f'<label>{label} <input name="{name}" value="{e(params.get(name, ""))}" size="12"></label>'
        for name, label in (
            ("employee", "Employee"),
            ("department", "Department"),
            ("min_age_hours", "Older than (h)"),
        )
    )
    rows = "".join(
        f'<tr><td><a href="/cases/{e(c.case_id)}">{e(c.title)}</a></td>'
        f"<td>{e(c.status.value)}"
        + (' <span class="flag">unclaimed, overdue</span>' if overdue else "")
        + f"</td><td>{e(c.clause)}</td><td>{e(c.severity)}</td>"
        f'<td><a href="/employees/{e(c.employee_id)}">{e(c.employee_id)}</a></td>'
        f"<td>{e(c.assignee or '-')}</td><td>{when(c.opened_at)}</td></tr>"
        for c, overdue in cases
    )
    more = ""
    if next_page:
        link = urlencode({**params, "page": next_page})
        more = f'<p><a id="next" href="/cases?{link}">Next page</a></p>'
    body = (
        f'<form class="box" method="get" action="/cases">{selects}{texts}'
        '<button type="submit">Filter</button></form>'
        '<table id="queue"><tr><th>Case</th><th>Status</th><th>Clause</th><th>Severity</th>'
        f"<th>Employee</th><th>Assignee</th><th>Opened</th></tr>{rows}</table>"
        + ("" if rows else "<p>No cases match.</p>")
        + more
    )
    return layout("Case queue", body, who, csrf)


def _evidence(events: list[dict[str, Any]]) -> str:
    if not events:
        return "<p>No stored events (a case raised by hand).</p>"
    return "".join(
        f"<p><b>{e(ev.get('type'))}</b> {e(ev.get('id'))} at {e(ev.get('time'))}</p>"
        f"<pre>{e(json.dumps(ev.get('data'), indent=2, sort_keys=True))}</pre>"
        for ev in events
    )


def _audit(entries: list[Entry]) -> str:
    rows = "".join(
        f"<tr><td>{x.seq}</td><td>{when(x.at)}</td><td>{e(x.actor)}</td><td>{e(x.action)}</td>"
        f"<td>{e(json.dumps(dict(x.details), sort_keys=True))}</td></tr>"
        for x in entries
    )
    return (
        '<table id="audit"><tr><th>#</th><th>When</th><th>Who</th><th>Action</th>'
        f"<th>Details</th></tr>{rows}</table>"
    )


def _form(case_id: str, action: str, csrf: str, inner: str, label: str, ident: str) -> str:
    return (
        f'<form class="box" method="post" action="/cases/{e(case_id)}/{action}">{hidden(csrf)}'
        f'{inner}<button type="submit" id="{ident}">{e(label)}</button></form>'
    )


def _actions(case: Case, who: str, csrf: str) -> str:
    forms = []
    if case.status in (CaseStatus.OPEN, CaseStatus.APPEALED):
        forms.append(_form(case.case_id, "claim", csrf, "", "Claim this case", "claim"))
    if case.status is CaseStatus.IN_REVIEW and case.pending is None:
        forms.append(
            _form(
                case.case_id,
                "decide",
                csrf,
                "<h3>Decision</h3>"
                '<label><input type="radio" name="outcome" value="confirmed" id="confirm" checked>'
                f" Confirm: {e(case.proposed)}</label><br>"
                '<label><input type="radio" name="outcome" value="amended" id="amend"> Amend to '
                '<select name="kind" id="kind"><option>warning</option><option>fine</option>'
                "<option>suspension</option><option>dismissal</option></select></label>"
                '<label>amount <input name="amount" id="amount" size="8" placeholder="250.00">'
                '</label><label>currency <input name="currency" value="EUR" size="3"></label>'
                '<label>days <input name="days" id="days" size="3"></label><br>'
                '<label><input type="radio" name="outcome" value="dismissed" id="dismiss"> '
                "Dismiss</label><br>"
                "<p><label>Reason (required to amend or dismiss)<br>"
                '<textarea name="reason" id="reason" rows="2" cols="70"></textarea></label></p>',
                "Record decision",
                "decide",
            )
        )
    if case.pending is not None:
        p = case.pending
        forms.append(
            f'<div class="box" id="pending">Awaiting a second officer: {e(p.outcome.value)} '
            f"({e(p.sanction or 'no sanction')}) by "
            f"{e(signed_by([(p.officer_id, p.on_behalf_of)]))}: {e(p.reason)}</div>"
        )
        if not (same_person(p.officer_id, who) or same_person(p.on_behalf_of, who)):
            forms.append(
                _form(case.case_id, "confirm", csrf, "", "Confirm as second officer", "second")
            )
            forms.append(
                _form(
                    case.case_id,
                    "reject",
                    csrf,
                    '<label>Reason <input name="reason" size="50"></label>',
                    "Reject",
                    "reject",
                )
            )
    if case.status is CaseStatus.DECIDED and not case.appeal_reason:
        forms.append(
            _form(
                case.case_id,
                "appeal",
                csrf,
                '<label>Employee\'s grounds <input name="reason" size="60"></label>',
                "Record appeal",
                "appeal",
            )
        )
    forms.append(
        _form(
            case.case_id,
            "comment",
            csrf,
            '<textarea name="text" id="comment" rows="2" cols="70"></textarea><br>',
            "Add comment",
            "add-comment",
        )
    )
    return "".join(forms)


def case_page(
    case: Case,
    evidence: list[dict[str, Any]],
    entries: list[Entry],
    department: str,
    overdue: bool,
    who: str,
    csrf: str,
    message: str = "",
    error: str = "",
) -> str:
    facts = [
        ("Status", case.status.value + (" (unclaimed, overdue)" if overdue else "")),
        ("Employee", f"{case.employee_id} ({department or 'no department on file'})"),
        ("Clause", f"{case.clause} ({case.severity})"),
        ("Proposed", f"{case.proposed} - for human review"),
        ("Happened", when(case.occurred_at)),
        ("Opened", when(case.opened_at)),
        ("Raised by", case.raised_by),
        ("Assignee", case.assignee or "-"),
    ]
    if case.decided_by:
        outcome = case.outcome.value if case.outcome else ""
        signers = signed_by(case.signatures)
        facts.append(("Decision", f"{outcome} by {signers}: {case.decision_reason or '-'}"))
    if case.appeal_reason:
        facts.append(("Appeal", case.appeal_reason))
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    why = "".join(f"<pre>{e(f.explanation)}</pre>" for f in case.findings)
    comments = "".join(
        f"<p><b>{e(c.author)}</b> ({when(c.at)}): {e(c.text)}</p>" for c in case.comments
    )
    body = (
        f'<table id="facts">{table}</table>'
        f'<h2>Why it was flagged</h2><div class="box" id="explanation">{why}</div>'
        f"{_actions(case, who, csrf)}"
        f'<h2>Comments</h2><div id="comments">{comments or "<p>None yet.</p>"}</div>'
        f'<h2>Evidence</h2><div class="box" id="evidence">{_evidence(evidence)}</div>'
        f"<h2>Audit trail</h2>{_audit(entries)}"
    )
    banner = notice(error, "error") + notice(message, "ok")
    return layout(f"Case: {case.title}", body, who, csrf, banner)


def record_page(
    employee_id: str, department: str, decisions: list[Decision], who: str, csrf: str
) -> str:
    rows = "".join(
        f'<tr><td><a href="/cases/{e(d.case_id)}">{e(d.case_id[:8])}</a></td>'
        f"<td>{e(', '.join(d.clauses))}</td><td>{e(d.outcome.value)}</td><td>{e(d.sanction)}</td>"
        f"<td>{e(d.effective_date)}</td><td>{e(signed_by(d.signatures))}</td></tr>"
        for d in decisions
    )
    body = (
        f"<p>Department: {e(department or 'not on file')}</p>"
        '<table id="record"><tr><th>Case</th><th>Clauses</th><th>Outcome</th><th>Sanction</th>'
        f"<th>Effective</th><th>Decided by</th></tr>{rows}</table>"
        + ("" if rows else "<p>No confirmed violations.</p>")
    )
    return layout(f"Employee record: {employee_id}", body, who, csrf)


def overview_page(overview: Overview, who: str, csrf: str) -> str:
    rows = "".join(
        f'<tr><td><a href="/cases?{urlencode({"clause": c, "severity": s})}">{e(c)}</a></td>'
        f"<td>{e(s)}</td><td>{n}</td></tr>"
        for c, s, n in overview.counts
    )
    body = (
        f'<div class="box"><b id="open-total">{overview.total}</b> case(s) not decided yet; '
        f"the oldest opened <b>{age(overview.oldest_age)}</b> ago "
        f"({when(overview.oldest_opened_at)}).</div>"
        '<table id="overview"><tr><th>Clause</th><th>Severity</th><th>Open cases</th></tr>'
        f"{rows}</table>"
        f"{_held_box(overview)}"
        f"{_audit_box(overview.audit)}"
    )
    return layout("Overview", body, who, csrf)


def _held_box(overview: Overview) -> str:
    """Events whose judgement waits for every input partition to pass them: findings that
    may still come (docs/compliance.md#rules-that-wait-for-other-partitions)."""
    if not overview.held:
        return ""
    return (
        f'<div class="box" id="held">{overview.held} event(s) not judged yet by the rules that '
        f"wait for every partition to pass them (the oldest dated "
        f"{when(overview.oldest_held)}): their findings may still come.</div>"
    )


def _audit_box(state: AnchorState | None) -> str:
    """The audit trail's length and its last anchor on Kafka, or a warning that the trail no
    longer matches it (compliance/anchoring.py)."""
    if state is None:
        return ""
    if state.changed:
        return (
            f'<div class="box" id="audit-state"><b>The audit trail was changed in the '
            f"database</b>: {e(state.changed)}. Run <code>warden audit verify --anchors</code> "
            "and report it.</div>"
        )
    if state.anchored_seq is None:
        anchored = "not anchored on Kafka yet"
    else:
        anchored = (
            f"anchored on Kafka up to entry {state.anchored_seq} ({when(state.anchored_at)}); "
            f"{_entries(state.entries - state.anchored_seq)} since"
        )
    return (
        f'<div class="box" id="audit-state">Audit trail: {_entries(state.entries)}, '
        f"{anchored}.</div>"
    )


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _version(number: int | None) -> str:
    return f"v{number}" if number else "-"


def _shadow_count(status: RuleStatus, counts: dict[tuple[str, int, str], int]) -> str:
    if not status.shadow_version:
        return "-"
    return str(counts.get((status.rule_id, status.shadow_version, "shadow"), 0))


def rules_page(
    statuses: list[RuleStatus],
    counts: dict[tuple[str, int, str], int],
    changes: list[Activation],
    generation: int,
    who: str,
    csrf: str,
) -> str:
    """The rule catalogue, read-only: versions, modes, findings; changes are made by admins
    with `warden rules activate` (docs/rule-lifecycle.md)."""
    rows = "".join(
        f'<tr><td><a href="/rules/{e(r.rule_id)}">{e(r.rule_id)}</a></td><td>{e(r.clause)}</td>'
        f"<td>{e(r.title)}</td><td>{_version(r.active_version)}</td>"
        f"<td>{counts.get((r.rule_id, r.active_version or 0, 'active'), 0)}</td>"
        f"<td>{_version(r.shadow_version)}</td>"
        f"<td>{_shadow_count(r, counts)}</td>"
        f"<td>{e(', '.join(f'v{v}' for v in r.versions))}</td></tr>"
        for r in statuses
    )
    history = "".join(
        f"<tr><td>{c.seq}</td><td>{when(c.at)}</td><td>{e(c.rule_id)}</td>"
        f"<td>{e(f'v{c.version} {c.mode}' if c.version else f'{c.mode} off')}</td>"
        f"<td>{e(c.by)}</td><td>{e(c.reason)}</td></tr>"
        for c in changes
    )
    body = (
        f'<div class="box">Catalogue generation <b id="generation">{generation}</b>. The active '
        "version of a rule opens cases; a shadow version beside it only records findings. "
        "Administrators change versions with <code>warden rules activate</code>.</div>"
        '<table id="rules"><tr><th>Rule</th><th>Clause</th><th>Title</th><th>Active</th>'
        "<th>Findings</th><th>Shadow</th><th>Shadow findings</th><th>Published</th></tr>"
        f"{rows}</table><h2>Latest changes</h2>"
        '<table id="changes"><tr><th>#</th><th>When</th><th>Rule</th><th>Change</th><th>By</th>'
        f"<th>Reason</th></tr>{history}</table>"
    )
    return layout("Rules", body, who, csrf)


def shadow_page(
    rule_id: str, status: RuleStatus | None, shadowed: list[Finding], who: str, csrf: str
) -> str:
    """What a rule's shadow versions flagged, newest first: what activating one would add."""
    if status is None:
        return layout("Not found", f"<p>No rule {e(rule_id)} in the catalogue.</p>", who, csrf)
    items = "".join(
        f"<li><pre>{e(f.explanation)}</pre>employee "
        f'<a href="/employees/{e(f.employee_id)}">{e(f.employee_id)}</a>, '
        f"{when(f.occurred_at)}, event(s) {e(', '.join(f.event_ids))}</li>"
        for f in shadowed
    )
    body = (
        f"<p>{e(status.title)} (clause {e(status.clause)}): active "
        f"{_version(status.active_version)}, shadow {_version(status.shadow_version)}.</p>"
        f"<h2>Shadow findings (latest {len(shadowed)}, no case opened)</h2>"
        + (f'<ol id="shadow">{items}</ol>' if items else "<p>No shadow finding.</p>")
    )
    return layout(f"Rule {rule_id}", body, who, csrf)
