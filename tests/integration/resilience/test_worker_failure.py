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
from tests.system import eventually
from warden.clients import wait_serving
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import ensure_topics
from warden.platform.topics import SALES_EVENTS


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


def add_outbox_row(database: Path, event_id: str) -> None:
    """A row for the relay, as the service writes one (the payload is not read on the way)."""
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO outbox (event_id, topic, key, payload, created_at) "
            "VALUES (?, 'sales.events', 'k', '{}', '2026-12-07 00:00:00.000000')",
            (event_id,),
        )


def unpublished(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(
            db.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]
        )


def test_sigterm_ends_a_service_in_seconds_cleanly_while_its_relay_waits_for_a_gone_broker(
    tmp_path: Path,
) -> None:
    with EmbeddedBroker() as embedded:
        env = serve_env(tmp_path, KAFKA_BOOTSTRAP=embedded.bootstrap)
        log = tmp_path / "sales.log"
        database = tmp_path / "sales.db"
        process = warden("serve", "sales", env=env, log=log)
        try:
            wait_serving(f"127.0.0.1:{env['WARDEN_SALES_PORT']}", timeout_s=60)
            ensure_topics(embedded.bootstrap, (SALES_EVENTS,), 3)
            add_outbox_row(database, "published-first")
            eventually(lambda: unpublished(database) == 0, what="the first row published")
            embedded.stop()
            add_outbox_row(database, "never-acknowledged")
            time.sleep(1.5)  # the relay has sent it and waits for the acknowledgement
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
            took = time.monotonic() - started
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert took < 10, f"SIGTERM took {took:.1f} s"
    assert unpublished(database) == 1  # sent again by the next process
    output = log.read_text()
    assert "Traceback" not in output
    assert "sales service stopped" in output
