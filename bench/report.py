"""Targets of issue 7 and how a measured figure compares with them, in words."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    unit: str
    higher_is_better: bool

    def verdict(self, value: float) -> str:
        """`met` or `MISSED by <amount> (<factor>)`."""
        if value != value:  # NaN: nothing measured
            return "not measured"
        met = value >= self.limit if self.higher_is_better else value < self.limit
        if met:
            return "met"
        gap = self.limit - value if self.higher_is_better else value - self.limit
        factor = self.limit / value if self.higher_is_better else value / self.limit
        amount = f"{gap:,.3g} {self.unit}".strip()
        if value == 0:
            return f"MISSED by {amount}"
        return f"MISSED by {amount} ({factor:,.1f}x off)"


RATIO = Target("end-to-end rate / raw rate", 1 / 3, "", higher_is_better=True)
P99 = Target("p99 latency at 1,000 events/s", 50.0, "ms", higher_is_better=False)
PER_DEADLINE = Target("memory per open deadline", 1024.0, "bytes", higher_is_better=False)


def budget(raw_rate: float, floor_rate: float, rate: float) -> str:
    """Where an end-to-end event's time goes against the ratio target: the time it takes, of
    which the floor's (bench/floor.py: consumed, decoded, judged, nothing stored), and what the
    target would leave for the rest (inbox, stored event, stateful lookups, deadlines,
    findings, cases, audit, commit) against what the rest takes now."""
    allowed, floor_us, now_us = 3e6 / raw_rate, 1e6 / floor_rate, 1e6 / rate
    taken = (
        f"an event takes {now_us:,.0f} us end to end, {floor_us:,.0f} of them in the floor "
        f"(nothing stored); the target allows {allowed:,.0f} in all, "
    )
    rest = f"{now_us - floor_us:,.0f}"
    if allowed <= floor_us:
        return (
            f"{taken}which the floor alone exceeds: nothing is left for the rest (storing, "
            f"stateful lookups, deadlines, cases), which takes {rest} now"
        )
    return (
        f"{taken}so {allowed - floor_us:,.0f} for the rest (storing, stateful lookups, "
        f"deadlines, cases), which takes {rest} now"
    )


def machine() -> dict[str, str]:
    """What the figures came from."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "load average (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
