"""A shipped rule version never changes.

The catalogue refuses a rule file whose version is already published with another text
(`catalogue.publish`, by the digest of the whole text, comments included): a deployment that
published a version, then is given the same version with a comment changed, refuses to start
with "already published with other content". So every version shipped in `rules/` is recorded
in `published_rules.txt` with its digest. Changing a shipped file takes a new version number,
and a line for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.compliance.rules import rule_files

RULES = Path(__file__).resolve().parents[3] / "rules"
PUBLISHED = Path(__file__).with_name("published_rules.txt")


def recorded(text: str) -> dict[tuple[str, int], str]:
    versions: dict[tuple[str, int], str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rule_id, version, digest = line.split()
            assert (rule_id, int(version)) not in versions, f"recorded twice: {line}"
            versions[(rule_id, int(version))] = digest
    return versions


def unrecorded_or_changed(rules_dir: Path, published: dict[tuple[str, int], str]) -> list[str]:
    """What a release of `rules_dir` would break or leave unrecorded, in words."""
    files = rule_files.files_in(rules_dir)
    texts = {file.path: file.text for file in files}
    problems = []
    for rule in rule_files.parse_files(files):
        digest = rule_files.digest(texts[rule.source])
        known = published.get((rule.rule_id, rule.version))
        if known is None:
            problems.append(
                f"{rule.source}: {rule.key} is not in {PUBLISHED.name}; once shipped it must "
                f"never change: add the line '{rule.rule_id} {rule.version} {digest}'"
            )
        elif known != digest:
            problems.append(
                f"{rule.source}: {rule.key} was shipped with another text; a deployment that "
                "published it would refuse to start: restore it and give the change a new "
                "version number"
            )
    return problems


def test_every_shipped_rule_version_keeps_its_text() -> None:
    assert unrecorded_or_changed(RULES, recorded(PUBLISHED.read_text())) == []


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    source = RULES / "4.1.1" / "gift-above-threshold.yaml"
    (tmp_path / source.name).write_text(source.read_text())
    return tmp_path / source.name


def test_a_comment_changed_in_a_shipped_version_is_caught(shipped_copy: Path) -> None:
    shipped_copy.write_text(shipped_copy.read_text() + "# a harmless-looking comment\n")
    (problem,) = unrecorded_or_changed(shipped_copy.parent, recorded(PUBLISHED.read_text()))
    assert "gift-above-threshold@v1 was shipped with another text" in problem


def test_a_new_version_must_be_recorded(shipped_copy: Path) -> None:
    text = shipped_copy.read_text()
    assert "\nversion: 1\n" in text
    shipped_copy.write_text(text.replace("\nversion: 1\n", "\nversion: 99\n"))
    (problem,) = unrecorded_or_changed(shipped_copy.parent, recorded(PUBLISHED.read_text()))
    assert "gift-above-threshold@v99 is not in published_rules.txt" in problem
    assert f"'gift-above-threshold 99 {rule_files.digest(shipped_copy.read_text())}'" in problem
