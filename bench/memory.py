"""Peak memory of the compliance service (`warden serve compliance`, its own process) with a
given number of open tickets awaiting their deadlines.

The open deadlines are seeded straight into the compliance database's deadline table
(`rule_deadlines`, status pending, due far beyond the events' time), as 1,000,000 tickets
classified but not yet answered would leave it; producing a million `ticket.classified`
events through Kafka first would take longer than the whole benchmark. The service then
judges a stream of events, each of which advances the watermark and looks for deadlines it
passed. Peak memory is the process's high-water mark of resident memory (VmHWM)."""

from __future__ import annotations

import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import service
from bench.e2e import run_producer
from warden.compliance.judging import state
from warden.compliance.storage import schema
from warden.platform.db import BulkInsert, make_engine
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.topics import AFTERSALES_EVENTS

FAR_FUTURE = datetime(2900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MemoryResult:
    open_deadlines: int
    peak_kib: int
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def seed(db_url: str, count: int, batch: int = 50_000) -> None:
    """`count` pending deadlines, one per open ticket, written as judging writes its rows
    (platform/db.BulkInsert), without SQLite's fsyncs (`synchronous=OFF`) to keep it quick."""
    engine = make_engine(db_url, schema.metadata)
    insert = BulkInsert(state.deadlines)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            for start in range(0, count, batch):
                insert(conn, [_row(n) for n in range(start, min(count, start + batch))])
    finally:
        engine.dispose()


def _row(n: int) -> dict[str, object]:
    return {
        "deadline_id": f"{n:032x}",
        "kind": "first_response",
        "key": f"T-{n:07d}",
        "ticket_id": f"T-{n:07d}",
        "employee_id": f"agent-{n % 500:03d}",
        "due": FAR_FUTURE + timedelta(seconds=n),
        "started_by": f"bench-classified-{n}",
        "status": "pending",
        "settled_by": None,
        # The input stream (topic:partition) the ticket's classification came from.
        "stream": f"{AFTERSALES_EVENTS}:{n % 6}",
    }


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc: Linux only")


def measure(rules_dir: Path, open_deadlines: int, events: int) -> MemoryResult:
    with tempfile.TemporaryDirectory() as data_dir, EmbeddedBroker() as broker:
        db_url = f"sqlite:///{data_dir}/compliance.db"
        seed(db_url, open_deadlines)
        with open(Path(data_dir) / "compliance.log", "wb") as log:
            group = f"warden-bench-{uuid.uuid4().hex[:8]}"
            instance = service.start(
                broker.bootstrap, db_url, rules_dir, Path(data_dir), group, log
            )
            try:
                produced = run_producer(broker.bootstrap, rules_dir, events, 0, cycle=0)
                started = min(produced.values())
                seen, progress = -1, time.monotonic()
                while (judged := service.judged_inputs(db_url)) < events:
                    if judged != seen:
                        seen, progress = judged, time.monotonic()
                    if instance.poll() is not None or time.monotonic() - progress > 600:
                        raise SystemExit(f"compliance service stopped judging at {judged}/{events}")
                    time.sleep(0.2)
                seconds = time.time() - started
                return MemoryResult(open_deadlines, _peak_kib(instance.pid), events, seconds)
            finally:
                service.stop(instance)
