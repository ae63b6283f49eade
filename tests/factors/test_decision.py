"""What a promotion will change, worked out by hand (pure: no database)."""

import pytest

from factors.decision import promotion_effects
from factors.maturity import AT_LEAST, AT_MOST, FACTOR, FRAMEWORK, CriterionSpec, PhaseSpec

ALPHA = PhaseSpec("alpha", "Alpha", 1)
BETA = PhaseSpec("beta", "Beta", 2)
V1 = PhaseSpec("v1-0", "V1.0", 3)
PHASES = [ALPHA, BETA, V1]
CRITERIA = [
    CriterionSpec(1, "alpha", FACTOR, "domains", 3, AT_LEAST, "Alpha"),
    CriterionSpec(2, "alpha", FACTOR, "domains_failed", 0, AT_MOST, "Alpha"),
    CriterionSpec(3, "beta", FACTOR, "organizations", 3, AT_LEAST, "Beta"),
    CriterionSpec(4, "beta", FACTOR, "quantified_case_studies", 2, AT_LEAST, "Beta"),
    CriterionSpec(5, "alpha", FRAMEWORK, "case_studies", 3, AT_LEAST, "Alpha"),
    CriterionSpec(6, "beta", FRAMEWORK, "factors_meeting_phase", 2, AT_LEAST, "Beta"),
]


def effects_of(factor_id, *, phases_now, measures, framework_measures=None):
    result = promotion_effects(
        factor_id=factor_id,
        badge_label=f"Factor {factor_id}",
        phases=PHASES,
        criteria=CRITERIA,
        factor_phases=phases_now,
        factor_measures=measures,
        framework_phase=ALPHA,
        framework_measures=framework_measures or {"case_studies": 4},
    )
    return result, {e.what: e for e in result.effects}


# Three factors: 1 meets Alpha (4 domains) and one Beta criterion (3 organizations);
# 2 meets Alpha and both Beta criteria; 3 meets nothing (1 domain, 1 domain only failed).
MEASURES = {
    1: {"domains": 4, "domains_failed": 0, "organizations": 3, "quantified_case_studies": 1},
    2: {"domains": 3, "domains_failed": 0, "organizations": 5, "quantified_case_studies": 2},
    3: {"domains": 1, "domains_failed": 1, "organizations": 0, "quantified_case_studies": 0},
}


def test_promoting_an_eligible_factor_says_what_moves_and_what_does_not():
    result, by = effects_of(1, phases_now={1: ALPHA, 2: ALPHA, 3: BETA}, measures=MEASURES)
    assert (result.from_phase, result.to_phase, result.override_needed) == (ALPHA, BETA, False)
    assert (by["Phase of the factor"].before, by["Phase of the factor"].after) == ("Alpha", "Beta")
    assert by["Badge"].before == "Factor 1 · Alpha" and by["Badge"].after == "Factor 1 · Beta"
    criteria = by["Criteria it is measured against"]
    assert criteria.before == "Alpha criteria: 2 of 2 hold, eligible for Beta"
    assert criteria.after == "Beta criteria: 1 of 2 hold, not yet eligible for V1.0"
    assert by["At risk"].before == by["At risk"].after == "Not at risk"
    assert not by["At risk"].changes
    # 2 factors in Alpha and 1 in Beta now; 1 and 2 after.
    assert (by["Factors in Alpha"].before, by["Factors in Alpha"].after) == ("2", "1")
    assert (by["Factors in Beta"].before, by["Factors in Beta"].after) == ("1", "2")
    # Factors meeting Beta criteria: only factor 2 (by its measures, whatever its phase).
    gate = by["Factors meeting their Beta criteria (framework criterion)"]
    assert gate.before == gate.after == "1 of 3 (2 needed)" and not gate.changes
    framework = by["The framework"]
    assert (
        framework.before
        == framework.after
        == ("Eligible for Beta (1 of 1 framework criteria hold)")
    )
    record = result.as_record()
    assert record["from_phase"] == "Alpha" and record["to_phase"] == "Beta"
    assert {"what": "Badge", "before": "Factor 1 · Alpha", "after": "Factor 1 · Beta",
            "note": ""} in record["effects"]  # fmt: skip


def test_an_override_shows_the_unmet_criteria_and_the_factor_at_risk_afterwards():
    result, by = effects_of(3, phases_now={1: ALPHA, 2: ALPHA, 3: ALPHA}, measures=MEASURES)
    assert result.override_needed
    assert [v.criterion.measure for v in result.unmet] == ["domains", "domains_failed"]
    assert by["Criteria it is measured against"].before == (
        "Alpha criteria: 0 of 2 hold, not yet eligible for Beta"
    )
    risk = by["At risk"]
    assert risk.before == "Not at risk"
    assert risk.after == (
        "At risk: At least 3 domains where it worked (1 of 3); "
        "No domains where it only failed (1, at most 0)"
    )
    assert risk.changes and risk.note
    assert result.as_record()["unmet"][0]["shortfall"] == 2


def test_promoting_into_the_last_phase_and_beyond():
    measures = {1: MEASURES[2], 2: MEASURES[1]}
    _, by = effects_of(1, phases_now={1: BETA, 2: ALPHA}, measures=measures)
    assert by["Criteria it is measured against"].after == (
        "V1.0 is the last phase: no further criteria"
    )
    assert by["Badge"].after == "Factor 1 · V1.0"
    with pytest.raises(ValueError, match="last phase"):
        effects_of(1, phases_now={1: V1, 2: ALPHA}, measures=measures)
