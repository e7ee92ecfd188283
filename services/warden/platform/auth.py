"""Identity: HMAC-signed bearer tokens, the per-method role table, and the gRPC interceptors."""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from warden.platform.files import private_dir, write_private

log = logging.getLogger(__name__)

OFFICER = "officer"
HR_READER = "hr_reader"
SALES = "sales"
AFTERSALES = "aftersales"
ADMIN = "admin"
# A machine's role: a help-desk integration recording ticket steps agents took in it. It may
# name the agent; the step then keeps both (agent, and the integration as recorded_by).
DESK = "desk"
# A machine's role: a sales system (CRM, ERP) recording what salespeople did in it. It names
# the person who acted (and an approver); the event keeps the integration as recorded_by.
CRM = "crm"
ROLES = (OFFICER, HR_READER, SALES, AFTERSALES, ADMIN, DESK, CRM)
DEFAULT_TTL_S = 8 * 3600
# The longest lifetime (exp - iat) a token may have unless configured (token_max_ttl_s).
DEFAULT_MAX_TTL_S = 12 * 3600
# How far in the future a token's `iat` may lie: clocks of two hosts differ a little.
CLOCK_SKEW_S = 60
# Each surface accepts only tokens issued for it: a console session is not an API token.
API = "warden-api"
CONSOLE = "warden-console"
AUDIENCES = (API, CONSOLE)
_HEADER = {"alg": "HS256", "typ": "JWT"}
# A secret shorter than this (in bytes) is refused, as is one of the known placeholders.
MIN_SECRET_BYTES = 32
PLACEHOLDERS = (
    "change-me",
    "changeme",
    "change_me",
    "generate-me",
    "replace-me",
    "placeholder",
    "example",
)

# Which roles may call which gRPC method: a service entry covers all its methods, a method
# entry (full name) overrides it. A method named nowhere is refused to everyone.
SERVICE_ROLES: dict[str, frozenset[str]] = {
    "warden.v1.SalesService": frozenset({SALES, ADMIN}),
    "warden.v1.AfterSalesService": frozenset({AFTERSALES, ADMIN}),
    "warden.v1.ComplianceService": frozenset({OFFICER, ADMIN}),
    # Officers see the rule catalogue; changing it is an administrator's act.
    "warden.v1.RuleCatalogService": frozenset({OFFICER, ADMIN}),
}
METHOD_ROLES: dict[str, frozenset[str]] = {
    "/warden.v1.ComplianceService/ListDecisions": frozenset({HR_READER, OFFICER, ADMIN}),
    "/warden.v1.ComplianceService/GetSigningKey": frozenset({HR_READER, OFFICER, ADMIN}),
    "/warden.v1.ComplianceService/SetEmployeeDepartment": frozenset({ADMIN}),
    "/warden.v1.RuleCatalogService/PublishRules": frozenset({ADMIN}),
    "/warden.v1.RuleCatalogService/ActivateRule": frozenset({ADMIN}),
    "/warden.v1.RuleCatalogService/DeactivateRule": frozenset({ADMIN}),
    # A desk integration records ticket steps and reads tickets, nothing else.
    **{
        f"/warden.v1.AfterSalesService/{method}": frozenset({AFTERSALES, ADMIN, DESK})
        for method in (
            "OpenTicket",
            "GetTicket",
            "ClassifyTicket",
            "AssignTicket",
            "RespondToTicket",
            "RecordCustomerMessage",
            "EscalateTicket",
            "AnswerEscalation",
            "ReportBackEscalation",
            "ResolveTicket",
            "CloseTicket",
            "ReopenTicket",
            "AnswerSurvey",
        )
    },
    # A sales system records its people's acts and reads what they act on; it registers no
    # one, sets no list price and publishes no report.
    **{
        f"/warden.v1.SalesService/{method}": frozenset({SALES, ADMIN, CRM})
        for method in (
            "ChangePrice",
            "GetProduct",
            "GetPricePolicy",
            "RequestPriceChange",
            "DecidePriceChange",
            "SetTarget",
            "SetQuota",
            "GetTarget",
            "CreateOpportunity",
            "ChangeStage",
            "ArchiveDocument",
            "GetOpportunity",
            "SignContract",
            "AmendContract",
            "GetContract",
            "RecordPayment",
            "ReportSales",
            "RecordExpense",
        )
    },
}
# Health checks and reflection stay open: orchestrators and grpcurl must reach them.
OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class InvalidToken(Exception):
    """The token is missing, malformed, forged (bad signature), expired, too long-lived or
    issued for another surface."""


class WeakSecret(RuntimeError):
    """The signing secret is too short or a placeholder: the service refuses to start."""


@dataclass(frozen=True)
class Identity:
    """Who is calling: the token's subject and roles."""

    subject: str
    roles: frozenset[str]
    expires_at: int

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & frozenset(roles))


_current: contextvars.ContextVar[Identity | None] = contextvars.ContextVar(
    "warden_identity", default=None
)


def current_identity() -> Identity | None:
    """The identity of the gRPC call being served on this thread (None outside a call)."""
    return _current.get()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(
    secret: str,
    subject: str,
    roles: Iterable[str],
    ttl_s: int = DEFAULT_TTL_S,
    now: float | None = None,
    audience: str = API,
) -> str:
    """A compact HS256 JWT with `sub`, `roles`, `aud`, `iat` and `exp`."""
    wanted = sorted(set(roles))
    unknown = [r for r in wanted if r not in ROLES]
    if not subject.strip() or not wanted or unknown:
        raise ValueError(f"a token needs a subject and roles among {ROLES}; got {wanted}")
    if audience not in AUDIENCES:
        raise ValueError(f"a token's audience is one of {AUDIENCES}, not {audience!r}")
    issued = int(time.time() if now is None else now)
    payload = {
        "sub": subject,
        "roles": wanted,
        "aud": audience,
        "iat": issued,
        "exp": issued + ttl_s,
    }
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{head}.{body}.{_sign(secret, f'{head}.{body}')}"


def _sign(secret: str, signed: str) -> str:
    return _b64(hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest())


def verify_token(
    secret: str,
    token: str,
    now: float | None = None,
    audience: str = API,
    max_ttl_s: int = DEFAULT_MAX_TTL_S,
) -> Identity:
    """The identity a token carries; InvalidToken saying why when it is malformed, forged,
    expired, lives longer than `max_ttl_s` or was issued for another audience."""
    if not token.isascii() or len(token) > 8192:
        raise InvalidToken("malformed token")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed token")
    head, body, signature = parts
    if not hmac.compare_digest(_sign(secret, f"{head}.{body}"), signature):
        raise InvalidToken("bad signature")
    try:
        header = json.loads(_unb64(head))
        payload = json.loads(_unb64(body))
        subject, roles = str(payload["sub"]), payload["roles"]
        issued, expires = int(payload["iat"]), int(payload["exp"])
        if not isinstance(roles, list) or not isinstance(header, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise InvalidToken("malformed token") from None
    if header.get("alg") != "HS256":
        raise InvalidToken("unsupported algorithm")
    if payload.get("aud") != audience:
        raise InvalidToken(f"wrong audience: {payload.get('aud')!r}, not {audience!r}")
    moment = time.time() if now is None else now
    if expires - issued > max_ttl_s:
        raise InvalidToken(f"lifetime {expires - issued} s exceeds the {max_ttl_s} s maximum")
    if issued > moment + CLOCK_SKEW_S:
        raise InvalidToken("issued in the future")
    if moment >= expires:
        raise InvalidToken("token expired")
    return Identity(subject, frozenset(str(r) for r in roles), expires)


def check_secret(secret: str, origin: str) -> str:
    """The secret, or WeakSecret naming `origin` when it is shorter than MIN_SECRET_BYTES or
    a placeholder: whoever knows a guessable secret mints administrators' tokens."""
    lowered = secret.strip().lower()
    if any(p in lowered for p in PLACEHOLDERS):
        raise WeakSecret(f"{origin}: the token signing secret is a placeholder; {_HOW}")
    if len(secret.strip().encode()) < MIN_SECRET_BYTES:
        raise WeakSecret(
            f"{origin}: the token signing secret has {len(secret.strip().encode())} bytes, "
            f"at least {MIN_SECRET_BYTES} are needed; {_HOW}"
        )
    return secret.strip()


_HOW = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def secret_for(data_dir: Path, configured: str) -> str:
    """The signing secret: the configured one, else one generated once under data_dir
    (written 0600 in a 0700 directory); WeakSecret when it is too weak."""
    if configured:
        return check_secret(configured, "WARDEN_AUTH_SECRET")
    path = data_dir / "auth.secret"
    if not path.exists():
        private_dir(data_dir)
        candidate = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        write_private(candidate, secrets.token_urlsafe(48))
        try:
            candidate.rename(path) if not path.exists() else candidate.unlink()
        except OSError:
            candidate.unlink(missing_ok=True)
    return check_secret(path.read_text(), str(path))


def roles_for(method: str) -> frozenset[str]:
    """The roles allowed to call a full gRPC method name (empty: nobody)."""
    if method in METHOD_ROLES:
        return METHOD_ROLES[method]
    service = method.lstrip("/").split("/", 1)[0]
    return SERVICE_ROLES.get(service, frozenset())


def _bearer(metadata: Iterable[tuple[str, Any]] | None) -> str:
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value.startswith("Bearer "):
            return value.removeprefix("Bearer ").strip()
    return ""


class AuthInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Checks every call's bearer token against the role table; logs each refusal."""

    def __init__(
        self,
        secret: str,
        roles: Callable[[str], frozenset[str]] = roles_for,
        max_ttl_s: int = DEFAULT_MAX_TTL_S,
    ) -> None:
        self.secret = secret
        self.roles = roles
        self.max_ttl_s = max_ttl_s

    def intercept_service(self, continuation: Callable[..., Any], details: Any) -> Any:
        method = details.method
        handler = continuation(details)
        if handler is None or method.startswith(OPEN_PREFIXES) or handler.unary_unary is None:
            return handler
        try:
            identity = verify_token(
                self.secret, _bearer(details.invocation_metadata), max_ttl_s=self.max_ttl_s
            )
        except InvalidToken as exc:
            log.warning("%s refused: UNAUTHENTICATED (%s)", method, exc)
            return _refusal(handler, grpc.StatusCode.UNAUTHENTICATED, f"unauthenticated: {exc}")
        allowed = self.roles(method)
        if not identity.has_any(allowed):
            log.warning(
                "%s refused: PERMISSION_DENIED for %s with roles %s",
                method,
                identity.subject,
                sorted(identity.roles),
            )
            return _refusal(
                handler,
                grpc.StatusCode.PERMISSION_DENIED,
                f"role: {identity.subject} has {sorted(identity.roles)}, "
                f"{method.rsplit('/', 1)[-1]} needs one of {sorted(allowed)}",
            )
        inner = handler.unary_unary

        def as_identity(request: Any, context: grpc.ServicerContext) -> Any:
            token = _current.set(identity)
            try:
                return inner(request, context)
            finally:
                _current.reset(token)

        return grpc.unary_unary_rpc_method_handler(
            as_identity,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def _refusal(handler: Any, code: grpc.StatusCode, message: str) -> Any:
    def refuse(request: Any, context: grpc.ServicerContext) -> Any:
        context.abort(code, message)

    return grpc.unary_unary_rpc_method_handler(
        refuse,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )


class _ClientCall(grpc.ClientCallDetails):  # type: ignore[misc]
    def __init__(self, base: Any, metadata: list[tuple[str, str]]) -> None:
        self.method = base.method
        self.timeout = base.timeout
        self.metadata = metadata
        self.credentials = base.credentials
        self.wait_for_ready = getattr(base, "wait_for_ready", None)
        self.compression = getattr(base, "compression", None)


class BearerToken(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    """Adds `authorization: Bearer <token>` to every unary call on a channel."""

    def __init__(self, token: str) -> None:
        self.token = token

    def intercept_unary_unary(self, continuation: Callable[..., Any], details: Any, request: Any):  # type: ignore[no-untyped-def]
        metadata = [(k, v) for k, v in (details.metadata or ()) if k != "authorization"] + [
            ("authorization", f"Bearer {self.token}")
        ]
        return continuation(_ClientCall(details, metadata), request)


def with_token(channel: grpc.Channel, token: str) -> grpc.Channel:
    """The channel with the token attached to each call (unchanged when the token is empty)."""
    return grpc.intercept_channel(channel, BearerToken(token)) if token else channel
