"""The `warden aftersales` verbs (none yet)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this service's verbs to the `warden` command."""
