"""The token signing secret: one shorter than 32 bytes or a known placeholder is refused at
start-up naming where it came from; a generated one is written 0600 in a 0700 folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from warden.cli import main
from warden.platform.auth import WeakSecret, secret_for

ROOT = Path(__file__).resolve().parents[3]


def deploy_secret() -> str:
    (doc,) = yaml.safe_load_all((ROOT / "deploy/k8s/secret.yaml").read_text())
    return str(doc["stringData"]["WARDEN_AUTH_SECRET"])


def test_a_configured_secret_shorter_than_32_bytes_is_refused_naming_the_setting(
    tmp_path: Path,
) -> None:
    with pytest.raises(WeakSecret) as refused:
        secret_for(tmp_path, "s3cr3t-but-only-24-bytes")
    assert str(refused.value).startswith(
        "WARDEN_AUTH_SECRET: the token signing secret has 24 bytes, at least 32 are needed"
    )


@pytest.mark.parametrize(
    "placeholder",
    ["CHANGE-ME", "change-me-laptop-only", "Change-Me-Please-This-Is-Long-Enough-To-Pass", "x"],
)
def test_the_placeholders_deploy_once_shipped_are_refused(tmp_path: Path, placeholder: str) -> None:
    with pytest.raises(WeakSecret, match="^WARDEN_AUTH_SECRET: "):
        secret_for(tmp_path, placeholder)


def test_the_deploy_manifests_value_is_refused_until_replaced(tmp_path: Path) -> None:
    with pytest.raises(WeakSecret, match="is a placeholder; generate one with"):
        secret_for(tmp_path, deploy_secret())


def test_an_empty_or_short_secret_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "auth.secret").write_text("")
    with pytest.raises(WeakSecret) as refused:
        secret_for(tmp_path, "")
    assert str(refused.value).startswith(f"{tmp_path / 'auth.secret'}: the token signing secret")


def test_a_long_random_secret_is_accepted(tmp_path: Path) -> None:
    assert secret_for(tmp_path, " " + "k" * 16 + "Q9z-" * 5 + "\n") == "k" * 16 + "Q9z-" * 5


def test_the_generated_secret_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    secret = secret_for(data, "")
    assert len(secret.encode()) >= 32 and secret_for(data, "") == secret
    assert stat.S_IMODE((data / "auth.secret").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert [p.name for p in data.iterdir()] == ["auth.secret"]  # no temporary file left


@pytest.mark.parametrize("service", ["sales", "aftersales", "compliance"])
def test_warden_serve_refuses_a_weak_secret_before_making_its_database(
    service: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WARDEN_KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv("WARDEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WARDEN_AUTH_SECRET", "change-me-laptop-only")
    assert main(["serve", service]) == 1
    err = capsys.readouterr().err
    assert "error: WARDEN_AUTH_SECRET: the token signing secret is a placeholder" in err
    assert "Traceback" not in err
    assert not (tmp_path / f"{service}.db").exists()
