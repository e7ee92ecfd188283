"""Log set-up: readable text or one JSON object a line, with the event, case and actor as fields.

No value can forge a log line. In text mode control characters (a newline in an id, say) are
escaped wherever a value lands (the message, the fields, an exception's text), and every
continuation line of a traceback is indented: a line that starts at column 0 is the first
line of a real record. In JSON mode each record is one object whose strings are escaped by
the encoder."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import IO

from pythonjsonlogger.json import JsonFormatter

# Fields a record carries when the code handling it knows them (log_context, or extra=).
FIELDS = ("event_id", "case_id", "actor")

_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "warden_log_context", default=MappingProxyType({})
)

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
_NAMED = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_ESCAPES = {c: _NAMED.get(c, f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS}

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def escape(value: str) -> str:
    """`value` with every control character written as an escape (a newline as `\\n`)."""
    return value.translate(_ESCAPES)


@contextlib.contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Records logged inside carry these fields (None and empty values are left out)."""
    merged = {**_context.get(), **{k: v for k, v in fields.items() if v}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the current log_context onto each record (a field given as extra= wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _context.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class TextFormatter(logging.Formatter):
    """`TEXT_FORMAT` then the known fields as `name=value`, control characters escaped."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = escape(record.message)
        line = super().formatMessage(record)
        known = [f"{n}={escape(str(getattr(record, n)))}" for n in FIELDS if hasattr(record, n)]
        return f"{line} [{' '.join(known)}]" if known else line

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's name
        return _indented(super().formatException(ei))  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        return _indented(stack_info)


def _indented(text: str) -> str:
    return "\n".join(f"    {escape(line)}" for line in text.splitlines())


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, the known
    fields, exc_info."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
    )


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return json_formatter()
    if log_format == "text":
        return TextFormatter()
    raise ValueError(f"log format {log_format!r}: text or json")


def handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (stderr by default) writing records in `log_format`."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(formatter(log_format))
    out.addFilter(ContextFilter())
    return out


def setup(level: str, log_format: str) -> None:
    """Root logging for a `warden` process (a no-op where the root logger has a handler
    already, as under pytest); kafka-python's chatter only from WARNING."""
    logging.basicConfig(level=level.upper(), handlers=[handler(log_format)])
    logging.getLogger("kafka").setLevel(logging.WARNING)
