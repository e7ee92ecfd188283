"""The console's read-only rule catalogue pages on real databases: versions, modes and finding
counts per rule, the latest changes, and what a shadow version flagged without opening cases
(customers' personal data masked for officers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.integration.compliance.test_rule_catalogue import AT, expense, gift
from tests.integration.review.test_console_requests import SECRET, call, session
from warden.compliance.judging.judge import Judge
from warden.compliance.review.cases import Review
from warden.compliance.rules import catalogue
from warden.compliance.rules.catalogue import RuleCatalog
from warden.compliance.storage import schema
from warden.console.app import Console
from warden.platform.db import make_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


def test_the_rules_page_shows_versions_modes_counts_and_the_shadow_findings(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        catalogue.publish(conn, [gift(1, 20_000)], "ops", AT)
        catalogue.publish(conn, [gift(2, 10_000)], "ops", AT)
        catalogue.activate(conn, "gift-above-threshold", 1, "ops", AT, reason="baseline")
        catalogue.activate(conn, "gift-above-threshold", 2, "ops", AT, shadow=True, reason="try")
    judge = Judge.from_catalogue(engine, Path("/nonexistent"))
    judge.handle(expense(1, 15_000), "sales.events", 0, 1)  # shadow only
    judge.handle(expense(2, 25_000), "sales.events", 0, 2)  # both
    console = Console(Review(engine), SECRET, catalog=RuleCatalog(engine))
    token = session(console, "olivia", "officer")

    status, page, _ = call(console, "GET", "/rules", token)
    assert status.startswith("200") and '<a href="/rules">Rules</a>' in page
    row = page.split('<a href="/rules/gift-above-threshold">')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[0:6] == ["4.1.1", cells[1], "v1", "1", "v2", "2"]
    assert cells[6] == "v1, v2"
    assert 'id="generation">2<' in page
    assert "v2 shadow</td><td>ops</td><td>try" in page

    status, page, _ = call(console, "GET", "/rules/gift-above-threshold", token)
    assert status.startswith("200")
    shadowed = page.split('<ol id="shadow">')[1].split("</ol>")[0]
    assert shadowed.count("<li>") == 2
    assert shadowed.index("x-2") < shadowed.index("x-1")  # newest first
    assert "gift-above-threshold v2" in shadowed and "100.00 EUR" in shadowed
    # An officer reads the shadow explanations with the customer and the description masked.
    assert "customer: C***7" in shadowed and "description: a***h" in shadowed
    assert "C-7" not in shadowed and "a watch" not in shadowed
    admin = session(console, "root", "admin")
    _, page, _ = call(console, "GET", "/rules/gift-above-threshold", admin)
    assert "customer: C-7" in page and "description: a watch" in page

    status, page, _ = call(console, "GET", "/rules/no-such-rule", token)
    assert status.startswith("404") and "No rule no-such-rule" in page
