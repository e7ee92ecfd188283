"""A service whose worker fails for a reason that is not one record does not stay half alive:
`warden serve` stops it and exits 1, for its supervisor to restart it. SIGTERM ends a service
quickly and cleanly, even while its relay waits for a broker that is gone."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.integration.resilience.serving import serve_env, warden
from warden.clients import wait_serving
from warden.platform.embedded_broker import EmbeddedBroker


def test_a_relay_whose_database_is_gone_ends_the_service_with_exit_code_1(
    broker: str, tmp_path: Path
) -> None:
    env = serve_env(tmp_path, KAFKA_BOOTSTRAP=broker, WORKER_PATIENCE_S="1")
    log = tmp_path / "sales.log"
    process = warden("serve", "sales", env=env, log=log)
    try:
        wait_serving(f"127.0.0.1:{env['WARDEN_SALES_PORT']}", timeout_s=60)
        with sqlite3.connect(tmp_path / "sales.db") as db:  # the relay's table, gone for good
            db.execute("DROP TABLE outbox")
        assert process.wait(timeout=60) == 1
    finally:
        process.kill()
    output = log.read_text()
    assert (
        "error: the sales service stopped: worker OutboxRelay.run failed: WorkerGaveUp: " in output
    )
    assert "the outbox relay kept failing for 1 s (worker_patience_s=1)" in output
    assert "no such table: outbox" in output


def test_sigterm_ends_a_service_in_a_few_seconds_without_a_traceback_with_the_broker_gone(
    tmp_path: Path,
) -> None:
    with EmbeddedBroker() as embedded:
        env = serve_env(tmp_path, KAFKA_BOOTSTRAP=embedded.bootstrap)
        log = tmp_path / "sales.log"
        process = warden("serve", "sales", env=env, log=log)
        try:
            wait_serving(f"127.0.0.1:{env['WARDEN_SALES_PORT']}", timeout_s=60)
            embedded.stop()
            time.sleep(1.0)  # the producer notices the broker gone
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
            took = time.monotonic() - started
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert took < 10, f"SIGTERM took {took:.1f} s"
    output = log.read_text()
    assert "Traceback" not in output
    assert "sales service stopped" in output
