"""Server-rendered SVG bar charts for the dashboard: plain rects and text, no JavaScript, no CDN.

Labels come from the database (unit names), so every text is escaped; the result is Markup only
because it was built from escaped parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

VALUE_WIDTH = 50
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 8
COLORS = {"primary": "#0d6efd", "success": "#198754", "info": "#0dcaf0", "secondary": "#6c757d"}


def _short(label: str, limit: int) -> str:
    """A label cut to fit the label column (the full text stays in the row's <title>)."""
    return label if len(label) <= limit else label[:limit - 1] + "…"


def bar_chart(items: Sequence[tuple[str, int | float]], *, title: str, color: str = "primary", width: int = 640,
              label_width: int = 210, empty: str = "Không có dữ liệu") -> Markup:
    """A horizontal bar chart of `items` ((label, value) pairs), one row each, scaled to the largest value.

    `width` is that of the drawing (it scales to its container); `label_width` that of the label column."""
    colour = COLORS.get(color, COLORS["primary"])
    bar_area = width - label_width - VALUE_WIDTH
    limit = max(4, label_width // 7)  # about 7 units per character at 12 px
    largest = max((value for _, value in items), default=0) or 1
    height = TOP * 2 + ROW_HEIGHT * max(len(items), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" class="report-chart" font-family="system-ui, sans-serif" '
             f'font-size="12"><title>{escape(title)}</title>']
    if not items:
        parts.append(f'<text x="{width / 2}" y="{TOP + 16}" text-anchor="middle" fill="#6c757d">'
                     f'{escape(empty)}</text>')
    for index, (label, value) in enumerate(items):
        y = TOP + index * ROW_HEIGHT
        length = round(bar_area * value / largest, 1) if value else 0
        parts.append(
            f'<g><title>{escape(label)}: {escape(value)}</title>'
            f'<text x="{label_width - 6}" y="{y + BAR_HEIGHT - 3}" text-anchor="end">'
            f'{escape(_short(label, limit))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}" rx="2"/>'
            f'<text x="{label_width + length + 4}" y="{y + BAR_HEIGHT - 3}">{escape(value)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped
