"""`warden rules publish|activate|deactivate|list|history` against a running compliance service
(embedded broker, both databases): what an operator types and reads, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

# `service` is a fixture: imported to be used by name as a test's parameter.
from tests.integration.compliance.test_hot_activation import RULE, service  # noqa: F401
from tests.integration.compliance.test_rule_catalogue import gift
from warden.cli import main
from warden.config import Settings
from warden.platform.auth import ADMIN, OFFICER, issue_token, secret_for
from warden.platform.runtime import Runtime


def run(
    capsys: pytest.CaptureFixture[str], settings: Settings, runtime: Runtime, role: str, *argv: str
) -> tuple[int, str, str]:
    token = issue_token(secret_for(settings.data_dir, settings.auth_secret), "ops", [role], 600)
    verb, *rest = argv
    code = main(["rules", verb, "--address", runtime.address, "--token", token, *rest])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_operator_publishes_shadows_activates_and_rolls_back_a_rule_from_the_cli(
    service: tuple[Settings, Runtime],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, runtime = service
    candidate = tmp_path / "candidate"
    candidate.mkdir()
    (candidate / "gift.yaml").write_text(gift(2, 10_000).text)

    code, out, _ = run(capsys, settings, runtime, ADMIN, "publish", str(candidate))
    assert code == 0
    assert f"published  {RULE}@v2" in out and "1 new version(s), 0 already published" in out

    code, out, _ = run(capsys, settings, runtime, ADMIN, "activate", RULE, "2", "--shadow")
    assert code == 0 and f"{RULE}@v2 is in shadow" in out
    code, out, _ = run(capsys, settings, runtime, OFFICER, "list")
    (line,) = [row for row in out.splitlines() if row.startswith(RULE)]
    assert line.split()[1:6] == ["4.1.1", "v1", "v2", "0", "0"] and line.endswith("v1,v2")
    assert "1 rule(s): 1 active, 1 in shadow" in out

    code, out, _ = run(capsys, settings, runtime, ADMIN, "activate", RULE, "2", "--reason", "go")
    assert code == 0 and f"{RULE}@v2 is active" in out
    code, out, _ = run(capsys, settings, runtime, ADMIN, "activate", RULE, "1", "--reason", "back")
    assert code == 0 and f"{RULE}@v1 is active" in out
    code, out, _ = run(capsys, settings, runtime, OFFICER, "history", RULE)
    lines = out.splitlines()
    assert "v1 active" in lines[0] and "by ops  (back)" in lines[0]
    assert "v2 active" in lines[1] and "(go)" in lines[1]
    assert "v2 shadow" in lines[2]

    code, out, _ = run(capsys, settings, runtime, ADMIN, "deactivate", RULE, "--reason", "retire")
    assert code == 0 and f"{RULE}: active version switched off" in out
    code, out, _ = run(capsys, settings, runtime, OFFICER, "list")
    assert "1 rule(s): 0 active, 0 in shadow" in out


def test_the_cli_reports_refusals_and_changes_nothing(
    service: tuple[Settings, Runtime],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, runtime = service
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "gift.yaml").write_text(gift(2, 10_000).text.replace("on: warden", "onn: warden"))

    code, _, err = run(capsys, settings, runtime, ADMIN, "publish", str(broken))
    assert code == 1
    assert f"{broken / 'gift.yaml'}:11: unknown field 'onn' in the rule" in err
    assert "nothing published" in err

    code, _, err = run(capsys, settings, runtime, ADMIN, "activate", RULE, "2")
    assert code == 1 and f"error: NOT_FOUND: rule version '{RULE}@v2' not found" in err
    code, _, err = run(capsys, settings, runtime, OFFICER, "activate", RULE, "1", "--shadow")
    assert code == 1 and "error: PERMISSION_DENIED" in err

    code, out, _ = run(capsys, settings, runtime, OFFICER, "list")
    (line,) = [row for row in out.splitlines() if row.startswith(RULE)]
    assert line.split()[2:4] == ["v1", "-"] and line.endswith("v1")
    code, out, _ = run(capsys, settings, runtime, OFFICER, "history")
    assert len(out.splitlines()) == 1  # only the activation at start-up
