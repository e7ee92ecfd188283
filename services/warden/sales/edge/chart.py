"""Target against actual per salesperson as a self-contained HTML page with an inline SVG bar
chart: no plotting dependency, opens in any browser, diffable as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_W, GAP, GROUP_GAP, HEIGHT, LEFT, TOP, BOTTOM = 22, 4, 36, 260, 70, 30, 60
SERIES = (("target", "#9aa5b1"), ("signed", "#2f6fdf"), ("collected", "#27a567"))


@dataclass(frozen=True)
class Row:
    name: str
    target_minor: int | None
    signed_minor: int
    collected_minor: int

    def values(self) -> tuple[int, int, int]:
        return (self.target_minor or 0, self.signed_minor, self.collected_minor)


def money(minor: int, currency: str) -> str:
    units, cents = divmod(abs(minor), 100)
    return f"{'-' if minor < 0 else ''}{units:,}.{cents:02d} {currency}"


def bar_height(value: int, top_value: int) -> int:
    """Pixels for `value` on an axis whose top is `top_value` (integer arithmetic)."""
    return value * HEIGHT // top_value if top_value > 0 else 0


def svg(rows: Sequence[Row], currency: str) -> str:
    top_value = max((v for row in rows for v in row.values()), default=0)
    group_w = len(SERIES) * (BAR_W + GAP) + GROUP_GAP
    width = LEFT + max(len(rows), 1) * group_w + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{TOP + HEIGHT + BOTTOM}" role="img" font-family="sans-serif" font-size="11">',
        f'<line x1="{LEFT - 4}" y1="{TOP + HEIGHT}" x2="{width}" y2="{TOP + HEIGHT}" '
        'stroke="#333"/>',
        f'<text x="4" y="{TOP + 4}">{escape(money(top_value, currency))}</text>',
    ]
    for i, row in enumerate(rows):
        x0 = LEFT + i * group_w
        for j, ((label, colour), value) in enumerate(zip(SERIES, row.values(), strict=True)):
            h = bar_height(value, top_value)
            x = x0 + j * (BAR_W + GAP)
            parts.append(
                f'<rect class="{label}" x="{x}" y="{TOP + HEIGHT - h}" width="{BAR_W}" '
                f'height="{h}" fill="{colour}"><title>{escape(row.name)} {label}: '
                f"{escape(money(value, currency))}</title></rect>"
            )
        parts.append(f'<text x="{x0}" y="{TOP + HEIGHT + 16}">{escape(row.name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def page(title: str, rows: Sequence[Row], currency: str) -> str:
    """The whole HTML page: a legend, the chart, and the same numbers as a table."""
    legend = " ".join(
        f'<span style="color:{colour}">&#9632;</span> {label}' for label, colour in SERIES
    )
    table = "\n".join(
        f"<tr><td>{escape(r.name)}</td>"
        + "".join(f"<td>{escape(money(v, currency))}</td>" for v in r.values())
        + "</tr>"
        for r in rows
    )
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '</head>\n<body style="font-family:sans-serif">\n'
        f"<h1>{escape(title)}</h1>\n<p>{legend}</p>\n{svg(rows, currency)}\n"
        '<table border="1" cellpadding="4"><tr><th>salesperson</th><th>target</th>'
        f"<th>signed</th><th>collected</th></tr>\n{table}\n</table>\n</body></html>\n"
    )
