"""Quantified improvement: how a result moved, how a case study's results read together, and
the per-metric summary of many case studies. Pure: numbers in, verdicts out (no database).

A quantified result reports a metric before and after. When the metric is one of the
vocabulary's (cases.models.Metric), it has a direction: higher or lower is better.

- `direction(before, after, better)`: IMPROVED when the value moved the better way,
  WORSENED when it moved the other way, UNCHANGED when after == before. A before of 0
  still has a direction.
- `relative_change(before, after)`: (after − before) / |before|, e.g. 10 → 6 is −0.4
  (−40 %). None when before is 0: a change from nothing has no relative size. Such a
  result still counts as improved or worsened, but is left out of the median and range.
- `case_study_verdict(directions)`: how a case study's vocabulary results read together:
  IMPROVED (at least one improved, none worsened), WORSENED (at least one worsened, none
  improved), MIXED (some improved, some worsened), NO_CHANGE (all unchanged), or None
  (no vocabulary result: "other" results are shown but never added up).
  Only IMPROVED counts as "reporting improvement"; a mixed case study does not.
- `summarize_metric(rows)`: for one metric, the number of results, how many improved,
  worsened or did not change, how many had no relative change (before 0), and the median
  and range (lowest, highest) of the relative changes.

A case study applies several factors at once: its improvement is reported for each factor
it applied, and never shows that one factor caused it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from statistics import median

HIGHER = "higher"
LOWER = "lower"


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"


class Verdict(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    MIXED = "mixed"
    NO_CHANGE = "no_change"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    Verdict.IMPROVED: "Improved",
    Verdict.WORSENED: "Worsened",
    Verdict.MIXED: "Mixed (some better, some worse)",
    Verdict.NO_CHANGE: "No change",
}
VERDICT_ORDER = [Verdict.IMPROVED, Verdict.MIXED, Verdict.NO_CHANGE, Verdict.WORSENED]


def direction(before: Decimal, after: Decimal, better: str) -> Direction:
    if after == before:
        return Direction.UNCHANGED
    went_up = after > before
    return Direction.IMPROVED if went_up == (better == HIGHER) else Direction.WORSENED


def relative_change(before: Decimal, after: Decimal) -> Decimal | None:
    """(after − before) / |before|; None when before is 0."""
    if before == 0:
        return None
    return (Decimal(after) - Decimal(before)) / abs(Decimal(before))


def case_study_verdict(directions: Iterable[Direction]) -> Verdict | None:
    seen = set(directions)
    if not seen:
        return None
    improved, worsened = Direction.IMPROVED in seen, Direction.WORSENED in seen
    if improved and worsened:
        return Verdict.MIXED
    if improved:
        return Verdict.IMPROVED
    if worsened:
        return Verdict.WORSENED
    return Verdict.NO_CHANGE


@dataclass(frozen=True)
class MetricSummary:
    results: int
    improved: int
    worsened: int
    unchanged: int
    without_relative_change: int  # before was 0
    median: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


def summarize_metric(rows: Iterable[tuple[Decimal, Decimal]], better: str) -> MetricSummary:
    """One metric's results, as (before, after) pairs."""
    rows = list(rows)
    directions = [direction(b, a, better) for b, a in rows]
    changes = [c for b, a in rows if (c := relative_change(b, a)) is not None]
    return MetricSummary(
        results=len(rows),
        improved=directions.count(Direction.IMPROVED),
        worsened=directions.count(Direction.WORSENED),
        unchanged=directions.count(Direction.UNCHANGED),
        without_relative_change=len(rows) - len(changes),
        median=Decimal(median(changes)) if changes else None,
        lowest=min(changes) if changes else None,
        highest=max(changes) if changes else None,
    )


def percent(change: Decimal | None) -> str:
    """A relative change in words: −0.4 → "−40%", 0.125 → "+12.5%", None → "n/a"."""
    if change is None:
        return "n/a"
    value = (change * 100).quantize(Decimal("0.1")).normalize()
    if value == 0:
        return "0%"
    text = f"{abs(value):f}"
    return f"{'+' if value > 0 else '−'}{text}%"
