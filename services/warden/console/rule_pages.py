"""The console's rules pages: every rule with its modes, versions, findings and precision
from officers' labels; one rule's latest shadow findings (masked unless admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import g
from werkzeug.exceptions import NotFound as PageNotFound
from werkzeug.wrappers import Response

from warden.platform.auth import ADMIN

if TYPE_CHECKING:
    from warden.console.app import Console


def rules(console: Console) -> Response:
    if console.catalog is None:
        return console.http_error(PageNotFound())
    statuses, counts, generation = console.catalog.rules()
    changes = console.catalog.changes(limit=20)
    return console.page(
        "rules.html",
        title="Rules",
        precision=console.labels.precision(),
        statuses=statuses,
        counts=counts,
        changes=changes,
        generation=generation,
    )


def rule(console: Console, rule_id: str) -> Response:
    if console.catalog is None:
        return console.http_error(PageNotFound())
    statuses, _, _ = console.catalog.rules()
    status = next((s for s in statuses if s.rule_id == rule_id), None)
    shadowed = console.review.findings_as_seen(
        console.catalog.shadow_findings(rule_id) if status else [], ADMIN in g.identity.roles
    )
    return console.page(
        "shadow.html",
        200 if status else 404,
        title=f"Rule {rule_id}" if status else "Not found",
        rule_id=rule_id,
        status=status,
        shadowed=shadowed,
    )
