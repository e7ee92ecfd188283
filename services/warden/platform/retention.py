"""Retention: rows older than a horizon that nothing needs any more, deleted in batches."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, select

from warden.platform.runtime import Patience

log = logging.getLogger(__name__)

# One batch of a purge, in its own transaction: (conn, cutoff, size, cursor) -> (rows deleted,
# the cursor of the next batch, or None when this one was the last). The cursor is whatever
# the purge needs to go on past rows it keeps (None for the first batch).
Purge = Callable[[Connection, datetime, int, Any], tuple[int, Any]]


class Retention:
    """A service's worker deleting, every `interval_s`, what its `purges` find older than
    `horizon` (each in batches of `batch` rows, a transaction each, so no lock is held long
    and a replica's writes go on), and logging how many rows each deleted."""

    def __init__(
        self,
        engine: Engine,
        horizon: timedelta,
        purges: dict[str, Purge],
        interval_s: float = 3600.0,
        batch: int = 1000,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        patience: Patience | None = None,
    ) -> None:
        self.engine = engine
        self.horizon = horizon
        self.purges = purges
        self.interval_s = interval_s
        self.batch = batch
        self.clock = clock
        self.patience = patience
        self.purged: dict[str, int] = dict.fromkeys(purges, 0)  # rows deleted so far, by purge

    def purge_once(self, stop: threading.Event | None = None) -> dict[str, int]:
        """Run every purge to its end (or until `stop` is set); the rows each deleted."""
        cutoff = self.clock() - self.horizon
        deleted: dict[str, int] = {}
        for name, purge in self.purges.items():
            deleted[name], cursor = 0, None
            while stop is None or not stop.is_set():
                with self.engine.begin() as conn:
                    count, cursor = purge(conn, cutoff, self.batch, cursor)
                deleted[name] += count
                if cursor is None:
                    break
            self.purged[name] += deleted[name]
        if any(deleted.values()):
            done = ", ".join(f"{count} {name}" for name, count in deleted.items())
            log.info("retention: deleted %s older than %s", done, cutoff.isoformat())
        return deleted

    def run(self, stop: threading.Event) -> None:
        """Purge now, then every `interval_s`; a failed run is retried at the next, within
        the worker's patience."""
        while not stop.is_set():
            try:
                self.purge_once(stop)
            except Exception as exc:  # a worker loop: any failure is tried again at the next run
                log.exception("retention: purging failed; trying again in %g s", self.interval_s)
                if self.patience is not None:
                    self.patience.failed(exc)
            else:
                if self.patience is not None:
                    self.patience.succeeded()
            stop.wait(self.interval_s)


def purge_published(outbox: Table) -> Purge:
    """Outbox rows published before the cutoff (by published_at, which is indexed); rows not
    yet published are never deleted, however old."""

    def purge(conn: Connection, cutoff: datetime, size: int, _cursor: Any) -> tuple[int, Any]:
        old = outbox.c.published_at.is_not(None) & (outbox.c.published_at < cutoff)
        seqs = list(
            conn.execute(
                select(outbox.c.seq).where(old).order_by(outbox.c.seq).limit(size)
            ).scalars()
        )
        if seqs:
            conn.execute(delete(outbox).where(old & outbox.c.seq.in_(seqs)))
        return len(seqs), (True if len(seqs) == size else None)

    return purge
