"""Shared fixtures: a real embedded broker, real databases (SQLite always, PostgreSQL where
reachable; with CI=true an unreachable PostgreSQL fails instead of skipping), and the three
services running in-process on them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from tests.system import System
from warden.platform.embedded_broker import EmbeddedBroker

POSTGRES_URL = os.environ.get(
    "WARDEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def broker() -> Iterator[str]:
    """Bootstrap servers of a fresh embedded broker (or WARDEN_TEST_KAFKA_BOOTSTRAP's cluster)."""
    configured = os.environ.get("WARDEN_TEST_KAFKA_BOOTSTRAP")
    if configured:
        yield configured
        return
    with EmbeddedBroker() as embedded:
        yield embedded.bootstrap


def _postgres_database() -> Iterator[str]:
    """Yields the URL of a new PostgreSQL database, dropped when resumed; skips the test
    (fails it under CI) when the server is not reachable."""
    admin_url = make_url(POSTGRES_URL)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:  # any failure to connect means "not reachable"
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    name = f"warden_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# The database backends, the one list of them: a fixture with `params=BACKENDS` runs its tests
# on each, and `fresh_database` makes a database of the one it is given.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of `backend`: an SQLite file in `folder`, or a
    PostgreSQL database made for it and dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'warden.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each backend in turn."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def system(broker: str, database_url: str, tmp_path: Path) -> Iterator[System]:
    """The three services in-process on the broker, each with its own database of the backend."""
    with System.start(broker, database_url, tmp_path) as running:
        yield running
