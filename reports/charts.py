"""Charts drawn on the server as SVG, for the PDFs (WeasyPrint runs no JavaScript).

The screens draw the same chart data with Chart.js (static/js/charts); here the
same figures become plain SVG: grouped bars, stacked bars, horizontal bars, and
bars with a line on a second axis.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ("#1f5f8b", "#d9822b", "#3b8c4a", "#b33a3a", "#7a5ea8", "#8c6d31", "#2b8c8c", "#555555")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 16, 86


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _text(x, y, content, *, anchor="middle", size=10, rotate=None, fill="#222") -> str:
    transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate is not None else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            f' font-family="DejaVu Sans, sans-serif"{transform}>{escape(str(content))}</text>')


def _legend(series: list[dict], y: float) -> list[str]:
    parts, x = [], LEFT
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        label = str(one["label"])[:40]
        if one.get("kind") == "line":
            parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 14}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="14" height="10" fill="{colour}"/>')
        parts.append(_text(x + 18, y, label, anchor="start", size=9))
        x += 30 + 6 * len(label)
        if x > WIDTH - 120:
            x, y = LEFT, y + 14
    return parts


def _axis(low: float, high: float, *, x: float, right: bool = False) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for step in range(5):
        value = low + (high - low) * step / 4
        y = TOP + plot_h - plot_h * step / 4
        if not right:
            parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>')
        label = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        parts.append(_text(x, y + 3, label, anchor="start" if right else "end", size=8))
    return parts


def _vertical(chart: dict) -> list[str]:
    labels, series = chart["labels"], chart["series"]
    bars = [s for s in series if s.get("kind") != "line"]
    lines = [s for s in series if s.get("kind") == "line"]
    stacked = chart["type"] in ("stacked", "bar_line")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if stacked:
        high = max([sum(max(_num(s["values"][i]), 0) for s in bars) for i in range(len(labels))] or [0])
        low = min([sum(min(_num(s["values"][i]), 0) for s in bars) for i in range(len(labels))] or [0])
    else:
        values = [_num(v) for s in bars for v in s["values"]]
        high, low = max(values + [0]), min(values + [0])
    high = _nice_max(high)
    low = -_nice_max(-low) if low < 0 else 0.0
    span = high - low or 1

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / span * plot_h

    parts = _axis(low, high, x=LEFT - 4)
    slot = plot_w / max(len(labels), 1)
    group_w = slot * 0.8
    bar_w = group_w if stacked else group_w / max(len(bars), 1)
    for i, label in enumerate(labels):
        x0 = LEFT + i * slot + slot * 0.1
        base_pos = base_neg = 0.0
        for j, one in enumerate(bars):
            value = _num(one["values"][i]) if i < len(one["values"]) else 0.0
            colour = COLOURS[series.index(one) % len(COLOURS)]
            if stacked and value >= 0:
                top, bottom = y_of(base_pos + value), y_of(base_pos)
                base_pos += value
                x = x0
            elif stacked:
                top, bottom = y_of(base_neg), y_of(base_neg + value)
                base_neg += value
                x = x0
            else:
                top, bottom = (y_of(value), y_of(0)) if value >= 0 else (y_of(0), y_of(value))
                x = x0 + j * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{min(top, bottom):.1f}" width="{max(bar_w - 1, 1):.1f}" '
                         f'height="{abs(bottom - top):.1f}" fill="{colour}"/>')
        if len(labels) <= 40 or i % max(1, len(labels) // 20) == 0:
            parts.append(_text(x0 + group_w / 2, HEIGHT - BOTTOM + 12, str(label)[:22],
                               anchor="end" if len(labels) > 8 else "middle", size=8,
                               rotate=-40 if len(labels) > 8 else None))
    parts.append(f'<line x1="{LEFT}" y1="{y_of(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y_of(0):.1f}" stroke="#444" stroke-width="0.8"/>')
    if lines:
        line_values = [_num(v) for s in lines for v in s["values"]]
        line_high = _nice_max(max(line_values + [0]))
        parts += _axis(0, line_high, x=WIDTH - RIGHT + 4, right=True)
        for one in lines:
            colour = COLOURS[series.index(one) % len(COLOURS)]
            points = " ".join(
                f"{LEFT + i * slot + slot / 2:.1f},{TOP + plot_h - _num(v) / line_high * plot_h:.1f}"
                for i, v in enumerate(one["values"])
            )
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
    parts += _legend(series, HEIGHT - 14)
    return parts


def _horizontal(chart: dict) -> list[str]:
    labels, series = chart["labels"], chart["series"]
    values = [_num(v) for v in (series[0]["values"] if series else [])]
    high = _nice_max(max(values + [0]))
    left = 200
    row = (HEIGHT - TOP - 30) / max(len(labels), 1)
    parts = []
    for i, label in enumerate(labels):
        y = TOP + i * row
        width = (WIDTH - left - 40) * (values[i] / high if high else 0)
        parts.append(_text(left - 6, y + row * 0.65, str(label)[:34], anchor="end", size=8))
        parts.append(f'<rect x="{left}" y="{y + row * 0.15:.1f}" width="{width:.1f}" height="{row * 0.7:.1f}" fill="{COLOURS[0]}"/>')
        parts.append(_text(left + width + 4, y + row * 0.65, f"{values[i]:,.1f}".rstrip("0").rstrip("."), anchor="start", size=8))
    return parts


def svg(chart: dict) -> str:
    """The chart as an inline SVG element, with its title."""
    parts = _horizontal(chart) if chart["type"] == "hbar" else _vertical(chart)
    unit = f" ({escape(chart['unit'])})" if chart.get("unit") else ""
    body = "".join(parts)
    return mark_safe(
        f'<figure class="chart"><figcaption>{escape(chart["title"])}{unit}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(chart["title"])}">{body}</svg></figure>'
    )
