"""The demo's last lines: where the officers' console is and how to log in to it."""

from __future__ import annotations

from warden.config import Settings
from warden.platform.auth import CONSOLE, OFFICER, issue_token, secret_for


def print_console_help(settings: Settings, officer: str) -> None:
    """Print how to browse the demo's cases in the console, with ready officer tokens."""
    secret = secret_for(settings.data_dir, settings.auth_secret)
    url = f"http://{settings.console_host}:{settings.console_port}/"
    print(
        "\nThe officers' console (queue, cases with evidence, decisions, records, overview):\n"
        f"  1. start the demo's stack again:  WARDEN_DATA_DIR={settings.data_dir} warden up\n"
        f"  2. open {url} and log in by pasting an officer token (valid 8 hours):\n"
        f"     {officer}: {issue_token(secret, officer, [OFFICER], audience=CONSOLE)}\n"
        f"     oscar.officer (a second officer, for four-eyes decisions): "
        f"{issue_token(secret, 'oscar.officer', [OFFICER], audience=CONSOLE)}\n"
        "  Or log in as a person: add an account with a password, then use the login form:\n"
        f"     WARDEN_DATA_DIR={settings.data_dir} warden users add NAME --role officer\n"
        "  More tokens: warden token issue --subject NAME --role officer --audience console "
        f"(with WARDEN_DATA_DIR={settings.data_dir}). See docs/officers.md."
    )
