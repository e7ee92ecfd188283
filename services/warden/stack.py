"""The whole system on one machine: the embedded broker and the three services as processes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warden.clients import wait_serving
from warden.config import SERVICES, Settings
from warden.platform.auth import ADMIN, issue_token, secret_for
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import client_options

log = logging.getLogger(__name__)


@dataclass
class Stack:
    """Starts what Settings does not point elsewhere: the broker when no bootstrap servers are
    configured, then each service as its own process, logging to data_dir/logs."""

    settings: Settings
    broker: EmbeddedBroker | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

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
        env["WARDEN_RULES_DIR"] = str(self.settings.rules_dir)
        # One machine: nothing of it listens beyond loopback.
        env["WARDEN_GRPC_HOST"] = env["WARDEN_CONSOLE_HOST"] = "127.0.0.1"
        # Create the token secret once, before three processes race to (see platform/auth.py).
        secret_for(self.settings.data_dir, self.settings.auth_secret)
        env["WARDEN_CONSOLE_PORT"] = str(self.settings.console_port)
        env["WARDEN_QUIET_PARTITION_S"] = str(self.settings.quiet_partition_s)
        env["WARDEN_EVENT_LATENESS_S"] = str(self.settings.event_lateness_s)
        env["WARDEN_AUDIT_ANCHOR_INTERVAL_S"] = str(self.settings.audit_anchor_interval_s)
        try:
            for service in SERVICES:
                out = open(self.log_dir / f"{service}.log", "ab")  # noqa: SIM115
                self.processes[service] = subprocess.Popen(
                    [sys.executable, "-m", "warden", "serve", service],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            for service in SERVICES:
                self._wait_healthy(service)
        except BaseException:
            self.stop()
            raise
        return self

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
