"""Fresh compliance databases, cheaply: a new in-memory SQLite database, or a new schema of
one PostgreSQL database, per call of the `fresh_db` factory (one backend per test)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from tests.conftest import BACKENDS, fresh_database
from warden.compliance.judging import judge as judging  # noqa: F401 - judging adds the rule state tables
from warden.compliance.storage import schema
from warden.platform.db import make_engine

FreshDb = Callable[[], Engine]


def _factory(url: str, tmp: Path, engines: list[Engine]) -> FreshDb:
    counter = itertools.count(1)
    parsed = make_url(url)

    def fresh() -> Engine:
        n = next(counter)
        if parsed.get_backend_name() == "sqlite":
            # In memory: the same SQLite dialect and column types as a file, without the fsyncs.
            engine = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
            schema.metadata.create_all(engine)
        else:
            with engines[0].begin() as conn:
                conn.execute(text(f"CREATE SCHEMA s{n}"))
            scoped = parsed.update_query_dict({"options": f"-csearch_path=s{n}"})
            engine = make_engine(scoped.render_as_string(hide_password=False), schema.metadata)
        engines.append(engine)
        return engine

    return fresh


@pytest.fixture(scope="module", params=BACKENDS)
def fresh_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FreshDb]:
    """A factory of empty compliance databases on one backend."""
    tmp = tmp_path_factory.mktemp("compliance")
    engines: list[Engine] = []
    with fresh_database(request.param, tmp) as url:
        if request.param != "sqlite":
            engines.append(make_engine(url))  # makes each fresh database's schema
        try:
            yield _factory(url, tmp, engines)
        finally:
            for engine in engines:
                engine.dispose()


@pytest.fixture
def fresh_db(fresh_databases: FreshDb) -> Iterator[FreshDb]:
    """Empty compliance databases for one test, closed after it."""
    made: list[Engine] = []

    def fresh() -> Engine:
        made.append(fresh_databases())
        return made[-1]

    yield fresh
    for engine in made:
        engine.dispose()
