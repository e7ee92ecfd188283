"""Rule examples: the events listed beside a rule, judged by that rule alone on a fresh database,
and the findings they must give. The suite runs every example of every rule file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from warden.compliance.domain.cases import Case
from warden.compliance.domain.findings import Rule
from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder
from warden.compliance.judging.judge import Judge
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent, format_time, parse_time

FLAGS = ("dismissal_review", "legal_referral")


@dataclass(frozen=True)
class Example:
    rule: Rule
    name: str
    kind: str
    events: tuple[dict[str, Any], ...]
    expect: tuple[dict[str, Any], ...]

    @property
    def label(self) -> str:
        return f"{self.rule.rule_id}: {self.name}"


@dataclass(frozen=True)
class Outcome:
    """An example run: what differs from what it expects ([] when it passes)."""

    example: Example
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def scratch_database() -> Engine:
    """An empty compliance database in memory: the same SQLite dialect and column types as a
    file, without the fsyncs, gone when disposed. Examples and backtests judge on these."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    schema.metadata.create_all(engine)
    return engine


def examples_of(rules: Iterable[Rule]) -> list[Example]:
    return [
        Example(
            rule, str(e["name"]), str(e["kind"]), tuple(e["events"]), tuple(e.get("expect") or ())
        )
        for rule in rules
        for e in rule.examples
    ]


def _wire(value: Any) -> Any:
    """YAML reads unquoted timestamps as datetimes; on the wire they are RFC 3339 strings."""
    if isinstance(value, datetime):
        return format_time(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _source(event_type: str) -> str:
    producer = event_type.split(".")[1] if event_type.count(".") >= 2 else "example"
    return f"/warden/{producer}"


def cloud_events(example: Example) -> list[CloudEvent]:
    made = []
    for index, raw in enumerate(example.events):
        event_type = str(raw.get("type") or example.rule.on)
        moment = _wire(raw["time"])
        made.append(
            CloudEvent(
                id=str(raw.get("id") or f"e{index + 1}"),
                type=event_type,
                source=str(raw.get("source") or _source(event_type)),
                subject=str(raw["subject"]),
                time=parse_time(moment),
                data=_wire(raw["data"]),
            )
        )
    return made


def run(example: Example, engine: Engine, ladder: Ladder = DEFAULT_LADDER) -> list[Case]:
    """Judge the example's events in order with its rule alone; the cases they opened."""
    judge = Judge(engine, RuleEngine([example.rule]), ladder=ladder)
    opened: list[Case] = []
    for offset, event in enumerate(cloud_events(example)):
        opened.extend(judge.handle(event, "examples", 0, offset).cases)
    return opened


def _differences(case: Case, expected: dict[str, Any]) -> list[str]:
    problems = []
    (finding,) = case.findings
    if case.employee_id != expected["employee"]:
        problems.append(f"employee {case.employee_id!r}, expected {expected['employee']!r}")
    for reason in expected.get("reasons") or ():
        if reason not in finding.explanation:
            problems.append(f"explanation lacks {reason!r}:\n{finding.explanation}")
    if "sanction" in expected and str(case.proposed) != expected["sanction"]:
        problems.append(f"sanction {case.proposed}, expected {expected['sanction']}")
    flags = sorted(f for f in FLAGS if getattr(case, f))
    if "flags" in expected and flags != sorted(expected["flags"]):
        problems.append(f"flags {flags}, expected {sorted(expected['flags'])}")
    missing = set(expected.get("events") or ()) - set(finding.event_ids)
    if missing:
        problems.append(f"evidence lacks {sorted(missing)} (has {list(finding.event_ids)})")
    return problems


def check(example: Example, cases: list[Case]) -> list[str]:
    """What differs between the cases an example opened and those it expects ([] if none)."""
    if len(cases) != len(example.expect):
        found = "\n".join(c.findings[0].explanation for c in cases)
        return [f"{len(cases)} finding(s), expected {len(example.expect)}:\n{found}"]
    problems = []
    for index, (case, expected) in enumerate(zip(cases, example.expect, strict=True)):
        problems += [f"finding {index + 1}: {p}" for p in _differences(case, expected)]
    return problems


def run_all(examples: Iterable[Example], ladder: Ladder = DEFAULT_LADDER) -> list[Outcome]:
    """Every example judged on its own scratch database, in the order given. An example whose
    events cannot be judged at all (a bad time, a missing subject) fails with the error."""
    outcomes = []
    for example in examples:
        engine = scratch_database()
        try:
            problems = check(example, run(example, engine, ladder))
        except (KeyError, TypeError, ValueError) as exc:
            problems = [f"could not be judged: {type(exc).__name__}: {exc}"]
        finally:
            engine.dispose()
        outcomes.append(Outcome(example, tuple(problems)))
    return outcomes
