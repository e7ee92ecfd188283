"""Console sessions kept server-side in the compliance database: the cookie carries a random
id only, so logging out on one replica ends the session on all of them."""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from sqlalchemy import Engine, delete, insert, select

from warden.compliance.store import console_sessions
from warden.platform.auth import Identity, InvalidToken

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    """Opens, finds and ends console sessions; a session ends at its token's expiry at the
    latest. Only the id's hash is stored: a copy of the table opens no session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(self, identity: Identity) -> str:
        """A new session for `identity`, valid until its token expires; returns its id."""
        session_id = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                delete(console_sessions).where(console_sessions.c.expires_at <= int(time.time()))
            )
            conn.execute(
                insert(console_sessions).values(
                    id_hash=_hash(session_id),
                    subject=identity.subject,
                    roles=",".join(sorted(identity.roles)),
                    expires_at=identity.expires_at,
                )
            )
        return session_id

    def find(self, session_id: str, now: float | None = None) -> Identity:
        """The identity of a live session; InvalidToken saying why when there is none."""
        if not _SESSION_ID.match(session_id):
            raise InvalidToken("malformed session cookie")
        with self.engine.connect() as conn:
            row = conn.execute(
                select(console_sessions).where(console_sessions.c.id_hash == _hash(session_id))
            ).first()
        if row is None:
            raise InvalidToken("session ended or unknown")
        if (time.time() if now is None else now) >= row.expires_at:
            raise InvalidToken("session expired")
        return Identity(row.subject, frozenset(filter(None, row.roles.split(","))), row.expires_at)

    def end(self, session_id: str) -> None:
        """End the session (logging out): its cookie opens nothing any more, anywhere."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(console_sessions).where(console_sessions.c.id_hash == _hash(session_id))
            )
