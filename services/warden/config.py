"""The one place configuration enters: defaults < environment (WARDEN_*) < explicit arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from warden.platform.topics import INPUT_TOPICS

SERVICES = ("sales", "aftersales", "compliance")


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Every knob Warden reads. Each field maps to the environment variable WARDEN_<NAME>."""

    data_dir: Path = field(default_factory=lambda: Path.cwd() / "var")
    # Empty bootstrap servers: start (or reuse) the embedded Tansu broker.
    kafka_bootstrap: str = ""
    kafka_session_timeout_ms: int = 6000
    # How long the broker may hold a fetch that finds too little data. Apache Kafka answers as
    # soon as data arrives (500 ms is fine there: deploy/ sets it); the embedded broker holds
    # fetches while events wait, so the default is short, at the cost of up to 100 idle
    # fetches a second.
    kafka_fetch_max_wait_ms: int = 10
    # At most this many events are judged in one transaction (one consumer poll).
    kafka_max_poll_records: int = 500
    # The compliance consumer commits its offsets at most this often (and before partitions
    # are revoked, and on stop); a crash redelivers at most this long's events, which the
    # inbox skips. Committing after every poll slowed the embedded broker's polls.
    kafka_commit_interval_ms: int = 1000
    # Partitions of each topic Warden creates; at most this many compliance instances share work.
    kafka_partitions: int = 6
    # A deadline is judged when its partition's events show the due time has passed. A
    # partition that brought no event for this long, and that the compliance consumer has
    # read to its end, has its deadlines judged by the clock instead (0: never; they then wait
    # for the partition's next event), less `event_lateness_s`: how late an event may reach
    # Kafka after its own time (outboxes, source systems that send in batches).
    quiet_partition_s: float = 60.0
    event_lateness_s: float = 300.0
    sales_db_url: str = ""
    aftersales_db_url: str = ""
    compliance_db_url: str = ""
    sales_port: int = 50051
    aftersales_port: int = 50052
    compliance_port: int = 50053
    rules_dir: Path = field(default_factory=lambda: _repo_root() / "rules")
    consumer_group: str = "warden-compliance"
    relay_interval_s: float = 0.05
    log_level: str = "INFO"
    # Log lines: "text" (readable, control characters in values escaped) or "json" (one
    # object a line, for log collectors: deploy/ sets it).
    log_format: str = "text"
    # After-sales service commitments per priority (4.2.2): a JSON file overriding the default
    # table, e.g. {"p1": {"first_response_hours": 1, "resolution_hours": 8}}; empty: defaults.
    aftersales_priority_table: str = ""
    # Token signing secret (HMAC-SHA256), at least 32 bytes and no placeholder; empty: one
    # generated once in data_dir/auth.secret (0600 in a 0700 data_dir).
    auth_secret: str = ""
    # The Ed25519 private key (PEM) that signs HR decisions and audit anchors: a file kept
    # outside the database (a mounted secret); empty: data_dir/signing.key, generated once.
    signing_key_file: str = ""
    # The longest token lifetime (exp - iat) accepted; a longer-lived token is refused.
    token_max_ttl_s: int = 12 * 3600
    # gRPC servers listen on this interface (deploy/ sets 0.0.0.0 inside containers).
    grpc_host: str = "127.0.0.1"
    # gRPC TLS: PEM certificate and key of the servers (both or neither). With a CA, servers
    # require client certificates signed by it (mutual TLS) when grpc_tls_client_auth is on,
    # and clients (CLI, `warden up`) check the server's certificate against it.
    grpc_tls_cert: str = ""
    grpc_tls_key: str = ""
    grpc_tls_ca: str = ""
    grpc_tls_client_auth: bool = False
    # The name clients expect in the servers' certificate (empty: the address's host).
    grpc_tls_server_name: str = ""
    # Kafka security: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; the SSL files are PEM; the
    # SASL mechanism is SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN.
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_ssl_cafile: str = ""
    kafka_ssl_certfile: str = ""
    kafka_ssl_keyfile: str = ""
    kafka_sasl_mechanism: str = ""
    kafka_sasl_username: str = ""
    kafka_sasl_password: str = ""
    # The officers' web console (served by the compliance process); port 0 picks a free one.
    console_host: str = "127.0.0.1"
    console_port: int = 8080
    # The console's session cookie is Secure when it is served off loopback or over TLS; set
    # this when a TLS proxy on the same host serves it (the proxy must set X-Forwarded-Proto).
    console_secure_cookie: bool = False
    # Console server (waitress): worker threads, open connections at most, and how long a
    # connection may stay idle or send its request before it is dropped.
    console_threads: int = 8
    console_connection_limit: int = 100
    console_request_timeout_s: float = 30.0
    # Where the console asks for the sales and after-sales reports (host:port); empty: the
    # service's port on grpc_host, as when all three run on one machine.
    console_sales_address: str = ""
    console_aftersales_address: str = ""
    # Console logins by people (docs/operations.md#console-accounts-and-single-sign-on): a
    # session lasts console_session_ttl_s. After console_login_failures failed passwords for
    # one account, or console_login_address_failures from one client address, within
    # console_login_window_s, logins are refused until the window has passed.
    console_session_ttl_s: int = 8 * 3600
    console_login_failures: int = 5
    console_login_address_failures: int = 20
    console_login_window_s: int = 900
    # OpenID Connect login to the console, on when an issuer is set: the client registered
    # there, the scopes asked for, and the ID token's claims that name the employee and list
    # their Warden roles (values mapped by oidc_role_map, "value=role,..."; without an entry a
    # value counts when it names a role). Empty redirect URI: the console's
    # /login/oidc/callback at the address the browser used.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email"
    oidc_employee_claim: str = "employee_id"
    oidc_roles_claim: str = "warden_roles"
    oidc_role_map: str = ""
    oidc_redirect_uri: str = ""
    # An open case nobody claimed for this long is flagged in the queue.
    unclaimed_after_hours: float = 48.0
    # The officers' inboxes (docs/configuration.md#inboxes): a JSON file of inboxes by clause
    # family or department, each with its SLA, officers and per-officer limit; empty: the
    # shipped inboxes (4.1 sales, 3 days; 4.2 after-sales, 2 days; others, 5 days; no officers).
    inboxes_file: str = ""
    # The audit chain's end is published to warden.audit-anchors this often, when it moved
    # (0: never), so `warden audit verify --anchors` can show a chain rewritten in the database.
    audit_anchor_interval_s: float = 60.0
    # Each service serves Prometheus metrics on http://<metrics_host>:<its port>/metrics
    # (0: a free port; negative: none). The ports differ so `warden up` runs all three.
    metrics_host: str = "127.0.0.1"
    sales_metrics_port: int = 9151
    aftersales_metrics_port: int = 9152
    compliance_metrics_port: int = 9153
    # The compliance service reports NOT_SERVING when its Kafka consumer has not polled for
    # this long (0: not checked) or its database does not answer; checked this often.
    consumer_stall_s: float = 60.0
    health_interval_s: float = 5.0
    # The compliance consumer refuses (dead-letters) an input record larger than this, or
    # whose JSON nests deeper, before parsing it.
    event_max_bytes: int = 1024 * 1024
    event_max_depth: int = 32
    # Sources allowed on the input topics beside the services' own (/warden/sales on
    # sales.events, /warden/aftersales on aftersales.events): `topic=source` entries separated
    # by commas, e.g. "sales.events=/erp/sales,aftersales.events=/crm/desk". An event from any
    # other source is dead-lettered.
    allowed_sources: str = ""
    # A background worker (consumer, outbox relay, checkpointer, anchoring) whose rounds keep
    # failing this long for a reason that is not one record (the database gone, a bug) ends
    # the process with exit code 1, for its supervisor to restart it. The broker away is
    # retried for as long as it takes (restarting cannot bring it back).
    worker_patience_s: float = 60.0
    # Published outbox rows, inbox rows and stored events older than this are deleted, every
    # retention_interval_s, in batches of retention_batch rows (0 days: keep everything). The
    # compliance service refuses to start with a horizon not longer than its rules' longest
    # window or deadline and the sanction ladder's look-back (365 days as shipped); a backtest
    # replays a period only from that look-back before it, so two years by default leave
    # periods of the last year fully backtestable.
    retention_days: float = 730.0
    retention_interval_s: float = 3600.0
    retention_batch: int = 500

    def __post_init__(self) -> None:
        for name in _NOT_NEGATIVE:
            value = getattr(self, name)
            if value < 0:
                raise ValueError(f"WARDEN_{name.upper()}={value!r} must not be negative")
        if self.health_interval_s <= 0:
            interval = self.health_interval_s
            raise ValueError(f"WARDEN_HEALTH_INTERVAL_S={interval!r} must be positive")
        for service in SERVICES:
            port = self.metrics_port(service)
            if port > 65535:
                name = f"WARDEN_{service.upper()}_METRICS_PORT"
                raise ValueError(f"{name}={port} is not a port: at most 65535")
        if self.log_format not in LOG_FORMATS:
            raise ValueError(
                f"WARDEN_LOG_FORMAT={self.log_format!r} must be one of {', '.join(LOG_FORMATS)}"
            )
        for name in _POSITIVE:
            value = getattr(self, name)
            if value <= 0:
                raise ValueError(f"WARDEN_{name.upper()}={value!r} must be above zero")
        if self.retention_batch < 1:
            raise ValueError(f"WARDEN_RETENTION_BATCH={self.retention_batch!r} must be at least 1")
        self.extra_sources()  # refuse a malformed list at start, not at the first event
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("WARDEN_OIDC_ISSUER is set without WARDEN_OIDC_CLIENT_ID")

    def extra_sources(self) -> dict[str, frozenset[str]]:
        """`allowed_sources` per input topic; ValueError naming the entry that is not
        `topic=source` with a topic the compliance service reads."""
        allowed: dict[str, set[str]] = {}
        for entry in filter(None, (e.strip() for e in self.allowed_sources.split(","))):
            topic, equals, source = (part.strip() for part in entry.partition("="))
            if not equals or not source:
                raise ValueError(
                    f"WARDEN_ALLOWED_SOURCES: {entry!r} is not topic=source "
                    f"(e.g. {INPUT_TOPICS[0]}=/erp/sales)"
                )
            if topic not in INPUT_TOPICS:
                raise ValueError(
                    f"WARDEN_ALLOWED_SOURCES: {entry!r} names topic {topic!r}, not one of "
                    f"the input topics ({', '.join(INPUT_TOPICS)})"
                )
            if any(c.isspace() for c in source):
                raise ValueError(f"WARDEN_ALLOWED_SOURCES: source {source!r} contains a space")
            allowed.setdefault(topic, set()).add(source)
        return {topic: frozenset(sources) for topic, sources in allowed.items()}

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from the environment, then apply explicit overrides."""
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"WARDEN_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, raw, type(getattr(cls(), f.name)))
        return replace(cls(**values), **overrides)  # type: ignore[arg-type]

    def db_url(self, service: str) -> str:
        """The SQLAlchemy URL of a service's database (an SQLite file under data_dir by default)."""
        configured = getattr(self, f"{service}_db_url")
        if configured:
            return str(configured)
        return f"sqlite:///{self.data_dir / f'{service}.db'}"

    def port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))

    def metrics_port(self, service: str) -> int:
        return int(getattr(self, f"{service}_metrics_port"))


LOG_FORMATS = ("text", "json")
_NOT_NEGATIVE = (
    "quiet_partition_s",
    "event_lateness_s",
    "audit_anchor_interval_s",
    "consumer_stall_s",
    "worker_patience_s",
    "retention_days",
    "retention_interval_s",
)
_POSITIVE = (
    "event_max_bytes",
    "event_max_depth",
    "token_max_ttl_s",
    "console_threads",
    "console_connection_limit",
    "console_request_timeout_s",
    "console_session_ttl_s",
    "console_login_failures",
    "console_login_address_failures",
    "console_login_window_s",
)


def _coerce(name: str, raw: str, kind: type) -> object:
    try:
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        if issubclass(kind, Path):
            return Path(raw)
        return raw
    except ValueError:
        raise ValueError(f"WARDEN_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
