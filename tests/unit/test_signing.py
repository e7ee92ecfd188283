"""Ed25519 signatures on published events (platform/signing.py): what is signed, what a
verifier refuses, and where the key comes from."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warden.platform.cloudevents import CloudEvent
from warden.platform.kafka import TOPIC_CONFIGS
from warden.platform.signing import (
    KEY_ID,
    SIGNATURE,
    BadSignature,
    Signer,
    Verifier,
    canonical,
    load_signer,
    public_pem,
)
from warden.platform.topics import AUDIT_ANCHORS

SIGNER = Signer(Ed25519PrivateKey.generate())
EVENT = CloudEvent(
    type="warden.compliance.penalty.decided",
    source="/warden/compliance",
    subject="alice",
    data={"decision_id": "d-1", "outcome": "confirmed", "reason": "prix < plancher"},
    id="d-1",
    time=datetime(2026, 11, 2, 9, tzinfo=UTC),
)


def test_a_signed_event_verifies_with_the_public_key_alone() -> None:
    signed = SIGNER.sign(EVENT)
    verifier = Verifier.from_pem(public_pem(SIGNER.public).encode())
    doc = verifier.check(signed.to_bytes())
    assert doc["data"] == EVENT.data and doc[KEY_ID] == SIGNER.key_id


def test_the_signature_covers_the_canonical_bytes_whatever_the_spacing_or_key_order() -> None:
    doc = SIGNER.sign(EVENT).to_dict()
    respaced = json.dumps(dict(reversed(list(doc.items()))), indent=2).encode()
    assert SIGNER.verifier().check(respaced)["id"] == "d-1"
    assert canonical(doc) == canonical({k: v for k, v in doc.items() if k != SIGNATURE})


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d["data"].update(outcome="dismissed"), "does not verify"),
        (lambda d: d.update(id="d-2"), "does not verify"),
        (lambda d: d.update({KEY_ID: "0" * 16}), "does not verify"),
        (lambda d: d.pop(SIGNATURE), "unsigned"),
        (lambda d: d.update({SIGNATURE: "not base64 !"}), "does not verify"),
    ],
    ids=["data changed", "id changed", "key id changed", "no signature", "garbage signature"],
)
def test_a_changed_or_unsigned_event_is_refused(change, why) -> None:  # type: ignore[no-untyped-def]
    doc = SIGNER.sign(EVENT).to_dict()
    change(doc)
    with pytest.raises(BadSignature, match=why):
        SIGNER.verifier().check(json.dumps(doc).encode())


def test_an_event_signed_with_another_key_is_refused() -> None:
    other = Signer(Ed25519PrivateKey.generate())
    with pytest.raises(BadSignature, match=f"with key {SIGNER.key_id}"):
        SIGNER.verifier().check(other.sign(EVENT).to_bytes())


@pytest.mark.parametrize("raw", [None, b"", b"\x00 junk", b"[1, 2]"])
def test_bytes_that_are_no_json_object_are_refused(raw: bytes | None) -> None:
    with pytest.raises(BadSignature, match="not (a )?JSON"):
        SIGNER.verifier().check(raw)


def test_a_public_key_file_that_is_no_ed25519_key_is_refused() -> None:
    with pytest.raises(ValueError, match="not a PEM public key"):
        Verifier.from_pem(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


def test_the_default_key_is_generated_once_under_the_data_dir_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    first = load_signer(tmp_path)
    assert (tmp_path / "signing.key").stat().st_mode & 0o777 == 0o600
    assert load_signer(tmp_path).key_id == first.key_id
    assert load_signer(tmp_path / "elsewhere", tmp_path / "signing.key").key_id == first.key_id


def test_a_configured_key_file_that_is_missing_or_no_ed25519_key_is_refused(
    tmp_path: Path,
) -> None:
    with pytest.raises(OSError, match="WARDEN_SIGNING_KEY_FILE=.*: no such file"):
        load_signer(tmp_path, tmp_path / "absent.key")
    assert not (tmp_path / "signing.key").exists()  # nothing generated in its place
    (tmp_path / "bad.key").write_text("not a key")
    with pytest.raises(OSError, match="bad.key: not a PEM private key"):
        load_signer(tmp_path, tmp_path / "bad.key")
    public_only = tmp_path / "public.pem"
    public_only.write_text(public_pem(SIGNER.public))
    with pytest.raises(OSError, match="public.pem: not a PEM private key"):
        load_signer(tmp_path, public_only)


def test_the_anchors_topic_is_created_with_unlimited_retention() -> None:
    assert TOPIC_CONFIGS[AUDIT_ANCHORS]["retention.ms"] == "-1"
    assert TOPIC_CONFIGS[AUDIT_ANCHORS]["retention.bytes"] == "-1"
