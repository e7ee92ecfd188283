"""Who may see which personal fields of a customer (4.2.1), and what an access records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from warden.aftersales.domain.tickets import PERSONAL_FIELDS, Agent
from warden.errors import InvalidArgument, PermissionDenied

# The personal fields each role may see; an agent only for customers of their own open tickets.
ROLE_FIELDS: dict[str, frozenset[str]] = {
    "agent": frozenset({"name", "phone", "email"}),
    "supervisor": frozenset(PERSONAL_FIELDS),
    "billing": frozenset({"name", "email", "address"}),
    "analyst": frozenset(),
}
ROLES_NEEDING_OWN_TICKET = frozenset({"agent"})
EXPORT_ROLES = frozenset({"supervisor"})
ACTIONS = ("read", "export", "disclose")


@dataclass(frozen=True)
class Access:
    """One logged read, export or disclosure of personal fields (granted or refused)."""

    access_id: str
    customer_ids: tuple[str, ...]
    accessor_id: str
    accessor_role: str
    action: str
    fields: tuple[str, ...]
    recipient_kind: str
    recipient: str
    purpose: str
    at: datetime
    granted: bool
    refusal: str = ""


def requested_fields(fields: Iterable[str]) -> tuple[str, ...]:
    """The fields asked for (all of them when none are named), each checked to exist."""
    chosen = tuple(dict.fromkeys(f.strip() for f in fields if f.strip())) or PERSONAL_FIELDS
    unknown = [f for f in chosen if f not in PERSONAL_FIELDS]
    if unknown:
        raise InvalidArgument(
            "fields", f"{', '.join(unknown)} not among {', '.join(PERSONAL_FIELDS)}"
        )
    return chosen


def refusal(accessor: Agent, action: str, fields: tuple[str, ...], has_own_ticket: bool) -> str:
    """Why `accessor` may not do this ("" when they may)."""
    allowed = ROLE_FIELDS.get(accessor.role, frozenset())
    hidden = [f for f in fields if f not in allowed]
    if hidden:
        return f"role {accessor.role!r} may not see {', '.join(hidden)}"
    if action == "export" and accessor.role not in EXPORT_ROLES:
        return f"role {accessor.role!r} may not export customer data"
    if accessor.role in ROLES_NEEDING_OWN_TICKET and not has_own_ticket:
        return f"agent {accessor.agent_id!r} has no open ticket of this customer"
    return ""


def check(access: Access) -> None:
    """Raise PermissionDenied for a refused access (after it was logged)."""
    if not access.granted:
        raise PermissionDenied(f"fields: {access.refusal}")
