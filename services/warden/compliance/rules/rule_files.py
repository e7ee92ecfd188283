"""Rule files as publication sends them: their texts, fingerprints and parsed rules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from warden.compliance.domain.findings import Rule
from warden.compliance.rules.ladder_file import LADDER_FILE
from warden.compliance.rules.reading import RuleBookInvalid, RuleFileError
from warden.compliance.rules.rulebook import defined_twice, parse_rule
from warden.errors import InvalidArgument


@dataclass(frozen=True)
class RuleFile:
    """A rule file as sent for publication: where it came from and its text."""

    path: str
    text: str


def digest(text: str) -> str:
    """A published version's fingerprint: its whole text, comments included. A file whose
    version is published with another fingerprint is refused (`publish`)."""
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1024)
def parsed(text: str, source: str) -> Rule:
    """A stored or sent rule text parsed once: the judge re-reads the catalogue often."""
    return parse_rule(text, source)


def parse_files(files: Iterable[RuleFile]) -> list[Rule]:
    """Every rule of a candidate set, or RuleBookInvalid listing every bad file (file, line,
    reason), a rule id given twice included. The sanction ladder file is not a rule: skipped."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    for file in files:
        if Path(file.path).name == LADDER_FILE:
            continue
        try:
            rules.append(parsed(file.text, file.path))
        except RuleBookInvalid as invalid:
            errors.extend(invalid.errors)
    errors += defined_twice(rules, lambda rule: rule.rule_id)
    if errors:
        raise RuleBookInvalid(errors)
    if not rules:
        raise InvalidArgument("files", "no rule file given")
    return rules


def files_in(directory: Path) -> list[RuleFile]:
    """The rule files of a directory, as publication sends them."""
    return [
        RuleFile(str(path), path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("**/*.yaml"))
        if path.name != LADDER_FILE
    ]
