"""Horizontal bar charts as inline SVG, drawn from a zero line so negative values (NPS) read right."""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or no answers, drawn as a note instead of a bar
    text: str
    n: int


def bar_chart(title: str, bars: list[Bar], low: float, high: float, width: int = 480) -> str:
    row, label_w, text_w = 24, 150, 110
    plot_w = width - label_w - text_w
    height = 30 + row * max(len(bars), 1)

    def x(v: float) -> float:
        return label_w + plot_w * (min(max(v, low), high) - low) / (high - low)

    zero = x(0 if low < 0 < high else low)
    parts = [f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>']
    for i, b in enumerate(bars):
        y = 24 + i * row
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(b.label)}</text>')
        if b.value is not None:
            left, right = sorted((zero, x(b.value)))
            colour = "#c0392b" if b.value < 0 else "#2e6fd8"
            parts.append(f'<rect x="{left:.1f}" y="{y + 3}" width="{max(right - left, 1):.1f}" height="{row - 8}" '
                         f'fill="{colour}"><title>{escape(b.label)}: {escape(b.text)} (n={b.n})</title></rect>')
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 15}" font-size="12" class="bar-value">'
                     f"{escape(b.text)}{'' if b.value is None else f' (n={b.n})'}</text>")
    if not bars:
        parts.append(f'<text x="{label_w}" y="40" font-size="12">no data yet</text>')
    parts.append(f'<line x1="{zero:.1f}" y1="22" x2="{zero:.1f}" y2="{height - 4}" stroke="#667"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')
