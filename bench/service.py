"""A compliance service started as `warden serve compliance` in a process of its own, for the
benchmark parts that measure the service from outside (memory, scaling), and the count of the
input events its database has judged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

from sqlalchemy import func, select

from bench.e2e import ROOT
from bench.workload import ALLOWED_SOURCES
from warden.clients import wait_serving
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.storage import schema
from warden.platform.db import make_engine
from warden.platform.embedded_broker import free_port


def judged_inputs(db_url: str) -> int:
    """Input events in the inbox (the missed-deadline events judging makes left out)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            count = select(func.count()).select_from(schema.inbox)
            count = count.where(schema.inbox.c.topic != INTERNAL_TOPIC)
            return int(conn.execute(count).scalar_one())
    finally:
        engine.dispose()


def start(
    bootstrap: str,
    db_url: str,
    rules_dir: Path,
    data_dir: Path,
    group: str,
    log: IO[bytes],
    level: str = "WARNING",
) -> subprocess.Popen[bytes]:
    """Start one instance and wait until its gRPC health service answers SERVING."""
    port = free_port()
    env = {
        **os.environ,
        "WARDEN_KAFKA_BOOTSTRAP": bootstrap,
        "WARDEN_COMPLIANCE_DB_URL": db_url,
        "WARDEN_COMPLIANCE_PORT": str(port),
        "WARDEN_CONSOLE_PORT": "0",
        "WARDEN_COMPLIANCE_METRICS_PORT": "0",  # instances side by side: a free port each
        "WARDEN_DATA_DIR": str(data_dir),
        "WARDEN_RULES_DIR": str(rules_dir),
        "WARDEN_CONSUMER_GROUP": group,
        "WARDEN_ALLOWED_SOURCES": ALLOWED_SOURCES,
        "WARDEN_LOG_LEVEL": level,
    }
    service = subprocess.Popen(
        [sys.executable, "-m", "warden", "serve", "compliance"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_serving(f"127.0.0.1:{port}", timeout_s=120)
    except BaseException:
        stop(service)
        raise
    return service


def stop(service: subprocess.Popen[bytes]) -> None:
    service.terminate()
    try:
        service.wait(timeout=30)
    except subprocess.TimeoutExpired:
        service.kill()
