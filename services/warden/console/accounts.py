"""The console's local accounts: a login name, the employee id and roles its sessions get,
and an Argon2id hash of the password (argon2-cffi), kept in the compliance database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from warden.compliance.storage.schema import console_accounts, console_sessions
from warden.people import person
from warden.platform.auth import ROLES

# Shorter passwords are refused when an account is added or its password changed.
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024


class AccountError(Exception):
    """An account cannot be added or changed as asked (the message says why)."""


class LoginRefused(Exception):
    """A login is refused; the message is what the person trying to log in is told."""


WRONG_PASSWORD = "wrong username or password"


@dataclass(frozen=True)
class Account:
    username: str
    employee_id: str
    roles: frozenset[str]
    disabled: bool
    created_at: datetime
    changed_at: datetime


def check_password(password: str) -> str:
    """`password` when it may be used; AccountError saying why not."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"the password must have at most {MAX_PASSWORD_CHARS} characters")
    return password


def check_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(r.strip() for r in roles if r.strip())
    if not chosen:
        raise AccountError(f"give at least one role (one of {', '.join(ROLES)})")
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        raise AccountError(f"unknown role(s) {', '.join(unknown)}: choose from {', '.join(ROLES)}")
    return chosen


def _username(name: str) -> str:
    username = person(name)
    if not username or any(c.isspace() or not c.isprintable() for c in username):
        raise AccountError(f"{name!r} is not a username: give one word without spaces")
    if len(username) > 200:
        raise AccountError("a username has at most 200 characters")
    return username


class Accounts:
    """Adds, lists, changes and checks console accounts. Login names are case-folded, so
    `Olivia` and `olivia` are one account."""

    def __init__(
        self,
        engine: Engine,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory parameters
        self.clock = clock
        self._decoy = ""

    def add(self, name: str, password: str, roles: Iterable[str], employee_id: str = "") -> Account:
        """A new enabled account; AccountError when the name is taken or an input is bad."""
        username = _username(name)
        chosen = check_roles(roles)
        employee = person(employee_id) or username
        now = self.clock()
        values = {
            "username": username,
            "employee_id": employee,
            "roles": ",".join(sorted(chosen)),
            "password_hash": self.hasher.hash(check_password(password)),
            "disabled": False,
            "created_at": now,
            "changed_at": now,
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(console_accounts).values(**values))
        except IntegrityError:
            raise AccountError(f"an account {username} exists already") from None
        return Account(username, employee, chosen, False, now, now)

    def list(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(console_accounts).order_by(console_accounts.c.username))
            return [_account(row) for row in rows]

    def get(self, name: str) -> Account:
        row = self._row(_username(name))
        if row is None:
            raise AccountError(f"no account {person(name)}")
        return _account(row)

    def set_password(self, name: str, password: str) -> None:
        self._change(name, password_hash=self.hasher.hash(check_password(password)))

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable or enable an account; disabling also ends its open console sessions."""
        self._change(name, disabled=disabled)
        if disabled:
            employee = self.get(name).employee_id
            with self.engine.begin() as conn:
                conn.execute(
                    update(console_sessions)
                    .where(console_sessions.c.subject == employee)
                    .values(ended=True)
                )

    def verify(self, name: str, password: str) -> Account:
        """The account whose password this is; LoginRefused otherwise. An unknown name and a
        wrong password get the same answer; a disabled account is named only to someone who
        knows its password."""
        username = person(name)
        row = self._row(username) if username else None
        try:
            self.hasher.verify(row.password_hash if row else self.decoy(), password)
        except (VerificationError, InvalidHashError):
            raise LoginRefused(WRONG_PASSWORD) from None
        if row is None:
            raise LoginRefused(WRONG_PASSWORD)
        if row.disabled:
            raise LoginRefused(
                f"account {username} is disabled; an administrator enables it with "
                f"`warden users enable {username}`"
            )
        if self.hasher.check_needs_rehash(row.password_hash):
            self._change(username, password_hash=self.hasher.hash(password))
        return _account(row)

    def decoy(self) -> str:
        """A hash verified against when the name is unknown, so that costs the same time."""
        if not self._decoy:
            self._decoy = self.hasher.hash("not the password of any account")
        return self._decoy

    def _row(self, username: str):  # type: ignore[no-untyped-def]
        with self.engine.connect() as conn:
            return conn.execute(
                select(console_accounts).where(console_accounts.c.username == username)
            ).first()

    def _change(self, name: str, **values: object) -> None:
        username = _username(name)
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(console_accounts)
                .where(console_accounts.c.username == username)
                .values(changed_at=self.clock(), **values)
            ).rowcount
        if not changed:
            raise AccountError(f"no account {username}")


def _account(row) -> Account:  # type: ignore[no-untyped-def]
    return Account(
        row.username,
        row.employee_id,
        frozenset(filter(None, row.roles.split(","))),
        row.disabled,
        row.created_at,
        row.changed_at,
    )
