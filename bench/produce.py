"""The load generator, run as its own process so it does not share the judged process's GIL:
produces workload events to the input topics, as fast as it can or at a fixed rate, and
writes `event_id <TAB> production time (epoch s)` per event to a file.

    python -m bench.produce --bootstrap HOST:PORT --count N [--rate R] --out FILE"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kafka import KafkaProducer

from bench.workload import build, key_of
from warden.compliance.rules.rulebook import load_rules
from warden.platform.topics import INPUT_TOPICS


def produce(
    bootstrap: str, count: int, rate: float, out: Path, rules_dir: Path, cycle: int
) -> None:
    workload = build(load_rules(rules_dir), for_broker=True)
    # linger_ms=5, Apache Kafka's producer default since 4.0 (KIP-1030): at 1,000 events/s a
    # 1 ms linger sent nearly every event in a request of its own, and the generator took
    # about 0.45 of a core from the two it shares with what it measures (0.22 at 5 ms). An
    # event's latency counts from before its send: its time lingering is in the figures.
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    # Encoded before the clock starts: the load generator shares the machine with what it
    # measures, so it does as little as it can while the events flow.
    # Sent to the partition the default partitioner would pick (workload.partition_of), or to
    # the one a tick is for: the workload needs to know which partitions have been idle.
    partitions = {topic: len(producer.partitions_for(topic)) for topic in INPUT_TOPICS}
    messages = []
    for event, topic, partition in workload.stream(count, partitions, start_cycle=cycle):
        assert topic is not None
        messages.append((event.id, topic, partition, key_of(event).encode(), event.to_bytes()))
    lines = []
    started = time.perf_counter()
    for n, (event_id, topic, partition, key, value) in enumerate(messages):
        if rate > 0:
            pause = started + n / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        lines.append(f"{event_id}\t{time.time():.6f}")
        producer.send(topic, key=key, value=value, partition=partition)
    producer.flush(timeout=120)
    producer.close(timeout=10)
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rate", type=float, default=0.0, help="events/s; 0: as fast as possible")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rules-dir", type=Path, required=True)
    parser.add_argument("--cycle", type=int, default=0, help="first workload cycle (event time)")
    args = parser.parse_args()
    produce(args.bootstrap, args.count, args.rate, args.out, args.rules_dir, args.cycle)


if __name__ == "__main__":
    main()
