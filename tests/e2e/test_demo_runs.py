"""`make demo` as a newcomer runs it: the scripted scenario from start to end, in a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from warden.platform.embedded_broker import free_port


def test_the_demo_runs_from_start_to_end_on_embedded_defaults(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["WARDEN_DATA_DIR"] = str(tmp_path)
    # Free ports rather than the defaults, so that a demo running beside the suite is no clash.
    for name in ("SALES_PORT", "AFTERSALES_PORT", "COMPLIANCE_PORT"):
        env[f"WARDEN_{name}"] = str(free_port())
    for name in ("CONSOLE", "SALES_METRICS", "AFTERSALES_METRICS", "COMPLIANCE_METRICS"):
        env[f"WARDEN_{name}_PORT"] = "0"  # 0: a free port
    done = subprocess.run(
        [sys.executable, "-m", "warden", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Demo finished:" in done.stdout
    assert "the audit chain does not match" not in done.stdout
