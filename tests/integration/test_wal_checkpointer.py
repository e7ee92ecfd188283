"""The SQLite write-ahead log's checkpointer, on real SQLite files: with it the service's
commits never checkpoint (the log grows past SQLite's 1,000-page mark), its worker does,
and the log then stays near the size written between two of its checkpoints."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text

from warden.platform.db import WalCheckpointer, make_engine, sqlite_file

metadata = MetaData()
blobs = Table("blobs", metadata, Column("n", Integer, primary_key=True), Column("text", Text))
PAGE = 4096
ROW = "x" * 64 * 1024  # 16 pages


def write(engine: Engine, rows: int, first: int = 0) -> None:
    """`rows` rows of 64 KiB, a commit each."""
    for n in range(first, first + rows):
        with engine.begin() as conn:
            conn.execute(blobs.insert(), {"n": n, "text": ROW})


def wal_size(path: Path) -> int:
    return os.path.getsize(f"{path}-wal")


def test_without_it_a_commit_checkpoints_at_1000_pages(tmp_path: Path) -> None:
    """The control: SQLite's own checkpoint on commit restarts the log near 1,000 pages."""
    path = tmp_path / "plain.db"
    engine = make_engine(f"sqlite:///{path}", metadata)
    try:
        write(engine, 128)  # 8 MiB, about 2,000 pages
        assert wal_size(path) < 1_300 * PAGE
    finally:
        engine.dispose()


def test_with_it_commits_never_checkpoint_and_its_checkpoint_copies_the_whole_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "service.db"
    engine = make_engine(f"sqlite:///{path}", metadata)
    checkpointer = WalCheckpointer(engine)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        write(engine, 128)
        assert wal_size(path) > 1_900 * PAGE  # no commit checkpointed
        busy, frames, copied = checkpointer.checkpoint()
        assert (busy, copied) == (0, frames)
        assert frames > 1_900
    finally:
        engine.dispose()


def test_its_worker_checkpoints_until_stopped_and_keeps_the_log_small(tmp_path: Path) -> None:
    path = tmp_path / "service.db"
    engine = make_engine(f"sqlite:///{path}", metadata)
    checkpointer = WalCheckpointer(engine, interval_s=0.01)
    stop = threading.Event()
    worker = threading.Thread(target=checkpointer.run, args=(stop,))
    worker.start()
    try:
        for step in range(8):  # 8 MiB in steps of 1 MiB, each followed by two checkpoints
            write(engine, 16, first=step * 16)
            seen = checkpointer.checkpoints
            while checkpointer.checkpoints < seen + 2:
                assert worker.is_alive()
                stop.wait(0.01)
        # The log restarts after each complete checkpoint: about one step's pages, not 2,000.
        assert wal_size(path) < 600 * PAGE
    finally:
        stop.set()
        worker.join(timeout=10)
        engine.dispose()
    assert not worker.is_alive()
    assert not Path(f"{path}-wal").exists()  # the last connection's close checkpointed it


def test_it_is_only_for_sqlite_files(tmp_path: Path) -> None:
    assert sqlite_file(make_engine(f"sqlite:///{tmp_path}/a.db"))
    assert not sqlite_file(make_engine("sqlite://"))
    postgres = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # not connected
    assert not sqlite_file(postgres)
    with pytest.raises(ValueError, match="for SQLite, not postgresql"):
        WalCheckpointer(postgres)
