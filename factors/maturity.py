"""Maturity evaluation: measures + criteria in, verdicts out.

Pure: this module imports no models and touches no database, so the rules are
tested in microseconds (tests/factors/test_maturity_rules.py). The database side
(reading criteria, computing measures from published evidence) lives in
factors/measuring.py and factors/selectors.py, which build the plain values below.

The rules:

- A criterion holds when its measure's value is at least its threshold (comparator
  "at_least", the default) or at most its threshold ("at_most"). A measure with no
  value counts as 0. A criterion that counts only evidence confirmed within the ageing
  window (`fresh_months` > 0) reads its measure's "fresh" value (measures.fresh_key),
  computed over that evidence only; so evidence that ages out can put a factor at risk.
  Measures of people, activity or open questions do not age (measures.Measure.ages):
  a criterion on one of them counts as usual whatever `fresh_months` says.
  A criterion's text is worded from its measure, comparator and threshold
  (factors/measures.py: criterion_text), never stored.
- A phase's criteria are what must hold to LEAVE it. A factor is *eligible* for the
  next phase when every per-factor criterion of its current phase holds. A phase with
  no per-factor criteria holds vacuously. A factor in the last phase is never eligible:
  there is nowhere to go.
- The framework is eligible for its next phase when every framework-wide criterion of
  its current phase holds (same rules).
- `factors_meeting_phase`, a framework-wide measure, is computed here rather than
  from evidence: for a criterion of phase P, it is the number of factors whose
  per-factor criteria of phase P all hold, whatever phase those factors are in now.
- Eligibility is advice: nothing here moves a factor. Maintainers promote
  (factors/services.py).
- A factor (or the framework) is *at risk* when the criteria that let it leave its
  previous phase no longer all hold today (evidence hidden, thresholds raised, …): it
  is shown with the reasons. Nothing moves it back by itself: demotion is a decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .measures import (
    AT_LEAST,
    AT_MOST,
    FACTOR,
    FRAMEWORK,
    counts_ageing_evidence,
    criterion_text,
    fresh_key,
)

__all__ = ["AT_LEAST", "AT_MOST", "FACTOR", "FRAMEWORK"]

FACTORS_MEETING_PHASE = "factors_meeting_phase"


@dataclass(frozen=True)
class PhaseSpec:
    slug: str
    name: str
    order: int


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as plain data: `measure` must be at least (or at most) `threshold` to
    leave `phase`."""

    id: int
    phase: str  # the phase's slug
    scope: str  # FACTOR or FRAMEWORK
    measure: str
    threshold: int
    comparator: str = AT_LEAST
    phase_name: str = ""  # for display only
    # > 0: count only evidence confirmed within this many months (the ageing window).
    fresh_months: int = 0

    @property
    def at_most(self) -> bool:
        return self.comparator == AT_MOST

    @property
    def counts_fresh(self) -> bool:
        """Whether it counts only evidence confirmed within the ageing window: it says so and
        its measure counts evidence (a measure of people or activity does not age)."""
        return bool(self.fresh_months) and counts_ageing_evidence(self.measure)

    @property
    def measure_key(self) -> str:
        """The key its value is read under: the measure, or its fresh-only variant."""
        if self.counts_fresh:
            return fresh_key(self.measure)
        return self.measure

    @property
    def description(self) -> str:
        """The criterion in words, e.g. "At least 3 domains where it worked"."""
        return criterion_text(
            self.measure, self.comparator, self.threshold, scope=self.scope,
            phase_name=self.phase_name,
            fresh_months=self.fresh_months if self.counts_fresh else 0,
        )  # fmt: skip

    def holds(self, value: int) -> bool:
        return value <= self.threshold if self.at_most else value >= self.threshold


@dataclass(frozen=True)
class Verdict:
    criterion: CriterionSpec
    value: int

    @property
    def threshold(self) -> int:
        return self.criterion.threshold

    @property
    def met(self) -> bool:
        return self.criterion.holds(self.value)

    @property
    def shortfall(self) -> int:
        """How far from holding (0 when met): missing for "at least", too many for "at most"."""
        if self.criterion.at_most:
            return max(0, self.value - self.criterion.threshold)
        return max(0, self.criterion.threshold - self.value)

    @property
    def shortfall_text(self) -> str:
        """The shortfall in words, e.g. "2 more needed" or "1 too many" ("" when met)."""
        if self.met:
            return ""
        return f"{self.shortfall} {'too many' if self.criterion.at_most else 'more needed'}"

    @property
    def value_text(self) -> str:
        """The value against the threshold: "2 of 3" (at least) or "2, at most 0" (at most)."""
        if self.criterion.at_most:
            return f"{self.value}, at most {self.criterion.threshold}"
        return f"{self.value} of {self.criterion.threshold}"

    @property
    def progress(self) -> int:
        """What a progress bar shows, out of `progress_max`: the value capped at the threshold
        ("at least"); 1 when met, else 0 ("at most": nothing to count up to)."""
        if self.criterion.at_most:
            return int(self.met)
        return min(self.value, self.criterion.threshold)

    @property
    def progress_max(self) -> int:
        return 1 if self.criterion.at_most else max(1, self.criterion.threshold)

    @property
    def percent(self) -> int:
        """Progress in whole percent, 0 to 100."""
        return 100 * self.progress // self.progress_max

    def as_record(self) -> dict:
        """A JSON-able summary, as stored in PhaseChange.unmet_criteria."""
        c = self.criterion
        return {
            "id": c.id,
            "phase": c.phase,
            "measure": c.measure,
            "fresh_months": c.fresh_months,
            "comparator": c.comparator,
            "description": c.description,
            "value": self.value,
            "threshold": c.threshold,
            "shortfall": self.shortfall,
        }


@dataclass(frozen=True)
class Eligibility:
    """Where a factor (or the framework) stands against the criteria of its current phase."""

    phase: PhaseSpec
    next_phase: PhaseSpec | None
    verdicts: tuple[Verdict, ...] = field(default_factory=tuple)

    @property
    def unmet(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.met]

    @property
    def met_count(self) -> int:
        return sum(1 for v in self.verdicts if v.met)

    @property
    def all_met(self) -> bool:
        return not self.unmet

    @property
    def eligible(self) -> bool:
        """All criteria of the current phase hold and there is a next phase to move to."""
        return self.next_phase is not None and self.all_met

    @property
    def is_last_phase(self) -> bool:
        return self.next_phase is None


def evaluate(measures: Mapping[str, int], criteria: Iterable[CriterionSpec]) -> list[Verdict]:
    """One verdict per criterion, in the order given. Missing measures count as 0."""
    return [Verdict(criterion=c, value=int(measures.get(c.measure_key, 0))) for c in criteria]


def fresh_measures_needed(criteria: Iterable[CriterionSpec], scope: str) -> list[str]:
    """The measures of `scope` that some criterion counts over confirmed evidence only."""
    keys = {c.measure for c in criteria if c.scope == scope and c.measure_key != c.measure}
    return sorted(keys)


def next_phase(phase: PhaseSpec, phases: Sequence[PhaseSpec]) -> PhaseSpec | None:
    later = [p for p in phases if p.order > phase.order]
    return min(later, key=lambda p: p.order) if later else None


def previous_phase(phase: PhaseSpec, phases: Sequence[PhaseSpec]) -> PhaseSpec | None:
    earlier = [p for p in phases if p.order < phase.order]
    return max(earlier, key=lambda p: p.order) if earlier else None


def _select(criteria: Iterable[CriterionSpec], *, scope: str, phase: str) -> list[CriterionSpec]:
    return [c for c in criteria if c.scope == scope and c.phase == phase]


def phase_holds(measures: Mapping[str, int], criteria: Iterable[CriterionSpec], phase: str) -> bool:
    """Whether all per-factor criteria of `phase` hold for these measures (vacuously if none)."""
    return all(v.met for v in evaluate(measures, _select(criteria, scope=FACTOR, phase=phase)))


def factor_eligibility(
    *,
    measures: Mapping[str, int],
    criteria: Iterable[CriterionSpec],
    phase: PhaseSpec,
    phases: Sequence[PhaseSpec],
) -> Eligibility:
    """A factor's verdicts on the per-factor criteria of its current phase, and eligibility."""
    verdicts = evaluate(measures, _select(criteria, scope=FACTOR, phase=phase.slug))
    return Eligibility(phase=phase, next_phase=next_phase(phase, phases), verdicts=tuple(verdicts))


def factors_meeting_phase(
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    criteria: Iterable[CriterionSpec],
    phase: str,
) -> int:
    """How many factors meet all per-factor criteria of `phase`, whatever their current phase."""
    criteria = list(criteria)
    return sum(1 for m in factor_measures.values() if phase_holds(m, criteria, phase))


def framework_measures_for(
    criterion: CriterionSpec,
    framework_measures: Mapping[str, int],
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    criteria: Sequence[CriterionSpec],
) -> Mapping[str, int]:
    """The framework's measures as seen by one criterion (factors_meeting_phase is per phase)."""
    if criterion.measure != FACTORS_MEETING_PHASE:
        return framework_measures
    value = factors_meeting_phase(factor_measures, criteria, criterion.phase)
    return {**framework_measures, FACTORS_MEETING_PHASE: value}


def evaluate_framework(
    *,
    framework_measures: Mapping[str, int],
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    criteria: Sequence[CriterionSpec],
    phase: str | None = None,
) -> list[Verdict]:
    """Verdicts on framework-wide criteria (of one phase, or of all phases when phase is None)."""
    criteria = list(criteria)
    chosen = [c for c in criteria if c.scope == FRAMEWORK and (phase is None or c.phase == phase)]
    return [
        evaluate(framework_measures_for(c, framework_measures, factor_measures, criteria), [c])[0]
        for c in chosen
    ]


def framework_eligibility(
    *,
    framework_measures: Mapping[str, int],
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    criteria: Sequence[CriterionSpec],
    phase: PhaseSpec,
    phases: Sequence[PhaseSpec],
) -> Eligibility:
    """The framework's verdicts on the framework-wide criteria of its current phase."""
    verdicts = evaluate_framework(
        framework_measures=framework_measures,
        factor_measures=factor_measures,
        criteria=criteria,
        phase=phase.slug,
    )
    return Eligibility(phase=phase, next_phase=next_phase(phase, phases), verdicts=tuple(verdicts))


@dataclass(frozen=True)
class Standing:
    """Whether the criteria that brought a factor into its current phase still hold.

    `entered_from` is the previous phase (None in the first phase: nothing to keep).
    """

    phase: PhaseSpec
    entered_from: PhaseSpec | None
    verdicts: tuple[Verdict, ...] = field(default_factory=tuple)

    @property
    def unmet(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.met]

    @property
    def at_risk(self) -> bool:
        return bool(self.unmet)


def factor_standing(
    *,
    measures: Mapping[str, int],
    criteria: Iterable[CriterionSpec],
    phase: PhaseSpec,
    phases: Sequence[PhaseSpec],
) -> Standing:
    """A factor's verdicts, today, on the per-factor criteria for leaving its previous phase."""
    before = previous_phase(phase, phases)
    if before is None:
        return Standing(phase=phase, entered_from=None)
    verdicts = evaluate(measures, _select(criteria, scope=FACTOR, phase=before.slug))
    return Standing(phase=phase, entered_from=before, verdicts=tuple(verdicts))


def framework_standing(
    *,
    framework_measures: Mapping[str, int],
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    criteria: Sequence[CriterionSpec],
    phase: PhaseSpec,
    phases: Sequence[PhaseSpec],
) -> Standing:
    """The framework's verdicts, today, on the framework criteria for leaving its previous phase."""
    before = previous_phase(phase, phases)
    if before is None:
        return Standing(phase=phase, entered_from=None)
    verdicts = evaluate_framework(
        framework_measures=framework_measures,
        factor_measures=factor_measures,
        criteria=criteria,
        phase=before.slug,
    )
    return Standing(phase=phase, entered_from=before, verdicts=tuple(verdicts))
