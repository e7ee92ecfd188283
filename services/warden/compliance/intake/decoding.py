"""What the compliance service accepts from its input topics: a CloudEvent within the size and
depth limits, from a source allowed on that topic, of a type the contract knows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from warden import contract
from warden.config import Settings
from warden.platform.cloudevents import MAX_BYTES, MAX_DEPTH, CloudEvent, MalformedEvent, parse
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS

# Each service's own source on the topic it publishes to (the events.py of
# sales/usecases/ and aftersales/usecases/).
OWN_SOURCES: Mapping[str, frozenset[str]] = {
    SALES_EVENTS: frozenset({"/warden/sales"}),
    AFTERSALES_EVENTS: frozenset({"/warden/aftersales"}),
}


class UnlistedSource(MalformedEvent):
    """The event's source is not allowed on the topic it came from."""


def _own() -> dict[str, frozenset[str]]:
    return dict(OWN_SOURCES)


@dataclass(frozen=True)
class Intake:
    """The limits and the allowed sources per topic (by default only the services' own)."""

    sources: Mapping[str, frozenset[str]] = field(default_factory=_own)
    max_bytes: int = MAX_BYTES
    max_depth: int = MAX_DEPTH

    @classmethod
    def allowing(cls, extra: Mapping[str, frozenset[str]], **limits: int) -> Intake:
        """The services' own sources plus `extra` (topic -> sources)."""
        topics = set(OWN_SOURCES) | set(extra)
        sources = {t: OWN_SOURCES.get(t, frozenset()) | extra.get(t, frozenset()) for t in topics}
        return cls(sources, **limits)

    @classmethod
    def from_settings(cls, settings: Settings) -> Intake:
        return cls.allowing(
            settings.extra_sources(),
            max_bytes=settings.event_max_bytes,
            max_depth=settings.event_max_depth,
        )

    def read(self, topic: str, value: bytes | None) -> CloudEvent:
        """The event of a record of `topic`; MalformedEvent saying why it is refused."""
        event = parse(value, self.max_bytes, self.max_depth)
        allowed = self.sources.get(topic, frozenset())
        if event.source not in allowed:
            raise UnlistedSource(
                f"source {event.source!r} is not allowed on {topic} (allowed: "
                f"{', '.join(sorted(allowed)) or 'none'}; WARDEN_ALLOWED_SOURCES adds sources)"
            )
        contract.validate(event)
        return event
