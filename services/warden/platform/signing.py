"""Ed25519 signatures on what others must be able to trust: HR decisions and audit anchors.

The signature travels in the CloudEvents extension attribute `wardensignature`: base64url
(no padding) of Ed25519 over the event's canonical bytes, which are the JSON object of the
structured-mode event without that attribute, keys sorted at every level, no whitespace,
UTF-8 (RFC 8785 for these events, which carry no floating-point numbers). `wardenkeyid` names
the key: the first 16 hex digits of the sha256 of its raw 32-byte public key. The private key
lives outside the database (a file, e.g. a mounted secret), so that whoever can write the
database or the topic cannot sign."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from warden.platform.cloudevents import CloudEvent

SIGNATURE = "wardensignature"
KEY_ID = "wardenkeyid"
DEFAULT_KEY_FILE = "signing.key"


class BadSignature(ValueError):
    """The record is not signed by the key it is checked against; the message says why."""


def canonical(doc: dict[str, Any]) -> bytes:
    """The bytes signed: the event's JSON object without its signature, canonical."""
    unsigned = {k: v for k, v in doc.items() if k != SIGNATURE}
    text = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True)
class Signer:
    """Signs events with the deployment's private key."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, event: CloudEvent) -> CloudEvent:
        """The event with its key id and signature attributes."""
        named = replace(event, extensions={**event.extensions, KEY_ID: self.key_id})
        signature = self.private.sign(canonical(named.to_dict()))
        return replace(named, extensions={**named.extensions, SIGNATURE: _b64(signature)})

    def sign_doc(self, doc: dict[str, Any]) -> dict[str, Any]:
        """An event's JSON object (as read back from an outbox row) signed as `sign` signs."""
        named = {**doc, KEY_ID: self.key_id}
        return {**named, SIGNATURE: _b64(self.private.sign(canonical(named)))}

    def verifier(self) -> Verifier:
        return Verifier(self.public)


@dataclass(frozen=True)
class Verifier:
    """Checks records against one public key (an HR system holds only this)."""

    public: Ed25519PublicKey

    @classmethod
    def from_pem(cls, pem: bytes) -> Verifier:
        try:
            key = serialization.load_pem_public_key(pem)
        except ValueError as exc:
            raise ValueError(f"not a PEM public key: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return cls(key)

    def check(self, raw: bytes | None) -> dict[str, Any]:
        """The record's JSON object when its signature holds; BadSignature saying why not."""
        try:
            doc = json.loads(raw or b"")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadSignature("not JSON") from None
        if not isinstance(doc, dict):
            raise BadSignature("not a JSON object")
        signature = doc.get(SIGNATURE)
        if not isinstance(signature, str) or not signature:
            raise BadSignature(f"no {SIGNATURE} attribute: unsigned")
        try:
            self.public.verify(_unb64(signature), canonical(doc))
        except (InvalidSignature, ValueError):
            raise BadSignature(
                f"{SIGNATURE} does not verify with key {key_id(self.public)}"
            ) from None
        return doc


def load_signer(data_dir: Path, key_file: Path | str = "") -> Signer:
    """The signing key: the configured PEM file (it must exist), else `signing.key` under
    data_dir, generated once with mode 0600."""
    if str(key_file):
        path = Path(key_file)
        if not path.is_file():
            raise OSError(f"WARDEN_SIGNING_KEY_FILE={path}: no such file")
    else:
        path = data_dir / DEFAULT_KEY_FILE
        if not path.exists():
            _generate(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise OSError(f"{path}: not a PEM private key without a password") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise OSError(f"{path}: not an Ed25519 private key")
    return Signer(key)


def _generate(path: Path) -> None:
    """Write a new key beside `path`, 0600 before any byte, and move it in unless another
    process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    candidate = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    candidate.touch(mode=0o600)
    candidate.write_bytes(pem)
    try:
        candidate.rename(path) if not path.exists() else candidate.unlink()
    except OSError:
        candidate.unlink(missing_ok=True)
