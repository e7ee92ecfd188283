"""The console's inboxes: the page listing them (SLA, officers' loads, waiting and overdue
cases) and the "next case" button, which claims the earliest-due case of an inbox the officer
may review and opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import g
from werkzeug.wrappers import Response

from warden.console.views import status_of
from warden.errors import WardenError

if TYPE_CHECKING:
    from warden.console.app import Console


def inboxes_page(
    console: Console, message: str = "", error: str = "", status: int = 200
) -> Response:
    return console.page(
        "inboxes.html",
        status,
        title="Inboxes",
        states=console.inboxes.states(),
        message=message,
        error=error,
    )


def next_case(console: Console, name: str) -> Response:
    try:
        case = console.inboxes.next_case(name, g.who)
    except WardenError as exc:
        return inboxes_page(console, error=str(exc), status=status_of(exc))
    if case is None:
        return inboxes_page(console, message=f"No case in inbox {name} that you may review waits.")
    text = f"Next case of inbox {name}: claimed for you."
    return Response(
        "", 303, headers={"Location": f"/cases/{quote(case.case_id)}?msg={quote(text)}"}
    )
