"""Rows of the fee schedule, the fees charged, the personal-data access log, archive runs and
published quality reports."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, select

from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.storage import rows
from warden.aftersales.storage.tables import (
    archive_runs,
    data_access_log,
    fee_schedule,
    fees,
    quality_reports,
)
from warden.aftersales.usecases import ports
from warden.aftersales.usecases.ports import ArchiveRun
from warden.platform.db import upsert


class Fees(ports.Fees):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def put_entry(self, entry: ScheduleEntry) -> None:
        upsert(self.conn, fee_schedule, "service_code", rows.SCHEDULE_ENTRY.values(entry))

    def entry(self, service_code: str) -> ScheduleEntry | None:
        query = select(fee_schedule).where(fee_schedule.c.service_code == service_code)
        row = self.conn.execute(query).first()
        return rows.SCHEDULE_ENTRY.load(row) if row else None

    def schedule(self) -> list[ScheduleEntry]:
        query = select(fee_schedule).order_by("service_code")
        return [rows.SCHEDULE_ENTRY.load(row) for row in self.conn.execute(query)]

    def add(self, fee: Fee, event_id: str) -> None:
        self.conn.execute(fees.insert().values(**rows.FEE.values(fee, event_id=event_id)))

    def find(self, **equal: str) -> list[tuple[Fee, str]]:
        query = select(fees).order_by(fees.c.charged_at, fees.c.fee_id)
        for name, value in equal.items():
            if value:
                query = query.where(fees.c[name] == value)
        return [(rows.FEE.load(row), row.event_id) for row in self.conn.execute(query)]


class Accesses(ports.Accesses):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, access: Access, event_id: str) -> None:
        values = rows.ACCESS.values(access, event_id=event_id)
        self.conn.execute(data_access_log.insert().values(**values))

    def of_customer(self, customer_id: str = "") -> list[Access]:
        query = select(data_access_log).order_by(data_access_log.c.at)
        found = [rows.ACCESS.load(row) for row in self.conn.execute(query)]
        return [a for a in found if not customer_id or customer_id in a.customer_ids]


class Records(ports.Records):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_archive_run(self, run: ArchiveRun, archived_by: str) -> None:
        self.conn.execute(
            archive_runs.insert().values(
                run_id=run.run_id,
                archived_by=archived_by,
                older_than_days=run.older_than_days,
                ran_at=run.ran_at,
                ticket_ids=json.dumps(run.ticket_ids),
                event_id=run.event_id,
            )
        )

    def archive_run(self, run_id: str) -> ArchiveRun:
        query = select(archive_runs).where(archive_runs.c.run_id == run_id)
        row = self.conn.execute(query).one()
        ids = json.loads(row.ticket_ids)
        return ArchiveRun(run_id, ids, row.older_than_days, row.ran_at, row.event_id)

    def add_quality_report(
        self, report_id: str, period: str, by: str, at: datetime, event_id: str
    ) -> None:
        self.conn.execute(
            quality_reports.insert().values(
                report_id=report_id,
                period=period,
                published_by=by,
                published_at=at,
                event_id=event_id,
            )
        )
