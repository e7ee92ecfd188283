"""The one place configuration enters: defaults < environment (WARDEN_*) < explicit arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

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
    # soon as data arrives (500 ms is fine there: deploy/ sets it); the embedded broker was
    # seen holding fetches while events waited (p99 from production to poll 131 ms at 500 ms,
    # 14 ms at 10 ms, at 1,000 events/s), so the default is short, at the cost of up to 100
    # idle fetches a second.
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
    # After-sales service commitments per priority (4.2.2): a JSON file overriding the default
    # table, e.g. {"p1": {"first_response_hours": 1, "resolution_hours": 8}}; empty: defaults.
    aftersales_priority_table: str = ""
    # Token signing secret (HMAC-SHA256), at least 32 bytes and no placeholder; empty: one
    # generated once in data_dir/auth.secret (0600 in a 0700 data_dir).
    auth_secret: str = ""
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
    # An open case nobody claimed for this long is flagged in the queue.
    unclaimed_after_hours: float = 48.0
    # The audit chain's end is published to warden.audit-anchors this often, when it moved
    # (0: never), so `warden audit verify --anchors` can show a chain rewritten in the database.
    audit_anchor_interval_s: float = 60.0

    def __post_init__(self) -> None:
        for name in _NOT_NEGATIVE:
            value = getattr(self, name)
            if value < 0:
                raise ValueError(f"WARDEN_{name.upper()}={value!r} must not be negative")
        for name in _POSITIVE:
            value = getattr(self, name)
            if value <= 0:
                raise ValueError(f"WARDEN_{name.upper()}={value!r} must be positive")

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


_NOT_NEGATIVE = ("quiet_partition_s", "event_lateness_s", "audit_anchor_interval_s")
_POSITIVE = (
    "token_max_ttl_s",
    "console_threads",
    "console_connection_limit",
    "console_request_timeout_s",
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
