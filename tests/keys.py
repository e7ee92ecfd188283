"""A signing key for tests, and its public half as the PEM file `--public-key` reads."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warden.platform.signing import Signer, public_pem

SIGNER = Signer(Ed25519PrivateKey.generate())


def public_key_file(directory: Path, signer: Signer = SIGNER) -> Path:
    path = directory / f"{signer.key_id}.pub.pem"
    path.write_text(public_pem(signer.public))
    return path
