"""`warden serve` and `warden up` as real processes, for the resilience tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from warden.platform.embedded_broker import free_port


def serve_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a service process: its own data_dir and free ports, `settings`
    (WARDEN_* without the prefix, upper case) on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.update(
        WARDEN_DATA_DIR=str(tmp_path),
        WARDEN_SALES_PORT=str(free_port()),
        WARDEN_AFTERSALES_PORT=str(free_port()),
        WARDEN_COMPLIANCE_PORT=str(free_port()),
        WARDEN_CONSOLE_PORT=str(free_port()),
        WARDEN_RELAY_INTERVAL_S="0.02",
    )
    env.update({f"WARDEN_{name}": value for name, value in settings.items()})
    return env


def warden(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`warden ARGS...` as a child process, its output in `log`."""
    out = open(log, "wb")  # noqa: SIM115 - the child writes to it until it ends
    return subprocess.Popen(
        [sys.executable, "-m", "warden", *args], env=env, stdout=out, stderr=subprocess.STDOUT
    )
