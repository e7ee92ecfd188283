"""The compliance service's metrics: judging counters moved per poll, gauges queried at scrape."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine, case, func, select
from sqlalchemy.exc import SQLAlchemyError

from warden.compliance.domain.cases import Case, CaseStatus
from warden.compliance.judging.state import held
from warden.compliance.storage import schema
from warden.platform.metrics import LATENCY_BUCKETS, ServiceMetrics, age_s

log = logging.getLogger(__name__)

# Why an input record went to the dead-letter topic (the `reason` label).
MALFORMED = "malformed"  # not a CloudEvent of the contract
JUDGING_FAILED = "judging_failed"  # judging it failed on every attempt
HELD_JUDGING_FAILED = "held_judging_failed"  # held for other partitions, then judging failed
REASONS = (MALFORMED, JUDGING_FAILED, HELD_JUDGING_FAILED)

# Open cases by age (the `age` label): up to a day, a week, a month, older.
AGE_BANDS = (("under_1d", 1), ("1d_to_7d", 7), ("7d_to_30d", 30))
OLDEST_BAND = "over_30d"


class JudgingMetrics:
    """What the consumer counts as it goes (once per poll where it can) and its lag."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.consumed = metrics.add(
            Counter(
                "warden_events_consumed_total",
                "Records read from the input topics, by topic.",
                ["topic"],
                registry=None,
            )
        )
        self.judged = metrics.add(
            Counter(
                "warden_events_judged_total",
                "Events judged, their findings and cases stored (held ones counted when read).",
                registry=None,
            )
        )
        self.dead_lettered = metrics.add(
            Counter(
                "warden_events_dead_lettered_total",
                "Input records sent to the dead-letter topic, by reason class.",
                ["reason"],
                registry=None,
            )
        )
        for reason in REASONS:
            self.dead_lettered.labels(reason)
        self.held = metrics.add(
            Counter(
                "warden_events_held_total",
                "Events held for the rules that wait for every input partition to pass them.",
                registry=None,
            )
        )
        self.released = metrics.add(
            Counter(
                "warden_held_events_released_total",
                "Events held for other partitions, judged once every partition passed them.",
                registry=None,
            )
        )
        self.cases_opened = metrics.add(
            Counter(
                "warden_cases_opened_total",
                "Cases opened by judging, by policy clause and severity.",
                ["clause", "severity"],
                registry=None,
            )
        )
        self.event_to_case = metrics.add(
            Histogram(
                "warden_event_to_case_seconds",
                "From an event's production on Kafka (its record's timestamp) to its case stored.",
                buckets=LATENCY_BUCKETS,
                registry=None,
            )
        )
        self.lag = metrics.add(
            Gauge(
                "warden_consumer_lag_events",
                "Records of an assigned partition not read yet: end offset less position.",
                ["topic", "partition"],
                registry=None,
            )
        )
        self.polled_at = time.monotonic()
        since_poll = metrics.add(
            Gauge(
                "warden_consumer_last_poll_age_seconds",
                "Seconds since the consumer last returned from a poll of Kafka.",
                registry=None,
            )
        )
        since_poll.set_function(lambda: time.monotonic() - self.polled_at)
        self._lag_labels: set[tuple[str, int]] = set()

    def polled(self, batches: dict[object, list[object]]) -> None:
        """A poll returned (`batches`: records by topic partition, maybe none)."""
        self.polled_at = time.monotonic()
        for partition, records in batches.items():
            self.consumed.labels(getattr(partition, "topic", "")).inc(len(records))

    def opened(self, cases: Iterable[Case], produced_ms: int | None = None) -> None:
        """Cases just stored; `produced_ms`: their event's record timestamp, when known."""
        now_ms = time.time() * 1000
        for opened in cases:
            self.cases_opened.labels(opened.clause, opened.severity).inc()
            if produced_ms is not None and produced_ms > 0:
                self.event_to_case.observe(max(0.0, (now_ms - produced_ms) / 1000))

    def lags(self, lags: dict[tuple[str, int], int]) -> None:
        """Set each assigned partition's lag; partitions no longer assigned are dropped."""
        for topic, partition in self._lag_labels - lags.keys():
            self.lag.remove(topic, str(partition))
        for (topic, partition), lag in lags.items():
            self.lag.labels(topic, str(partition)).set(lag)
        self._lag_labels = set(lags)


class ComplianceGauges(Collector):
    """Queried at scrape time: open cases by age, events held for other partitions, rule
    snoozes in force and the findings they suppressed, and (when the chain is anchored) how
    long the audit chain's end has gone unanchored."""

    def __init__(self, engine: Engine, anchored: bool = True) -> None:
        self.engine = engine
        self.anchored = anchored

    def describe(self) -> Iterator[Metric]:
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        families = self._families()
        try:
            with self.engine.connect() as conn:
                now = datetime.now(UTC)
                self._open_cases(conn, now, *families[:2])
                self._held(conn, *families[2:4])
                self._snoozes(conn, now, *families[4:6])
                if self.anchored:
                    self._anchors(conn, *families[6:])
        except SQLAlchemyError as exc:  # a scrape must answer while the database is away
            log.warning("metrics: the compliance queries failed: %s", exc)
            return
        yield from families

    def _families(self) -> list[GaugeMetricFamily]:
        families = [
            GaugeMetricFamily(
                "warden_open_cases",
                "Cases not decided yet (open, in review, appealed), by age since opened.",
                labels=["age"],
            ),
            GaugeMetricFamily(
                "warden_open_case_oldest_age_seconds",
                "Age of the oldest case not decided yet (0 when none).",
            ),
            GaugeMetricFamily(
                "warden_held_events_waiting",
                "Events waiting for every input partition to pass their time.",
            ),
            GaugeMetricFamily(
                "warden_held_events_oldest_age_seconds",
                "How long the longest-held event has waited (0 when none).",
            ),
            GaugeMetricFamily(
                "warden_snoozes_active",
                "Rule snoozes in force now (compliance/review/snoozes.py).",
            ),
            GaugeMetricFamily(
                "warden_snoozed_findings",
                "Findings recorded without a case because a snooze covered them, by rule.",
                labels=["rule_id"],
            ),
        ]
        if self.anchored:
            families += [
                GaugeMetricFamily(
                    "warden_audit_anchor_age_seconds",
                    "Age of the last audit anchor published (absent before the first).",
                ),
                GaugeMetricFamily(
                    "warden_audit_unanchored_age_seconds",
                    "Age of the oldest audit entry no anchor covers yet (0 when none).",
                ),
            ]
        return families

    @staticmethod
    def _open_cases(
        conn: Connection, now: datetime, by_age: GaugeMetricFamily, oldest: GaugeMetricFamily
    ) -> None:
        opened = schema.cases.c.opened_at
        bands = [
            func.coalesce(func.sum(case((opened >= now - timedelta(days=d), 1), else_=0)), 0)
            for _, d in AGE_BANDS
        ]
        query = select(func.count(), func.min(opened), *bands).where(
            schema.cases.c.status != CaseStatus.DECIDED.value
        )
        total, first, *within = conn.execute(query).one()
        below = 0
        for (band, _), count in zip(AGE_BANDS, within, strict=True):
            by_age.add_metric([band], count - below)
            below = count
        by_age.add_metric([OLDEST_BAND], total - below)
        oldest.add_metric([], age_s(first, now) if first is not None else 0)

    @staticmethod
    def _held(conn: Connection, count: GaugeMetricFamily, oldest: GaugeMetricFamily) -> None:
        number, first = conn.execute(select(func.count(), func.min(held.c.held_at))).one()
        count.add_metric([], number)
        oldest.add_metric([], age_s(first) if first is not None else 0)

    @staticmethod
    def _snoozes(
        conn: Connection, now: datetime, active: GaugeMetricFamily, found: GaugeMetricFamily
    ) -> None:
        snoozes, findings = schema.snoozes, schema.findings
        in_force = (snoozes.c.ends_at > now) & (
            snoozes.c.lifted_at.is_(None) | (snoozes.c.lifted_at > now)
        )
        active.add_metric([], conn.execute(select(func.count()).where(in_force)).scalar_one())
        by_rule = (
            select(findings.c.rule_id, func.count())
            .where(findings.c.snooze_id.is_not(None))
            .group_by(findings.c.rule_id)
        )
        for rule_id, count in conn.execute(by_rule):
            found.add_metric([rule_id], count)

    @staticmethod
    def _anchors(
        conn: Connection, anchor: GaugeMetricFamily, unanchored: GaugeMetricFamily
    ) -> None:
        last = conn.execute(
            select(schema.audit_anchors.c.seq, schema.audit_anchors.c.anchored_at)
            .order_by(schema.audit_anchors.c.seq.desc())
            .limit(1)
        ).first()
        if last is not None:
            anchor.add_metric([], age_s(last.anchored_at))
        first_unanchored = conn.execute(
            select(schema.audit_log.c.at)
            .where(schema.audit_log.c.seq > (last.seq if last else 0))
            .order_by(schema.audit_log.c.seq)
            .limit(1)
        ).scalar()
        unanchored.add_metric([], age_s(first_unanchored) if first_unanchored else 0)
