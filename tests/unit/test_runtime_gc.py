"""A service process freezes what start-up built (platform/runtime.freeze_startup_objects):
afterwards a full collection no longer walks those objects. Run in a child interpreter, since
freezing is process-wide and would change the test process's own collector."""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import gc, json
import warden.compliance.judging.judge  # a service's start-up imports: tens of thousands of objects
from warden.platform.runtime import freeze_startup_objects
before = len(gc.get_objects())
freeze_startup_objects()
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(),
                  "tracked": len(gc.get_objects())}))
"""


def test_start_up_objects_are_frozen_out_of_full_collections() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True
    ).stdout
    counts = json.loads(out)
    assert counts["frozen"] > 10_000
    assert counts["tracked"] < counts["before"] / 10
