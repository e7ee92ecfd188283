"""`warden up`'s supervision restarts a dead service with backoff: 1 s, then twice as long
after each death in a row, up to a cap; a service that ran a while starts at 1 s again."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden import stack as stack_module
from warden.config import Settings
from warden.stack import Stack


class _Process:
    def __init__(self) -> None:
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


class _Supervised(Stack):
    """A stack whose processes are fakes, started without I/O."""

    def _spawn(self, service: str) -> None:
        self.processes[service] = _Process()  # type: ignore[assignment]
        self._started_at[service] = stack_module.time.monotonic()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(stack_module.time, "monotonic", lambda: now[0])
    return now


def kill(stack: Stack, service: str, code: int = 1) -> None:
    stack.processes[service].returncode = code  # type: ignore[misc]


def delays_of_deaths(stack: Stack, clock: list[float], deaths: int, ran_s: float) -> list[str]:
    """Kill sales `deaths` times, each after it ran `ran_s`; what the stack said each time."""
    said: list[str] = []
    stack.say = said.append
    for _ in range(deaths):
        clock[0] += ran_s
        kill(stack, "sales")
        stack.supervise()
        while "restarted" not in said[-1]:
            clock[0] += 0.5
            stack.supervise()
    return [line for line in said if "exited" in line]


def test_deaths_in_a_row_are_restarted_after_1_2_4_seconds_up_to_the_cap(
    tmp_path: Path, clock: list[float]
) -> None:
    stack = _Supervised(Settings(data_dir=tmp_path))
    stack._spawn("sales")
    exits = delays_of_deaths(stack, clock, deaths=7, ran_s=1.0)
    delays = [line.split("restarting it in ")[1].split(" s")[0] for line in exits]
    assert delays == ["1", "2", "4", "8", "16", "30", "30"]
    assert exits[0].startswith("the sales service exited with code 1; restarting it in 1 s")
    assert stack.restarts == {"sales": 7}


def test_a_service_that_ran_a_minute_before_dying_is_restarted_after_1_second_again(
    tmp_path: Path, clock: list[float]
) -> None:
    stack = _Supervised(Settings(data_dir=tmp_path))
    stack._spawn("sales")
    delays_of_deaths(stack, clock, deaths=3, ran_s=1.0)
    (later,) = delays_of_deaths(stack, clock, deaths=1, ran_s=61.0)
    assert "restarting it in 1 s" in later


def test_a_live_service_is_left_alone(tmp_path: Path, clock: list[float]) -> None:
    stack = _Supervised(Settings(data_dir=tmp_path))
    stack._spawn("sales")
    said: list[str] = []
    stack.say = said.append
    first = stack.processes["sales"]
    clock[0] += 100
    stack.supervise()
    assert said == [] and stack.processes["sales"] is first and stack.restarts == {}
