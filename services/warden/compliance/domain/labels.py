"""Outcome labels: once a case is decided, an officer records whether its findings were a true
violation, a false positive or inconclusive; a rule version's precision is the share of true
violations among its labelled findings that were not inconclusive."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from warden.compliance.domain.case_review import not_concerned
from warden.compliance.domain.cases import Case, CaseStatus
from warden.errors import FailedPrecondition, InvalidArgument


class Label(StrEnum):
    TRUE_VIOLATION = "true_violation"
    FALSE_POSITIVE = "false_positive"
    INCONCLUSIVE = "inconclusive"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


def parse_label(text: str) -> Label:
    try:
        return Label(text.strip())
    except ValueError:
        choices = ", ".join(label.value for label in Label)
        raise InvalidArgument("label", f"choose one of {choices}") from None


def check_labellable(case: Case, officer_id: str) -> None:
    """A label is recorded on a decided case, by an officer it is not about."""
    not_concerned(case, officer_id, "label")
    if case.status is not CaseStatus.DECIDED:
        raise FailedPrecondition(
            f"case {case.case_id} is {case.status.value}: an outcome label is recorded once "
            "the case is decided"
        )


@dataclass(frozen=True)
class Precision:
    """How officers labelled one rule version's findings."""

    true_violations: int = 0
    false_positives: int = 0
    inconclusive: int = 0

    @property
    def labelled(self) -> int:
        return self.true_violations + self.false_positives + self.inconclusive

    @property
    def value(self) -> float | None:
        """True violations / (true violations + false positives); None before either."""
        judged = self.true_violations + self.false_positives
        return self.true_violations / judged if judged else None

    def counted(self, label: Label, count: int) -> Precision:
        if label is Label.TRUE_VIOLATION:
            return Precision(self.true_violations + count, self.false_positives, self.inconclusive)
        if label is Label.FALSE_POSITIVE:
            return Precision(self.true_violations, self.false_positives + count, self.inconclusive)
        return Precision(self.true_violations, self.false_positives, self.inconclusive + count)
