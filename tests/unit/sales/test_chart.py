"""The target-against-actual chart: bars in proportion, every number also in a table."""

from __future__ import annotations

import re

from warden.sales.edge.chart import HEIGHT, Row, bar_height, page


def test_bars_are_in_proportion_to_the_largest_value() -> None:
    assert bar_height(50, 200) == HEIGHT // 4
    assert bar_height(0, 200) == 0
    assert bar_height(10, 0) == 0


def test_the_page_shows_each_salespersons_target_signed_and_collected() -> None:
    html = page(
        "Team north, 2026-11",
        [Row("alice", 100_000, 28_500, 0), Row("bob <b>", None, 100_000, 50_000)],
        "EUR",
    )
    heights = {
        (m["cls"], m["who"]): int(m["h"])
        for m in re.finditer(
            r'<rect class="(?P<cls>\w+)"[^>]*height="(?P<h>\d+)"[^>]*><title>(?P<who>\S+)', html
        )
    }
    assert heights[("target", "alice")] == HEIGHT  # the largest value tops the axis
    assert heights[("signed", "alice")] == 28_500 * HEIGHT // 100_000
    assert heights[("target", "bob")] == 0  # no target set
    assert "<td>1,000.00 EUR</td><td>500.00 EUR</td>" in html  # bob's signed, collected
    assert "bob &lt;b&gt;" in html and "bob <b>" not in html
