"""The `warden users add|list|passwd|disable|enable` verbs: the console's local accounts, in
the compliance database. Passwords are read from a prompt or stdin, never from arguments
(which other users of the machine can read in the process list)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from warden.config import Settings
from warden.console.accounts import MIN_PASSWORD_CHARS, AccountError, Accounts
from warden.platform.auth import ROLES

_PASSWORD_HELP = (
    "read the password from the first line of stdin instead of prompting for it twice "
    "(for scripts: `printf '%%s\\n' \"$PW\" | warden users add ...`)"
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = sub.add_parser(
        "users",
        help="the console's local accounts: add, list, passwd, disable, enable",
        description="Officers log in to the web console with a local account (this command) "
        "or through OpenID Connect when WARDEN_OIDC_ISSUER is set (docs/operations.md). An "
        "account has a login name, the employee id its actions are recorded under, and roles; "
        f"its password (at least {MIN_PASSWORD_CHARS} characters) is stored as an Argon2id "
        "hash. Passwords are never taken from the command line. The verbs act on the "
        "compliance database directly (WARDEN_COMPLIANCE_DB_URL, else data_dir).",
    )
    verbs = users.add_subparsers(dest="users_command", required=True, metavar="VERB")
    # No abbreviations: `--password X` must not pass for --password-stdin.
    add = verbs.add_parser(
        "add", help="add an account (prompts for its password)", allow_abbrev=False
    )
    add.add_argument("username", help="the login name (case does not matter)")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=ROLES,
        help="a role of the account (repeat for several); the console takes officer and admin",
    )
    add.add_argument(
        "--employee-id",
        default="",
        help="the employee id its actions are recorded under (default: the username)",
    )
    add.add_argument("--password-stdin", action="store_true", help=_PASSWORD_HELP)
    add.set_defaults(func=cmd_add)
    verbs.add_parser("list", help="every account: employee id, roles, state").set_defaults(
        func=cmd_list
    )
    passwd = verbs.add_parser(
        "passwd", help="set an account's password (prompts for it)", allow_abbrev=False
    )
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help=_PASSWORD_HELP)
    passwd.set_defaults(func=cmd_passwd)
    for verb, text in (
        ("disable", "refuse the account's logins and end its console sessions"),
        ("enable", "let a disabled account log in again"),
    ):
        parser = verbs.add_parser(verb, help=text)
        parser.add_argument("username")
        parser.set_defaults(func=cmd_disable if verb == "disable" else cmd_enable)


def _accounts(settings: Settings) -> Accounts:
    from warden import migrations
    from warden.platform.db import make_engine

    engine = make_engine(settings.db_url("compliance"))
    migrations.ensure_current(engine, "compliance")
    return Accounts(engine)


def read_password(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> str:
    """The new password: stdin's first line with --password-stdin, else typed twice at a
    prompt. AccountError when there is no terminal to prompt on or the two differ."""
    stdin = stdin or sys.stdin
    if args.password_stdin:
        return stdin.readline().rstrip("\r\n")
    if not stdin.isatty():
        raise AccountError("no terminal to prompt for the password: pipe it with --password-stdin")
    first = prompt(f"Password for {args.username}: ")
    if prompt("Again: ") != first:
        raise AccountError("the two passwords differ; nothing changed")
    return first


def _run(action: Callable[[], str]) -> int:
    try:
        print(action())
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    def add() -> str:
        password = read_password(args)
        account = _accounts(settings).add(args.username, password, args.role, args.employee_id)
        roles = ", ".join(sorted(account.roles))
        return f"account {account.username} added: employee {account.employee_id}, {roles}"

    return _run(add)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings).list()
    print(f"{'username':<20} {'employee':<20} {'roles':<24} {'state':<9} changed")
    for a in accounts:
        state = "disabled" if a.disabled else "enabled"
        changed = a.changed_at.strftime("%Y-%m-%d %H:%M UTC")
        roles = ",".join(sorted(a.roles))
        print(f"{a.username:<20} {a.employee_id:<20} {roles:<24} {state:<9} {changed}")
    if not accounts:
        print("(no accounts: add one with `warden users add NAME --role officer`)")
    return 0


def cmd_passwd(args: argparse.Namespace, settings: Settings) -> int:
    def passwd() -> str:
        accounts = _accounts(settings)
        accounts.get(args.username)  # refuse an unknown name before asking for a password
        accounts.set_password(args.username, read_password(args))
        return f"password of {accounts.get(args.username).username} changed"

    return _run(passwd)


def cmd_disable(args: argparse.Namespace, settings: Settings) -> int:
    def disable() -> str:
        _accounts(settings).set_disabled(args.username, True)
        return f"account {args.username.strip().casefold()} disabled; its sessions ended"

    return _run(disable)


def cmd_enable(args: argparse.Namespace, settings: Settings) -> int:
    def enable() -> str:
        _accounts(settings).set_disabled(args.username, False)
        return f"account {args.username.strip().casefold()} enabled"

    return _run(enable)
