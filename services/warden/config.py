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
    # Log lines: "text" (readable, control characters in values escaped) or "json" (one
    # object a line, for log collectors: deploy/ sets it).
    log_format: str = "text"
    # After-sales service commitments per priority (4.2.2): a JSON file overriding the default
    # table, e.g. {"p1": {"first_response_hours": 1, "resolution_hours": 8}}; empty: defaults.
    aftersales_priority_table: str = ""
    # Token signing secret (HMAC-SHA256); empty: one generated once in data_dir/auth.secret.
    auth_secret: str = ""
    # The officers' web console (served by the compliance process); port 0 picks a free one.
    console_host: str = "127.0.0.1"
    console_port: int = 8080
    # An open case nobody claimed for this long is flagged in the queue.
    unclaimed_after_hours: float = 48.0
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
