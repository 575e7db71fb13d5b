"""Bar charts drawn on the server as SVG: no script, no library, no CDN.

Each chart is read without colour: every series has its own pattern (solid, hatched,
dotted) named in a legend, every bar carries its value in words beside it, and the page
prints the same numbers in a table next to the chart (the SVG is an image with a title
and a description; the table is what a screen reader reads). Bars are horizontal, so a
label stays legible on a 360 px screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Geometry, in the SVG's own units (it scales to the width of its box).
WIDTH = 400
LABEL_WIDTH = 150
VALUE_WIDTH = 80
BAR_HEIGHT = 16
ROW_GAP = 8
LEGEND_HEIGHT = 24
FONT_SIZE = 12
LABEL_CHARACTERS = 18

# Dark enough on white for 3:1 (WCAG 1.4.11) and told apart by their pattern anyway.
INK = "#1d3f66"
PATTERNS = ("solid", "hatched", "dotted")

Number = int | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _defs(chart_id: str) -> SafeString:
    return format_html(
        '<defs><pattern id="{0}-hatched" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<rect width="3" height="6" fill="{1}"/></pattern>'
        '<pattern id="{0}-dotted" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.6"'
        ' fill="{1}"/></pattern></defs>',
        chart_id,
        INK,
    )


def _fill(chart_id: str, index: int) -> str:
    pattern = PATTERNS[index % len(PATTERNS)]
    return INK if pattern == "solid" else f"url(#{chart_id}-{pattern})"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    show: Callable[[Number], str] = str,
    maximum: Number | None = None,
) -> SafeString:
    """An SVG of horizontal bars, one group per label, one bar per series."""
    largest = (
        maximum
        if maximum is not None
        else max((value for each in series for value in each.values), default=0)
    )
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / float(largest) if largest else 0.0
    group = len(series) * BAR_HEIGHT + ROW_GAP
    top = LEGEND_HEIGHT if len(series) > 1 else 4
    height = top + group * len(labels) + 4
    parts: list[SafeString] = []
    if len(series) > 1:
        parts.append(
            format_html_join(
                "",
                '<rect x="{}" y="4" width="14" height="14" fill="{}" stroke="{}"/>'
                '<text x="{}" y="15" font-size="{}">{}</text>',
                (
                    (
                        index * 150,
                        _fill(chart_id, index),
                        INK,
                        index * 150 + 18,
                        FONT_SIZE,
                        each.name,
                    )
                    for index, each in enumerate(series)
                ),
            )
        )
    for row, label in enumerate(labels):
        y = top + row * group
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 6,
                y + group / 2,
                FONT_SIZE,
                _short(label),
            )
        )
        for index, each in enumerate(series):
            value = each.values[row]
            length = max(float(value) * scale, 0.0)
            bar_y = y + index * BAR_HEIGHT
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>'
                    '<text x="{}" y="{}" font-size="{}">{}</text>',
                    LABEL_WIDTH,
                    bar_y,
                    f"{length:.1f}",
                    BAR_HEIGHT - 2,
                    _fill(chart_id, index),
                    INK,
                    f"{LABEL_WIDTH + length + 4:.1f}",
                    bar_y + BAR_HEIGHT - 4,
                    FONT_SIZE,
                    show(value),
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}"'
        ' role="img" aria-labelledby="{}-title {}-desc" font-family="sans-serif"'
        ' fill="#1a1a1a"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        "{}{}</svg>",
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        _defs(chart_id),
        format_html_join("", "{}", ((part,) for part in parts)),
    )
