"""Server-rendered charts: the geometry of a bar chart, computed here, drawn as SVG by the
template `includes/bar_chart.html`. No script, no inline style: series are told apart by
CSS classes and by the data table every chart comes with (colour is never the only signal).
"""

from dataclasses import dataclass, field
from math import ceil, floor, log10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    series: int
    title: str


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str


@dataclass
class BarChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    maximum: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[XLabel] = field(default_factory=list)
    series_names: list[str] = field(default_factory=list)
    markers: list[XLabel] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.maximum == 0


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (1 for nothing at all)."""
    if value <= 0:
        return 1
    magnitude = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart(
    labels: list[str],
    series: list[tuple[str, list[float]]],
    *,
    unit: str = "",
    width: int = 720,
    height: int = 220,
    max_labels: int = 8,
    markers: dict[int, str] | None = None,
) -> BarChart:
    """Stacked bars, one column per label, one segment per series.

    `series` is [(name, values)], each with one value per label. `markers` puts a labelled
    line above the column at an index (a phase change, say).
    """
    left, right, top, bottom = 40, 32, 12, 28
    chart = BarChart(
        width=width,
        height=height,
        plot_top=top,
        plot_bottom=height - bottom,
        plot_left=left,
        plot_right=width - right,
        maximum=0,
        series_names=[name for name, _ in series],
    )
    if not labels:
        return chart
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    top_value = max(totals, default=0)
    chart.maximum = top_value
    # Gridlines at round steps (at most five lines): 0, 2, 4, 6, 8 for a maximum of 7.
    step = nice_ceiling(top_value / 4) if top_value else 1
    scale_max = step * max(ceil(top_value / step - 1e-9), 1)
    plot_height = chart.plot_bottom - chart.plot_top
    slot = (chart.plot_right - chart.plot_left) / len(labels)
    bar_width = max(slot * 0.7, 1)
    for i, label in enumerate(labels):
        x = chart.plot_left + i * slot + (slot - bar_width) / 2
        base = chart.plot_bottom
        for s, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_height * value / scale_max
            base -= h
            shown = f"{value:g}{(' ' + unit) if unit else ''}"
            chart.bars.append(
                Bar(
                    round(x, 1),
                    round(base, 1),
                    round(bar_width, 1),
                    round(h, 1),
                    value,
                    s,
                    f"{label}: {shown} ({name})" if len(series) > 1 else f"{label}: {shown}",
                )
            )
    # Every `every`-th label, counted back from the newest, so the last column is always named.
    every = max(ceil(len(labels) / max_labels), 1)
    chart.labels = [
        XLabel(round(chart.plot_left + i * slot + slot / 2, 1), label)
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0
    ]
    steps = round(scale_max / step)
    chart.ticks = [
        Tick(round(step * k, 6), round(chart.plot_bottom - plot_height * k / steps, 1))
        for k in range(steps + 1)
    ]
    chart.markers = [
        XLabel(round(chart.plot_left + i * slot + slot / 2, 1), text)
        for i, text in sorted((markers or {}).items())
        if 0 <= i < len(labels)
    ]
    return chart
