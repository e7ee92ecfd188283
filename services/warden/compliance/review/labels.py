"""Recording outcome labels on decided cases, and each rule version's precision from them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, select

from warden.compliance.domain.labels import Label, Precision, check_labellable, parse_label
from warden.compliance.storage import audit_store, case_store, schema
from warden.errors import InvalidArgument, NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseLabel:
    label: Label
    labelled_by: str
    labelled_at: datetime


class Labels:
    """An officer's label on a decided case (audited), and the precision figures."""

    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def label(self, case_id: str, officer_id: str, text: str) -> Label:
        """Record (or change) the case's label; InvalidArgument for an unknown label,
        FailedPrecondition for an undecided case, PermissionDenied for the employee's own."""
        chosen = parse_label(text)
        if not case_id.strip():
            raise InvalidArgument("case_id", "is required")
        with self.engine.begin() as conn:
            case = case_store.get_case(conn, case_id.strip(), for_update=True)
            if case is None:
                raise NotFound("case", case_id)
            check_labellable(case, officer_id)
            at = self.clock()
            table = schema.case_labels
            conn.execute(delete(table).where(table.c.case_id == case.case_id))
            conn.execute(
                insert(table).values(
                    case_id=case.case_id, label=chosen.value, labelled_by=officer_id, labelled_at=at
                )
            )
            audit_store.append_audit(
                conn, case.case_id, officer_id, "labelled", at, {"label": chosen.value}
            )
        log.info("case %s labelled %s by %s", case_id, chosen.value, officer_id)
        return chosen

    def of(self, case_id: str) -> CaseLabel | None:
        table = schema.case_labels
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.case_id == case_id)).first()
        return CaseLabel(Label(row.label), row.labelled_by, row.labelled_at) if row else None

    def precision(self) -> dict[tuple[str, int], Precision]:
        """Per (rule id, version): its findings on labelled cases, counted by label."""
        findings, labels = schema.findings, schema.case_labels
        query = (
            select(
                findings.c.rule_id,
                findings.c.rule_version,
                labels.c.label,
                func.count(findings.c.finding_id),
            )
            .join(labels, labels.c.case_id == findings.c.case_id)
            .group_by(findings.c.rule_id, findings.c.rule_version, labels.c.label)
        )
        figures: dict[tuple[str, int], Precision] = {}
        with self.engine.connect() as conn:
            for rule_id, version, label, count in conn.execute(query):
                key = (rule_id, version)
                figures[key] = figures.get(key, Precision()).counted(Label(label), count)
        return figures
