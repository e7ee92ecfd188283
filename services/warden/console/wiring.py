"""The officers' console built from Settings, beside the compliance service that serves it."""

from __future__ import annotations

import ipaddress

from warden.compliance.review.cases import Review
from warden.compliance.rules.catalogue import RuleCatalog
from warden.config import Settings
from warden.console.app import Console
from warden.console.oidc import oidc_config
from warden.console.reports import Reports
from warden.console.server import ConsoleServer
from warden.console.throttle import LoginThrottle
from warden.platform.auth import secret_for


def build_console(settings: Settings, review: Review, port: int) -> ConsoleServer | None:
    """The officers' web console on `port` (0 picks a free one; negative: no console)."""
    if port < 0:
        return None
    secret = secret_for(settings.data_dir, settings.auth_secret)
    console = Console(
        review,
        secret,
        secure_cookie=settings.console_secure_cookie or not is_loopback(settings.console_host),
        catalog=RuleCatalog(review.engine),
        max_ttl_s=settings.token_max_ttl_s,
        throttle=LoginThrottle(
            review.engine,
            per_account=settings.console_login_failures,
            per_address=settings.console_login_address_failures,
            window_s=settings.console_login_window_s,
        ),
        oidc=oidc_config(settings),
        session_ttl_s=settings.console_session_ttl_s,
        reports=Reports(
            secret,
            settings.console_sales_address or f"{settings.grpc_host}:{settings.port('sales')}",
            settings.console_aftersales_address
            or f"{settings.grpc_host}:{settings.port('aftersales')}",
            settings,
        ),
    )
    return ConsoleServer(
        console,
        settings.console_host,
        port,
        threads=settings.console_threads,
        connection_limit=settings.console_connection_limit,
        timeout_s=settings.console_request_timeout_s,
    )


def is_loopback(host: str) -> bool:
    """True for a host only this machine reaches (its cookie may travel without TLS)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"
