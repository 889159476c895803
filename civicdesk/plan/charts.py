"""A small server-rendered SVG trend chart (no JavaScript): bars for the actual figure of each period,
a line for the required level. Text alternatives: <title>/<desc> in the SVG and a data table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28


@dataclass(frozen=True)
class Point:
    label: str
    actual: Decimal | None
    required: Decimal | None
    status: str  # a Status value, used for the bar's class


def trend_svg(*, points: list[Point], title: str, description: str, chart_id: str) -> SafeString:
    values = [p.actual for p in points if p.actual is not None] + [p.required for p in points if p.required is not None]
    top = max([Decimal(1), *values])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_h - float(value / top) * plot_h, 1)

    parts = [
        (
            f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
            f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        ),
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="axis"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" class="tick">{_fmt(top)}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" class="tick">0</text>',
    ]
    line = []
    for index, point in enumerate(points):
        x = LEFT + index * step
        if point.actual is not None:
            bar_top = y(point.actual)
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{bar_top}" width="{step * 0.7:.1f}" '
                f'height="{TOP + plot_h - bar_top:.1f}" class="bar bar-{escape(point.status)}"/>'
            )
        if point.required is not None:
            line.append(f"{x + step * 0.5:.1f},{y(point.required)}")
        parts.append(
            f'<text x="{x + step * 0.5:.1f}" y="{HEIGHT - 10}" text-anchor="middle" class="tick">'
            f"{escape(point.label)}</text>"
        )
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" class="required" fill="none"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text inserted above is escaped)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"
