"""gRPC servers: health checking, reflection, and domain errors mapped onto status codes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from concurrent import futures
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from sqlalchemy.exc import IntegrityError

from warden.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from warden.platform.auth import current_identity
from warden.platform.logs import log_context
from warden.platform.metrics import GrpcMetricsInterceptor, ServiceMetrics

log = logging.getLogger(__name__)

# Every string of a request is at most this many characters (a name, an id, a reason, a
# description): enough for any field a person fills in, and an event made from the request
# stays far below Kafka's 1 MB record limit. Fields that carry a document are listed apart.
TEXT_LIMIT = 10_000
LONG_TEXT_LIMITS = {"warden.v1.RuleFile.text": 1_000_000}  # a rule file's YAML


def check_text_lengths(message: Any, prefix: str = "") -> None:
    """InvalidArgument naming the first string of `message` longer than its limit: nested
    messages, lists and maps included (`lines[2].note`, `labels['k']`)."""
    for field, value in message.ListFields():
        name = f"{prefix}{field.name}"
        if field.type == field.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key, item in value.items():
                where = f"{name}[{key!r}]"
                _check_text(key, where, field.message_type.fields_by_name["key"])
                if value_field.type == value_field.TYPE_MESSAGE:
                    check_text_lengths(item, f"{where}.")
                else:
                    _check_text(item, where, value_field)
        elif field.type == field.TYPE_MESSAGE:
            for i, item in enumerate(value if field.is_repeated else [value]):
                check_text_lengths(item, f"{name}[{i}]." if field.is_repeated else f"{name}.")
        elif field.is_repeated:
            for i, item in enumerate(value):
                _check_text(item, f"{name}[{i}]", field)
        else:
            _check_text(value, name, field)


def _check_text(value: Any, where: str, field: Any) -> None:
    if field.type != field.TYPE_STRING:
        return
    limit = LONG_TEXT_LIMITS.get(field.full_name, TEXT_LIMIT)
    if len(value) > limit:
        raise InvalidArgument(where, f"is at most {limit:,} characters, not {len(value):,}")


STATUS_OF: tuple[tuple[type[Exception], grpc.StatusCode], ...] = (
    (InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
)


def _status_for(exc: Exception) -> grpc.StatusCode | None:
    for kind, code in STATUS_OF:
        if isinstance(exc, kind):
            return code
    return None


class DomainErrorInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Turns domain errors into their status code and anything else into INTERNAL with a ref."""

    def intercept_service(self, continuation: Callable[..., Any], details: Any) -> Any:
        handler = continuation(details)
        if handler is None or handler.unary_unary is None:
            return handler
        inner = handler.unary_unary
        method = details.method

        def attempt(request: Any, context: grpc.ServicerContext) -> Any:
            try:
                return inner(request, context)
            except IntegrityError:
                # A concurrent request wrote the same key first (two first uses of one
                # idempotency key, two creations of one record). The transaction rolled back,
                # so running the use case again sees that write: it replays the first result
                # or refuses with the domain's own error instead of INTERNAL.
                log.info("%s collided with a concurrent write; running it again", method)
                return inner(request, context)

        def guarded(request: Any, context: grpc.ServicerContext) -> Any:
            identity = current_identity()
            case_id = getattr(request, "case_id", None)
            with log_context(actor=identity.subject if identity else None, case_id=case_id):
                return logged(request, context)

        def logged(request: Any, context: grpc.ServicerContext) -> Any:
            try:
                check_text_lengths(request)
                return attempt(request, context)
            except Exception as exc:
                if context.code() not in (None, grpc.StatusCode.OK):
                    raise  # the servicer already aborted
                code = _status_for(exc)
                if code is not None:
                    log.info("%s refused: %s %s", method, code.name, exc)
                    context.abort(code, str(exc))
                ref = uuid.uuid4().hex[:12]
                log.exception("%s failed (ref %s)", method, ref)
                context.abort(grpc.StatusCode.INTERNAL, f"internal error, ref {ref}")

        return grpc.unary_unary_rpc_method_handler(
            guarded,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def create_server(
    address: str,
    register: Callable[[grpc.Server], None],
    service_names: Iterable[str],
    max_workers: int = 16,
    auth: grpc.ServerInterceptor | None = None,
    metrics: ServiceMetrics | None = None,
    credentials: grpc.ServerCredentials | None = None,
) -> tuple[grpc.Server, int, health.HealthServicer]:
    """Build a server on `address` ("host:0" picks a port) with health and reflection on;
    `auth` (platform.auth.AuthInterceptor) checks every other call's token and role first;
    `metrics` counts and times every call, those refused included; with `credentials`
    (platform.tls.server_credentials) it speaks only TLS."""
    measure = [GrpcMetricsInterceptor(metrics)] if metrics else []
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers),
        interceptors=[*measure, *([auth] if auth else []), DomainErrorInterceptor()],
        # Without this gRPC binds a port another server already holds (SO_REUSEPORT).
        options=[("grpc.so_reuseport", 0)],
    )
    register(server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = list(service_names)
    for name in names:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    if credentials is None:
        port = server.add_insecure_port(address)
    else:
        port = server.add_secure_port(address, credentials)
    if port == 0:
        raise RuntimeError(f"cannot bind gRPC server to {address}")
    return server, port, health_servicer


def require(value: str, field: str) -> str:
    """The request field's value, or InvalidArgument naming the field when it is empty."""
    if not value or not value.strip():
        raise InvalidArgument(field, "is required")
    return value.strip()
