"""How officers labelled the events a backtest's differences rest on: each finding a candidate
would add or remove is matched, by its events, with the labelled cases whose findings rest on
any of the same events (case_labels, compliance/review/labels.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from warden.compliance.domain.findings import Finding
from warden.compliance.domain.labels import Label
from warden.compliance.storage import schema


@dataclass(frozen=True)
class LabelledCase:
    """A labelled case whose findings rest on an event of the difference."""

    case_id: str
    rule_id: str  # the rule of the case's finding on that event
    label: Label


class LabelIndex:
    """The labelled cases by the events their findings rest on, read in one query (labelled
    cases are the few officers labelled); an event known by id alone matches any source."""

    def __init__(self, conn: Connection) -> None:
        findings, labels = schema.findings, schema.case_labels
        query = select(
            findings.c.case_id,
            findings.c.rule_id,
            findings.c.event_ids,
            findings.c.event_sources,
            labels.c.label,
        ).join(labels, labels.c.case_id == findings.c.case_id)
        self._by_id: dict[str, list[tuple[str, LabelledCase]]] = {}
        for row in conn.execute(query):
            ids = json.loads(row.event_ids)
            sources = json.loads(row.event_sources) if row.event_sources else [""] * len(ids)
            case = LabelledCase(row.case_id, row.rule_id, Label(row.label))
            for source, event_id in zip(sources, ids, strict=True):
                self._by_id.setdefault(str(event_id), []).append((source, case))

    def of(self, finding: Finding) -> tuple[LabelledCase, ...]:
        """The labelled cases resting on any event of `finding`, each once, by case id."""
        found: dict[str, LabelledCase] = {}
        for source, event_id in finding.evidence:
            for known, case in self._by_id.get(event_id, ()):
                if not source or not known or source == known:
                    found.setdefault(case.case_id, case)
        return tuple(found[k] for k in sorted(found))


def counted(labelled: Iterable[tuple[LabelledCase, ...]]) -> tuple[Counter[Label], int]:
    """Over some differences' labelled cases: how many differences each label was given to
    (a difference counts once per label its cases carry), and how many had no labelled case."""
    labels: Counter[Label] = Counter()
    unlabelled = 0
    for cases in labelled:
        if not cases:
            unlabelled += 1
        labels.update({case.label for case in cases})
    return labels, unlabelled


def summary(labelled: Iterable[tuple[LabelledCase, ...]]) -> str:
    """In words: `2 true violation, 1 false positive, 3 unlabelled`."""
    labels, unlabelled = counted(labelled)
    said = [f"{labels[label]} {label.words}" for label in Label if labels[label]]
    return ", ".join([*said, f"{unlabelled} unlabelled"])
