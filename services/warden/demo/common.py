"""Helpers shared by the demo's scenario parts."""

from __future__ import annotations

import time
from collections.abc import Callable

from warden.v1 import common_pb2


def eur(amount_minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=amount_minor, currency="EUR")


def step(text: str) -> None:
    print(f"\n== {text}")


def wait_for(probe: Callable[[], object], timeout_s: float, what: str) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(f"gave up waiting for {what} after {timeout_s:.0f}s")
