"""What Warden logs while a test runs, as one of its handlers writes it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from warden.platform.logs import handler


@contextmanager
def captured(log_format: str) -> Iterator[io.StringIO]:
    """Warden's records at INFO and above, formatted as `log_format` ("text" or "json")."""
    out = io.StringIO()
    warden = logging.getLogger("warden")
    level, capture = warden.level, handler(log_format, out)
    warden.addHandler(capture)
    warden.setLevel(logging.INFO)
    try:
        yield out
    finally:
        warden.removeHandler(capture)
        warden.setLevel(level)
