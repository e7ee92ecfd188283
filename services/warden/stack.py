"""The whole system on one machine: the embedded broker and the three services as processes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warden.clients import wait_serving
from warden.config import SERVICES, Settings
from warden.platform.auth import ADMIN, issue_token, secret_for
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka_options import client_options

log = logging.getLogger(__name__)


# A service that died is started again after 1 s, then twice as long after each death up to
# this; one that then ran this long has its next death restarted after 1 s again.
RESTART_MAX_DELAY_S = 30.0
RESTART_RESET_AFTER_S = 60.0


@dataclass
class Stack:
    """Starts what Settings does not point elsewhere: the broker when no bootstrap servers are
    configured, then each service as its own process, logging to data_dir/logs. `supervise`
    restarts a service process that died, with backoff, and says so (`say`, and the log)."""

    settings: Settings
    broker: EmbeddedBroker | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    say: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    restarts: dict[str, int] = field(default_factory=dict)
    _env: dict[str, str] = field(default_factory=dict)
    _started_at: dict[str, float] = field(default_factory=dict)
    _deaths: dict[str, int] = field(default_factory=dict)  # in a row, for the backoff
    _due: dict[str, float] = field(default_factory=dict)  # when a dead service starts again

    @property
    def log_dir(self) -> Path:
        return self.settings.data_dir / "logs"

    def address(self, service: str) -> str:
        return f"127.0.0.1:{self.settings.port(service)}"

    def start(self) -> Stack:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        bootstrap = self.settings.kafka_bootstrap
        if not bootstrap:
            self.broker = EmbeddedBroker(log_path=self.log_dir / "broker.log").start()
            bootstrap = self.broker.bootstrap
        env = {
            **os.environ,
            "WARDEN_KAFKA_BOOTSTRAP": bootstrap,
            "WARDEN_DATA_DIR": str(self.settings.data_dir),
        }
        if self.broker:  # the embedded broker speaks plaintext only
            env["WARDEN_KAFKA_SECURITY_PROTOCOL"] = "PLAINTEXT"
            for name in ("SSL_CAFILE", "SSL_CERTFILE", "SSL_KEYFILE", "SASL_MECHANISM"):
                env.pop(f"WARDEN_KAFKA_{name}", None)
        for service in SERVICES:
            env[f"WARDEN_{service.upper()}_PORT"] = str(self.settings.port(service))
            env[f"WARDEN_{service.upper()}_METRICS_PORT"] = str(self.settings.metrics_port(service))
        env["WARDEN_RULES_DIR"] = str(self.settings.rules_dir)
        # One machine: nothing of it listens beyond loopback.
        env["WARDEN_GRPC_HOST"] = env["WARDEN_CONSOLE_HOST"] = "127.0.0.1"
        # Create the token secret once, before three processes race to (see platform/auth.py).
        secret_for(self.settings.data_dir, self.settings.auth_secret)
        env["WARDEN_CONSOLE_PORT"] = str(self.settings.console_port)
        env["WARDEN_QUIET_PARTITION_S"] = str(self.settings.quiet_partition_s)
        env["WARDEN_EVENT_LATENESS_S"] = str(self.settings.event_lateness_s)
        env["WARDEN_AUDIT_ANCHOR_INTERVAL_S"] = str(self.settings.audit_anchor_interval_s)
        env["WARDEN_ALLOWED_SOURCES"] = self.settings.allowed_sources
        env["WARDEN_EVENT_MAX_BYTES"] = str(self.settings.event_max_bytes)
        env["WARDEN_EVENT_MAX_DEPTH"] = str(self.settings.event_max_depth)
        self._env = env
        try:
            for service in SERVICES:
                self._spawn(service)
            for service in SERVICES:
                self._wait_healthy(service)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, service: str) -> None:
        with open(self.log_dir / f"{service}.log", "ab") as out:  # the child keeps its own
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", "warden", "serve", service],
                env=self._env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._started_at[service] = time.monotonic()

    def supervise(self) -> None:
        """Restart the service processes that died: the first death after 1 s, each next one
        in a row twice as late (up to RESTART_MAX_DELAY_S); a process that ran
        RESTART_RESET_AFTER_S before dying is restarted after 1 s again. Call it now and then."""
        now = time.monotonic()
        for service, process in list(self.processes.items()):
            if process.poll() is None:
                continue
            if service not in self._due:
                if now - self._started_at[service] >= RESTART_RESET_AFTER_S:
                    self._deaths[service] = 0
                delay = min(RESTART_MAX_DELAY_S, 2.0 ** self._deaths.get(service, 0))
                self._deaths[service] = self._deaths.get(service, 0) + 1
                self._due[service] = now + delay
                self._tell(
                    f"the {service} service exited with code {process.returncode}; "
                    f"restarting it in {delay:g} s (log: {self.log_dir / f'{service}.log'})"
                )
            elif now >= self._due[service]:
                del self._due[service]
                self._spawn(service)
                self.restarts[service] = self.restarts.get(service, 0) + 1
                self._tell(f"the {service} service restarted (restart {self.restarts[service]})")

    def _tell(self, line: str) -> None:
        log.warning("%s", line)
        self.say(line)

    def _wait_healthy(self, service: str, timeout_s: float = 60.0) -> None:
        """Wait for SERVING; a process that exits first is reported with its log's last lines."""
        deadline = time.monotonic() + timeout_s
        while True:
            process = self.processes[service]
            if process.poll() is not None:
                log_file = self.log_dir / f"{service}.log"
                tail = log_file.read_text(errors="replace").splitlines()[-5:]
                raise RuntimeError(
                    f"the {service} service exited with code {process.returncode}; "
                    f"last lines of {log_file}:\n  " + "\n  ".join(tail)
                )
            try:
                wait_serving(self.address(service), timeout_s=1.0, settings=self.settings)
                return
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise

    def token(self, subject: str, *roles: str) -> str:
        """A bearer token for calls to this stack's services (default: an admin's)."""
        secret = secret_for(self.settings.data_dir, self.settings.auth_secret)
        return issue_token(secret, subject, roles or (ADMIN,))

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.console_port}/"

    @property
    def kafka_security(self) -> dict[str, Any]:
        """The Kafka clients' security options: none for the embedded broker."""
        return {} if self.broker else client_options(self.settings)

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap if self.broker else self.settings.kafka_bootstrap

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for service, process in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in 20 s; killing it", service)
                process.kill()
        self.processes.clear()
        if self.broker:
            self.broker.stop()
            self.broker = None

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
