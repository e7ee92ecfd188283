"""Who acts in a call: the token's subject, always. A person's token (an admin's too) acts as
its subject; only an integration's token (a machine's role, e.g. `desk` or `crm`) names the
person who acted in it, and the integration is then kept beside as `recorded_by`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from warden.errors import InvalidArgument, PermissionDenied
from warden.people import same_person
from warden.platform.auth import Identity, current_identity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Integration:
    """A machine's role whose token names the person who acted in it, and the refusals' words:
    what a person may not do as another (`act`), and whom the integration names (`names`)."""

    role: str
    act: str = "act"
    names: str = "the person who acted"


def caller() -> Identity:
    """The verified identity of the call being served; PermissionDenied outside one."""
    identity = current_identity()
    if identity is None:
        raise PermissionDenied("identity: the call carries no verified identity")
    return identity


def acting_person(named: str, field: str, by: Integration | None = None) -> tuple[str, str]:
    """(who acts, the integration that recorded it, else "").

    A person's token acts as its subject: `named` may be empty or the subject (compared as
    people); naming anyone else is refused, naming the field. A token with the role of `by`
    names the person who acted in it (required) and is recorded beside it."""
    identity = caller()
    named = named.strip()
    if by is not None and by.role in identity.roles:
        if not named:
            raise InvalidArgument(field, f"a {by.role} integration names {by.names}")
        return named, identity.subject
    if named and not same_person(named, identity.subject):
        log.warning("%s is signed in and names %s in %s", identity.subject, named, field)
        how = f" (a {by.role} integration records it with a {by.role} token)" if by else ""
        raise PermissionDenied(
            f"{field}: {identity.subject!r} is signed in and may not {by.act if by else 'act'} "
            f"as {named!r}{how}"
        )
    return identity.subject, ""


def second_person(named: str, field: str, by: Integration | None = None) -> str:
    """Who approved the act ("" when nobody did): an approval is its approver's own act.

    A person's token may name only its own subject (the use case then refuses it as
    self-approval); an approval by anyone else is theirs to give with their own token. A
    token with the role of `by` names the approver who approved in it."""
    identity = caller()
    named = named.strip()
    if not named or (by is not None and by.role in identity.roles):
        return named
    if not same_person(named, identity.subject):
        log.warning("%s is signed in and names %s as approver", identity.subject, named)
        raise PermissionDenied(
            f"{field}: {identity.subject!r} is signed in and may not record an approval by "
            f"{named!r}; an approver approves with their own token"
        )
    return identity.subject
