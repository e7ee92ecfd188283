"""The shared SVG bar chart: one bar per category and series, heights in proportion to the
largest value, every text escaped, and the accessible title and description."""

from __future__ import annotations

import re

from warden.platform.charts import Series, bar_chart


def test_bars_are_one_per_category_and_series_in_proportion() -> None:
    svg = bar_chart(
        "c",
        "Opened",
        "per week",
        ["W1", "W2", "W3"],
        [Series("a", [4, 0, 2]), Series("b", [1, 3, 0])],
        "week",
        "count",
    )
    heights = [int(h) for h in re.findall(r'class="bar"[^>]* height="(\d+)"', svg)]
    assert len(heights) == 6
    tallest = max(heights)
    assert heights == [tallest, tallest // 4, 0, tallest * 3 // 4, tallest // 2, 0]
    assert (
        '<title id="c-title">Opened</title>' in svg and '<desc id="c-desc">per week</desc>' in svg
    )
    assert ">week</text>" in svg and ">count</text>" in svg


def test_every_text_is_escaped_and_an_empty_chart_has_no_bars() -> None:
    svg = bar_chart("x", "<b>", "<script>", ["<i>"], [Series("</svg>", [1])], "&", '"')
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert svg.count("</svg>") == 1
    empty = bar_chart("e", "t", "d", [], [], "x", "y")
    assert 'class="bar"' not in empty and empty.endswith("</svg>")
