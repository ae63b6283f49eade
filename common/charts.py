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
class _Plot:
    """What every chart has: its size, the plot area inside it, the top value, the gridlines
    (`ticks`), the labels under the x axis and the labelled vertical lines (`markers`)."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    maximum: float
    ticks: list[Tick] = field(default_factory=list)
    labels: list[XLabel] = field(default_factory=list)
    markers: list[XLabel] = field(default_factory=list)


@dataclass
class BarChart(_Plot):
    bars: list[Bar] = field(default_factory=list)
    series_names: list[str] = field(default_factory=list)

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
    scale_max, chart.ticks = _value_ticks(top_value, chart.plot_top, chart.plot_bottom)
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
            # "1 item", "2 items": a plural unit loses its "s" for one.
            word = unit[:-1] if value == 1 and unit.endswith("s") else unit
            shown = f"{value:g}{(' ' + word) if word else ''}"
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
    chart.markers = [
        XLabel(round(chart.plot_left + i * slot + slot / 2, 1), text)
        for i, text in sorted((markers or {}).items())
        if 0 <= i < len(labels)
    ]
    return chart


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    title: str


@dataclass
class Line:
    series: int
    name: str
    points: list[Point]

    @property
    def path(self) -> str:
        """An SVG path drawn as steps: a measure holds its value until the next snapshot."""
        if not self.points:
            return ""
        first = self.points[0]
        parts = [f"M{first.x},{first.y}"]
        for point in self.points[1:]:
            parts.append(f"H{point.x}V{point.y}")
        return " ".join(parts)


@dataclass
class LineChart(_Plot):
    lines: list[Line] = field(default_factory=list)

    @property
    def series_names(self) -> list[str]:
        return [line.name for line in self.lines]

    @property
    def is_empty(self) -> bool:
        return not any(line.points for line in self.lines)


def _value_ticks(top_value: float, plot_top: int, plot_bottom: int) -> tuple[float, list[Tick]]:
    step = nice_ceiling(top_value / 4) if top_value else 1
    scale_max = step * max(ceil(top_value / step - 1e-9), 1)
    steps = round(scale_max / step)
    height = plot_bottom - plot_top
    ticks = [
        Tick(round(step * k, 6), round(plot_bottom - height * k / steps, 1))
        for k in range(steps + 1)
    ]
    return scale_max, ticks


def step_chart(
    days: list,
    series: list[tuple[str, list[float]]],
    *,
    markers: list[tuple[object, str]] | None = None,
    width: int = 720,
    height: int = 220,
    max_labels: int = 6,
) -> LineChart:
    """Measures over time as step lines: x is the date (`days`, sorted dates), y the value.

    `series` is [(name, values)] with one value per day; `markers` [(day, text)] draws a
    labelled vertical line at a day (a phase change). Dates are spaced by time, not by index.
    """
    left, right, top, bottom = 40, 32, 14, 28
    chart = LineChart(width, height, top, height - bottom, left, width - right, 0)
    if not days:
        return chart
    start, end = days[0], days[-1]
    span = max((end - start).days, 1)
    plot_width = chart.plot_right - chart.plot_left

    def x_of(day) -> float:
        if start == end:
            return chart.plot_left + plot_width / 2
        return round(chart.plot_left + plot_width * (day - start).days / span, 1)

    chart.maximum = max((max(values, default=0) for _, values in series), default=0)
    scale_max, chart.ticks = _value_ticks(chart.maximum, chart.plot_top, chart.plot_bottom)
    plot_height = chart.plot_bottom - chart.plot_top
    for s, (name, values) in enumerate(series):
        points = [
            Point(
                x_of(day),
                round(chart.plot_bottom - plot_height * value / scale_max, 1),
                value,
                f"{day.isoformat()}: {value:g} ({name})",
            )
            for day, value in zip(days, values, strict=True)
        ]
        chart.lines.append(Line(series=s, name=name, points=points))
    every = max(ceil(len(days) / max_labels), 1)
    chart.labels = [
        XLabel(x_of(day), day.isoformat())
        for i, day in enumerate(days)
        if (len(days) - 1 - i) % every == 0
    ]
    chart.markers = [
        XLabel(x_of(day), text) for day, text in (markers or []) if start <= day <= end
    ]
    return chart
