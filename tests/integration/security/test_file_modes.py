"""SQLite databases are created 0600 in a 0700 folder, their write-ahead log too: another
user of the machine reads neither cases nor personal data."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import insert

from warden.compliance.storage import schema
from warden.platform.db import make_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_sqlite_database_and_its_log_are_0600_in_a_0700_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    engine = make_engine(f"sqlite:///{folder / 'compliance.db'}", schema.metadata)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(schema.console_sessions).values(
                    id_hash="0" * 64,
                    token_hash="0" * 64,
                    subject="o",
                    roles="officer",
                    expires_at=1,
                    ended=False,
                )
            )
        assert mode(folder) == 0o700
        files = sorted(p.name for p in folder.iterdir())
        assert "compliance.db" in files and "compliance.db-wal" in files
        assert {name: mode(folder / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        engine.dispose()


def test_an_existing_database_keeps_its_content(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    first = make_engine(url, schema.metadata)
    with first.begin() as conn:
        conn.execute(
            insert(schema.console_sessions).values(
                id_hash="1" * 64,
                token_hash="1" * 64,
                subject="o",
                roles="officer",
                expires_at=1,
                ended=False,
            )
        )
    first.dispose()
    again = make_engine(url, schema.metadata)
    with again.connect() as conn:
        assert conn.execute(schema.console_sessions.select()).one().subject == "o"
    again.dispose()
