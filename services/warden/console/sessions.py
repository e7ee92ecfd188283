"""Console sessions kept server-side in the compliance database: the cookie carries a random
id only, so logging out on one replica ends the session on all of them, and the token that
opened it cannot open another."""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from sqlalchemy import Engine, delete, insert, select, update

from warden.compliance.storage.schema import console_sessions
from warden.platform.auth import Identity, InvalidToken

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Sessions:
    """Opens, finds and ends console sessions; a session ends at its token's expiry at the
    latest. Only hashes of the id and the token are stored: a copy of the table opens no
    session. An ended session's row stays until its token expires, to refuse that token."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(self, identity: Identity, token: str | None = None) -> str:
        """A new session for `identity`, valid until `identity.expires_at`; returns its id.
        InvalidToken when the token's session was logged out. A login without a token (a
        password, OpenID Connect) stands for one of its own, so its logout ends it alone."""
        session_id = secrets.token_urlsafe(32)
        token = secrets.token_urlsafe(32) if token is None else token
        table = console_sessions.c
        with self.engine.begin() as conn:
            conn.execute(delete(console_sessions).where(table.expires_at <= int(time.time())))
            ended = conn.execute(
                select(table.id_hash).where(table.token_hash == _hash(token), table.ended)
            ).first()
            if ended is not None:
                raise InvalidToken("this token was logged out; issue a new one")
            conn.execute(
                insert(console_sessions).values(
                    id_hash=_hash(session_id),
                    token_hash=_hash(token),
                    subject=identity.subject,
                    roles=",".join(sorted(identity.roles)),
                    expires_at=identity.expires_at,
                    ended=False,
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
        if row is None or row.ended:
            raise InvalidToken("session ended or unknown")
        if (time.time() if now is None else now) >= row.expires_at:
            raise InvalidToken("session expired")
        return Identity(row.subject, frozenset(filter(None, row.roles.split(","))), row.expires_at)

    def end(self, session_id: str) -> None:
        """Log out: this session and every other the same token opened end, everywhere."""
        table = console_sessions.c
        with self.engine.begin() as conn:
            token_hash = conn.execute(
                select(table.token_hash).where(table.id_hash == _hash(session_id))
            ).scalar()
            conn.execute(
                update(console_sessions).where(table.token_hash == token_hash).values(ended=True)
            )
