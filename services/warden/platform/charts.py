"""Server-rendered SVG bar charts: no script (the console's CSP allows none), no plotting
dependency, readable by screen readers through <title> and <desc>, and the same numbers
as the table beside them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2f6fdf", "#27a567", "#e08a1e", "#9b59b6", "#b3261e", "#16a2b8", "#7f8c8d", "#c2185b")
HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 220, 64, 34, 74, 16


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""  # empty: the palette's by position

    def colour_at(self, position: int) -> str:
        return self.colour or PALETTE[position % len(PALETTE)]


def _plain(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    fmt: Callable[[float], str] = _plain,
) -> str:
    """Grouped bars: one group per category, one bar (class "bar") per series in each group,
    a zero-height bar for a zero; each bar's <title> names its category, series and value."""
    bars_per_group = max(len(series), 1)
    bar_w = max(min(28, 240 // (bars_per_group * max(len(categories), 1)) + 6), 6)
    group_w = bars_per_group * bar_w + 14
    width = LEFT + max(len(categories), 1) * group_w + RIGHT
    top_value = max((v for s in series for v in s.values), default=0)
    base = TOP + HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" '
        f'width="{width}" height="{base + BOTTOM}" viewBox="0 0 {width} {base + BOTTOM}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'font-family="sans-serif" font-size="11">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{width - RIGHT}" y2="{base}" stroke="#333"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape(fmt(top_value))}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end">{escape(fmt(0))}</text>',
        f'<text class="axis-label" transform="translate(14 {TOP + HEIGHT // 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>',
        f'<text class="axis-label" x="{LEFT + (width - LEFT - RIGHT) // 2}" '
        f'y="{base + BOTTOM - 6}" text-anchor="middle">{escape(x_label)}</text>',
    ]
    for i, category in enumerate(categories):
        x0 = LEFT + 8 + i * group_w
        for j, one in enumerate(series):
            value = one.values[i]
            h = round(value * HEIGHT / top_value) if top_value > 0 else 0
            colour = one.colour_at(j)
            parts.append(
                f'<rect class="bar" data-series="{escape(one.name)}" '
                f'data-category="{escape(category)}" data-value="{value:g}" '
                f'x="{x0 + j * bar_w}" y="{base - h}" width="{bar_w - 2}" height="{h}" '
                f'fill="{colour}"><title>{escape(category)}, {escape(one.name)}: '
                f"{escape(fmt(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{x0}" y="{base + 14}" transform="rotate(30 {x0} {base + 14})">'
            f"{escape(category)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def legend(series: Sequence[Series]) -> str:
    """The series' colours as HTML, for beside a chart."""
    return " ".join(
        f'<span class="key"><span style="color:{s.colour_at(j)}">&#9632;</span> '
        f"{escape(s.name)}</span>"
        for j, s in enumerate(series)
    )
