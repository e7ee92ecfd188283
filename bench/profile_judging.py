"""Judging in-process, without a broker: the workload's events handed to a catalogued `Judge`
on a fresh database file, one event at a time or in batches, timed and optionally profiled.
It shows where the judging path spends its time (docs/performance.md).

    python -m bench.profile_judging --events 1000 [--batch 100] [--profile] [--db-url URL]"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.workload import build, topic_of
from warden.compliance.judging.judge import Judge
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.db import make_engine


def judge_all(judge: Judge, events: list[Any], batch: int) -> None:
    offsets = {}
    items = []
    for event in events:
        topic = topic_of(event) or "bench"
        offset = offsets.get(topic, 0)
        offsets[topic] = offset + 1
        items.append((event, topic, 0, offset))
    if batch <= 1:
        for item in items:
            judge.handle(*item)
        return
    for start in range(0, len(items), batch):
        judge.handle_batch(items[start : start + batch])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules-dir", type=Path, default=Settings().rules_dir)
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--batch", type=int, default=1, help="events per transaction")
    parser.add_argument("--profile", action="store_true", help="print the cProfile top 30")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    parser.add_argument("--db-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    load = build(load_rules(args.rules_dir), for_broker=True)
    events = list(load.events(args.events, start_cycle=1))
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.db_url or f"sqlite:///{tmp}/compliance.db", schema.metadata)
        judge = Judge.from_catalogue(engine, args.rules_dir)
        warm = list(load.events(20, start_cycle=0))
        judge_all(judge, warm, 1)
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        judge_all(judge, events, args.batch)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        engine.dispose()
    print(
        f"{len(events):,} events, batch {args.batch}: {seconds:.2f} s, "
        f"{len(events) / seconds:,.0f} events/s"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
