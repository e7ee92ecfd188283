"""TLS for gRPC: server and channel credentials from Settings, refused at start-up with the
file and the reason when a certificate or key is missing or unreadable."""

from __future__ import annotations

import ssl
from pathlib import Path

import grpc

from warden.config import Settings
from warden.platform.auth import with_token


class StartupRefused(RuntimeError):
    """A setting makes the service unsafe or unable to start; the message names it."""


def read_pem(path: str, setting: str) -> bytes:
    """The file's bytes, or StartupRefused naming the setting, the path and the reason."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StartupRefused(f"{setting}={path}: cannot read it ({exc.strerror})") from None
    if b"-----BEGIN " not in data:
        raise StartupRefused(f"{setting}={path}: not a PEM file")
    return data


def _check_pair(settings: Settings) -> tuple[bytes, bytes]:
    """The certificate and key, checked to be a matching pair."""
    if bool(settings.grpc_tls_cert) != bool(settings.grpc_tls_key):
        raise StartupRefused(
            "WARDEN_GRPC_TLS_CERT and WARDEN_GRPC_TLS_KEY go together: set both or neither"
        )
    cert = read_pem(settings.grpc_tls_cert, "WARDEN_GRPC_TLS_CERT")
    key = read_pem(settings.grpc_tls_key, "WARDEN_GRPC_TLS_KEY")
    try:
        ssl.create_default_context().load_cert_chain(settings.grpc_tls_cert, settings.grpc_tls_key)
    except ssl.SSLError as exc:
        raise StartupRefused(
            f"WARDEN_GRPC_TLS_KEY={settings.grpc_tls_key} does not fit "
            f"WARDEN_GRPC_TLS_CERT={settings.grpc_tls_cert} ({exc.reason or exc})"
        ) from None
    return cert, key


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """The servers' TLS credentials (None: plaintext); with grpc_tls_client_auth, clients
    must present a certificate signed by grpc_tls_ca."""
    if not settings.grpc_tls_cert and not settings.grpc_tls_key:
        if settings.grpc_tls_client_auth:
            raise StartupRefused("WARDEN_GRPC_TLS_CLIENT_AUTH needs WARDEN_GRPC_TLS_CERT and _KEY")
        return None
    cert, key = _check_pair(settings)
    ca = read_pem(settings.grpc_tls_ca, "WARDEN_GRPC_TLS_CA") if settings.grpc_tls_ca else None
    if settings.grpc_tls_client_auth and ca is None:
        raise StartupRefused("WARDEN_GRPC_TLS_CLIENT_AUTH needs WARDEN_GRPC_TLS_CA")
    return grpc.ssl_server_credentials(
        [(key, cert)], root_certificates=ca, require_client_auth=settings.grpc_tls_client_auth
    )


def channel_credentials(settings: Settings) -> grpc.ChannelCredentials | None:
    """A client's TLS credentials when a CA is configured (None: plaintext); the client
    presents grpc_tls_cert/key when set (mutual TLS)."""
    if not settings.grpc_tls_ca:
        return None
    ca = read_pem(settings.grpc_tls_ca, "WARDEN_GRPC_TLS_CA")
    if settings.grpc_tls_cert or settings.grpc_tls_key:
        cert, key = _check_pair(settings)
        return grpc.ssl_channel_credentials(ca, private_key=key, certificate_chain=cert)
    return grpc.ssl_channel_credentials(ca)


def open_channel(address: str, settings: Settings, token: str = "") -> grpc.Channel:
    """A channel to `address`: TLS when Settings name a CA, carrying `token` when given."""
    credentials = channel_credentials(settings)
    if credentials is None:
        return with_token(grpc.insecure_channel(address), token)
    options = (
        [("grpc.ssl_target_name_override", settings.grpc_tls_server_name)]
        if settings.grpc_tls_server_name
        else []
    )
    return with_token(grpc.secure_channel(address, credentials, options=options), token)
