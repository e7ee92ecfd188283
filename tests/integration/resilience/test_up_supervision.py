"""`warden up` supervises its services: one killed is started again, and `warden up` says so
(printed, and logged)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.integration.resilience.serving import serve_env, warden
from tests.system import eventually
from warden.clients import wait_serving


def child_serving(parent: int, service: str) -> int | None:
    """The pid of `parent`'s child running `warden serve SERVICE`, if any."""
    listing = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(parent)], capture_output=True, text=True
    ).stdout
    for line in listing.splitlines():
        pid, args = line.split(None, 1)
        if args.endswith(f"warden serve {service}"):
            return int(pid)
    return None


def test_warden_up_restarts_a_service_that_was_killed_and_says_so(tmp_path: Path) -> None:
    env = serve_env(tmp_path, AUDIT_ANCHOR_INTERVAL_S="0")
    log = tmp_path / "up.log"
    up = warden("up", env=env, log=log)
    try:
        eventually(lambda: "Warden is up" in log.read_text(), timeout_s=120, what="warden up")
        first = child_serving(up.pid, "sales")
        assert first is not None
        os.kill(first, signal.SIGKILL)
        eventually(
            lambda: "the sales service restarted (restart 1)" in log.read_text(),
            timeout_s=30,
            what="the restart",
        )
        second = child_serving(up.pid, "sales")
        assert second is not None and second != first
        wait_serving(f"127.0.0.1:{env['WARDEN_SALES_PORT']}", timeout_s=60)
        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=60) == 0
    finally:
        if up.poll() is None:  # a failure above: stop the services too
            up.send_signal(signal.SIGTERM)
            try:
                up.wait(timeout=30)
            except subprocess.TimeoutExpired:
                up.kill()
    output = log.read_text()
    said = "the sales service exited with code -9; restarting it in 1 s"
    assert output.count(said) == 2  # printed, and logged
    assert "WARNING warden.stack: " + said in output
