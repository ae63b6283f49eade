"""What promoting a factor will change, worked out before the maintainer confirms.

Pure: phases, criteria, every factor's phase and measures and the framework's measures in
(a maturity snapshot read back gives exactly these), the list of changes out. The "after"
side is evaluated by the same rules (factors/maturity.py) with only the factor's phase
moved, so the preview says what the site will show once the promotion is committed:

- the factor's phase, and the text of its badge ("Factor I · Alpha" → "Factor I · Beta");
- the criteria it is measured against (those of its new phase) and whether it is eligible
  for the phase after;
- whether it will be shown *at risk* (promoted by override while criteria of the phase it
  leaves do not hold);
- how many factors are in each phase;
- the framework's gates ("factors meeting their Beta criteria": it counts factors whose
  measures meet a phase's criteria, whatever phase they are in, so a promotion alone
  leaves it as it is, and the preview says so), and whether the framework is eligible for
  its next phase.

Nothing here writes: factors/services.py promotes, and stores `as_record()` of what was
shown with the phase change.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from . import maturity
from .maturity import CriterionSpec, Eligibility, PhaseSpec


@dataclass(frozen=True)
class Effect:
    """One line of the preview: what, as it is now, and as it will be after the promotion."""

    what: str
    before: str
    after: str
    note: str = ""

    @property
    def changes(self) -> bool:
        return self.before != self.after

    def as_record(self) -> dict:
        return {"what": self.what, "before": self.before, "after": self.after, "note": self.note}


@dataclass(frozen=True)
class PromotionEffects:
    from_phase: PhaseSpec
    to_phase: PhaseSpec
    effects: tuple[Effect, ...] = field(default_factory=tuple)
    unmet: tuple[maturity.Verdict, ...] = field(default_factory=tuple)  # criteria not holding

    @property
    def override_needed(self) -> bool:
        return bool(self.unmet)

    def as_record(self) -> dict:
        return {
            "from_phase": self.from_phase.name,
            "to_phase": self.to_phase.name,
            "effects": [e.as_record() for e in self.effects],
            "unmet": [v.as_record() for v in self.unmet],
        }


def _criteria_text(e: Eligibility) -> str:
    """E.g. "Alpha criteria: 3 of 3 hold, eligible for Beta"."""
    if e.is_last_phase:
        return f"{e.phase.name} is the last phase: no further criteria"
    if not e.verdicts:
        return f"No {e.phase.name} criteria set: eligible for {e.next_phase.name}"
    verdict = (
        f"eligible for {e.next_phase.name}"
        if e.eligible
        else f"not yet eligible for {e.next_phase.name}"
    )
    return f"{e.phase.name} criteria: {e.met_count} of {len(e.verdicts)} hold, {verdict}"


def _standing_text(s: maturity.Standing) -> str:
    if not s.at_risk:
        return "Not at risk"
    return "At risk: " + "; ".join(f"{v.criterion.description} ({v.value_text})" for v in s.unmet)


def _framework_text(e: Eligibility | None) -> str:
    if e is None:
        return "Not loaded"
    if e.is_last_phase:
        return f"In {e.phase.name}, the last phase"
    held = f"{e.met_count} of {len(e.verdicts)} framework criteria hold"
    return f"{'Eligible' if e.eligible else 'Not eligible'} for {e.next_phase.name} ({held})"


def promotion_effects(
    *,
    factor_id: Hashable,
    badge_label: str,
    phases: Sequence[PhaseSpec],
    criteria: Sequence[CriterionSpec],
    factor_phases: Mapping[Hashable, PhaseSpec],
    factor_measures: Mapping[Hashable, Mapping[str, int]],
    framework_phase: PhaseSpec | None,
    framework_measures: Mapping[str, int],
) -> PromotionEffects:
    """The changes promoting `factor_id` to the next phase would make (see the docstring)."""
    before_phase = factor_phases[factor_id]
    to_phase = maturity.next_phase(before_phase, phases)
    if to_phase is None:
        raise ValueError(f"{badge_label} is already in the last phase, {before_phase.name}.")
    measures = factor_measures[factor_id]

    def factor_view(phase: PhaseSpec):
        e = maturity.factor_eligibility(
            measures=measures, criteria=criteria, phase=phase, phases=phases
        )
        s = maturity.factor_standing(
            measures=measures, criteria=criteria, phase=phase, phases=phases
        )
        return e, s

    e_before, s_before = factor_view(before_phase)
    e_after, s_after = factor_view(to_phase)
    effects = [
        Effect("Phase of the factor", before_phase.name, to_phase.name),
        Effect("Badge", f"{badge_label} · {before_phase.name}", f"{badge_label} · {to_phase.name}"),
        Effect(
            "Criteria it is measured against", _criteria_text(e_before), _criteria_text(e_after)
        ),
        Effect(
            "At risk",
            _standing_text(s_before),
            _standing_text(s_after),
            note=(
                "Promoted by override: the criteria it leaves do not all hold."
                if s_after.at_risk
                else ""
            ),
        ),
    ]

    after_phases = {**factor_phases, factor_id: to_phase}
    for phase in (before_phase, to_phase):
        n_before = sum(1 for p in factor_phases.values() if p.slug == phase.slug)
        n_after = sum(1 for p in after_phases.values() if p.slug == phase.slug)
        effects.append(Effect(f"Factors in {phase.name}", str(n_before), str(n_after)))

    # The framework: its measures do not depend on the factors' phases (they count evidence
    # and criteria met), so before and after are evaluated alike; said, not assumed.
    verdicts = maturity.evaluate_framework(
        framework_measures=framework_measures,
        factor_measures=factor_measures,
        criteria=criteria,
    )
    for v in verdicts:
        if v.criterion.measure != maturity.FACTORS_MEETING_PHASE:
            continue
        text = f"{v.value} of {len(factor_phases)} ({v.threshold} needed)"
        effects.append(
            Effect(
                f"Factors meeting their {v.criterion.phase_name or v.criterion.phase} criteria "
                "(framework criterion)",
                text,
                text,
                note="Counts factors whose measures meet those criteria, whatever phase they "
                "are in: a promotion alone does not move it.",
            )
        )
    framework_e = None
    if framework_phase is not None:
        framework_e = maturity.framework_eligibility(
            framework_measures=framework_measures,
            factor_measures=factor_measures,
            criteria=criteria,
            phase=framework_phase,
            phases=phases,
        )
    framework_text = _framework_text(framework_e)
    effects.append(Effect("The framework", framework_text, framework_text))
    return PromotionEffects(
        from_phase=before_phase,
        to_phase=to_phase,
        effects=tuple(effects),
        unmet=tuple(e_before.unmet),
    )
