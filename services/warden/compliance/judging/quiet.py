"""Quiet input streams: the partitions this instance reads that have brought no event for a
while. A deadline is judged when its stream's watermark (the latest event time read from it)
passes the due time, so on a partition with no traffic it would wait for the next event, an
hour later or never. The consumer asks which streams are quiet, checks that it has read each
to its end, and has their deadlines judged by the clock, less the lateness an event may
arrive with (docs/compliance.md#deadlines); they are marked complete up to that moment, which
also releases the events held for every partition (compliance/judging/holding.py). Kafka-free: the
consumer supplies the streams."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


class QuietStreams:
    """When each read stream (topic:partition) last brought an event, on a monotonic clock.
    A stream counts as heard when it is assigned, so a partition taken over in a rebalance
    waits a full `after_s` before the clock judges it."""

    def __init__(
        self,
        after_s: float,
        clock: Callable[[], float] = time.monotonic,
        check_every_s: float = 5.0,
    ) -> None:
        if after_s <= 0:
            raise ValueError(f"a stream is quiet after a positive time, not {after_s!r} s")
        self.after_s = after_s
        self.check_every_s = min(check_every_s, after_s)
        self._clock = clock
        self._heard: dict[str, float] = {}
        self._next_check = clock() + self.check_every_s

    def assigned(self, streams: Iterable[str]) -> None:
        """The streams read now: new ones count as heard now, those no longer read are
        forgotten."""
        now = self._clock()
        self._heard = {stream: self._heard.get(stream, now) for stream in streams}

    def heard(self, stream: str) -> None:
        """The stream brought an event now."""
        self._heard[stream] = self._clock()

    def check_due(self) -> bool:
        """True at most once per `check_every_s`: time to look for quiet streams."""
        now = self._clock()
        if now < self._next_check:
            return False
        self._next_check = now + self.check_every_s
        return True

    def quiet(self) -> list[str]:
        """The streams that brought no event for `after_s` or longer, sorted."""
        now = self._clock()
        return sorted(s for s, heard in self._heard.items() if now - heard >= self.after_s)
