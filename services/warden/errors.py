"""The domain's error hierarchy; the gRPC edge maps each kind to one status code."""

from __future__ import annotations


class WardenError(Exception):
    """Base class of every error Warden reports to a caller."""


class InvalidArgument(WardenError):
    """A request field is missing or wrong; `field` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(WardenError):
    """An id names nothing that exists."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind
        self.ident = ident


class FailedPrecondition(WardenError):
    """The request is well-formed but the current state forbids it."""


class PermissionDenied(WardenError):
    """The caller's role does not allow the request."""


class AlreadyExists(WardenError):
    """The request collides with something recorded before (e.g. a reused idempotency key)."""
