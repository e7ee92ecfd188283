"""Service quality (3.2): the monthly report, and its publication."""

from __future__ import annotations

from dataclasses import dataclass

from warden.aftersales.domain import quality
from warden.aftersales.domain.quality import QualityReport
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import Context
from warden.errors import InvalidArgument


@dataclass(frozen=True)
class PublishedReport:
    report: QualityReport
    report_id: str
    event_id: str


class Quality:
    def __init__(self, context: Context) -> None:
        self.context = context

    def quality_report(self, period: str) -> QualityReport:
        start, end = quality.month_bounds(period)
        with self.context.uow() as uow:
            found = uow.tickets.received_between(start, end)
        return quality.report(period, found, self.context.clock())

    def publish_quality_report(self, period: str, published_by: str) -> PublishedReport:
        """The report, recorded as published (3.2.1) with a quality_report.published event."""
        if not published_by.strip():
            raise InvalidArgument("published_by", "is required")
        report = self.quality_report(period)
        report_id = self.context.new_id()
        at = report.computed_at
        event = events.quality_report_published(report_id, period, published_by, at)
        with self.context.uow() as uow:
            uow.records.add_quality_report(report_id, period, published_by, at, event.id)
            uow.outbox.add(event)
            uow.commit()
        return PublishedReport(report, report_id, event.id)
