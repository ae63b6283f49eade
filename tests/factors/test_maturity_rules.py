"""The pure evaluation rules: no database, no models."""

import pytest

from factors.maturity import (
    AT_LEAST,
    AT_MOST,
    FACTOR,
    FRAMEWORK,
    CriterionSpec,
    PhaseSpec,
    evaluate,
    evaluate_framework,
    factor_eligibility,
    factors_meeting_phase,
    framework_eligibility,
    next_phase,
    previous_phase,
)
from factors.measures import criterion_text

ALPHA = PhaseSpec("alpha", "Alpha", 1)
BETA = PhaseSpec("beta", "Beta", 2)
V1 = PhaseSpec("v1-0", "V1.0", 3)
PHASES = [V1, ALPHA, BETA]  # order given here does not matter

DOMAINS = CriterionSpec(1, "alpha", FACTOR, "domains", 3)
FAILS = CriterionSpec(2, "alpha", FACTOR, "failures_or_adaptations", 2)
ORGS = CriterionSpec(3, "beta", FACTOR, "organizations", 3)
COLLAB = CriterionSpec(4, "alpha", FRAMEWORK, "active_collaborators", 3)
GATE = CriterionSpec(5, "beta", FRAMEWORK, "factors_meeting_phase", 2)
CRITERIA = [DOMAINS, FAILS, ORGS, COLLAB, GATE]


def test_no_criteria_gives_no_verdicts():
    assert evaluate({"domains": 5}, []) == []


def test_threshold_exactly_met_holds_with_no_shortfall():
    [verdict] = evaluate({"domains": 3}, [DOMAINS])
    assert (verdict.value, verdict.threshold, verdict.met, verdict.shortfall) == (3, 3, True, 0)
    assert verdict.percent == 100


def test_one_below_threshold_fails_with_shortfall_and_progress():
    [verdict] = evaluate({"domains": 2}, [DOMAINS])
    assert (verdict.met, verdict.shortfall, verdict.progress, verdict.percent) == (False, 1, 2, 66)


def test_value_above_threshold_caps_progress_but_keeps_value():
    [verdict] = evaluate({"domains": 7}, [DOMAINS])
    assert (verdict.value, verdict.progress, verdict.shortfall) == (7, 3, 0)


def test_missing_measure_counts_as_zero():
    [verdict] = evaluate({}, [FAILS])
    assert (verdict.value, verdict.met, verdict.shortfall) == (0, False, 2)


def test_factor_eligible_when_all_criteria_of_its_current_phase_hold():
    e = factor_eligibility(
        measures={"domains": 3, "failures_or_adaptations": 2},
        criteria=CRITERIA,
        phase=ALPHA,
        phases=PHASES,
    )
    assert e.eligible and e.next_phase == BETA
    assert [v.criterion for v in e.verdicts] == [DOMAINS, FAILS]  # only alpha, only per factor
    assert e.unmet == [] and e.met_count == 2


def test_factor_not_eligible_lists_unmet_criteria():
    e = factor_eligibility(
        measures={"domains": 3, "failures_or_adaptations": 1},
        criteria=CRITERIA,
        phase=ALPHA,
        phases=PHASES,
    )
    assert not e.eligible
    assert [(v.criterion, v.shortfall) for v in e.unmet] == [(FAILS, 1)]


def test_factor_already_past_a_phase_is_judged_on_its_current_phase_only():
    # Meets every Alpha criterion, but it is in Beta, where organizations are missing.
    e = factor_eligibility(
        measures={"domains": 9, "failures_or_adaptations": 9, "organizations": 2},
        criteria=CRITERIA,
        phase=BETA,
        phases=PHASES,
    )
    assert not e.eligible and e.next_phase == V1
    assert [v.criterion for v in e.verdicts] == [ORGS]


def test_phase_without_per_factor_criteria_holds_vacuously():
    e = factor_eligibility(measures={}, criteria=[COLLAB], phase=ALPHA, phases=PHASES)
    assert e.verdicts == () and e.eligible


def test_factor_in_last_phase_is_never_eligible():
    last_phase_criterion = CriterionSpec(9, "v1-0", FACTOR, "domains", 1, "1 domain")
    e = factor_eligibility(
        measures={"domains": 50}, criteria=[last_phase_criterion], phase=V1, phases=PHASES
    )
    assert e.all_met and e.is_last_phase and not e.eligible and e.next_phase is None


def test_next_and_previous_phase_follow_order():
    assert next_phase(ALPHA, PHASES) == BETA and next_phase(V1, PHASES) is None
    assert previous_phase(BETA, PHASES) == ALPHA and previous_phase(ALPHA, PHASES) is None


def test_factors_meeting_phase_counts_factors_whatever_their_current_phase():
    measures = {
        "I": {"organizations": 3},
        "II": {"organizations": 5},
        "III": {"organizations": 2},
    }
    assert factors_meeting_phase(measures, CRITERIA, "beta") == 2
    assert factors_meeting_phase(measures, CRITERIA, "alpha") == 0
    assert factors_meeting_phase({}, CRITERIA, "beta") == 0


def test_framework_gate_uses_factors_meeting_the_criterions_phase():
    factor_measures = {"I": {"organizations": 3}, "II": {"organizations": 1}}
    [gate] = evaluate_framework(
        framework_measures={}, factor_measures=factor_measures, criteria=CRITERIA, phase="beta"
    )
    assert (gate.criterion, gate.value, gate.met, gate.shortfall) == (GATE, 1, False, 1)
    factor_measures["II"] = {"organizations": 4}
    [gate] = evaluate_framework(
        framework_measures={}, factor_measures=factor_measures, criteria=CRITERIA, phase="beta"
    )
    assert gate.met


def test_framework_eligibility_uses_framework_criteria_of_its_current_phase():
    e = framework_eligibility(
        framework_measures={"active_collaborators": 3},
        factor_measures={},
        criteria=CRITERIA,
        phase=ALPHA,
        phases=PHASES,
    )
    assert e.eligible and [v.criterion for v in e.verdicts] == [COLLAB]
    e = framework_eligibility(
        framework_measures={"active_collaborators": 2},
        factor_measures={},
        criteria=CRITERIA,
        phase=ALPHA,
        phases=PHASES,
    )
    assert not e.eligible and e.unmet[0].as_record()["shortfall"] == 1


def test_all_framework_verdicts_across_phases():
    verdicts = evaluate_framework(
        framework_measures={"active_collaborators": 4}, factor_measures={}, criteria=CRITERIA
    )
    assert [v.criterion for v in verdicts] == [COLLAB, GATE]


# -- comparators and the wording of criteria -------------------------------------------------

NO_FAILED = CriterionSpec(6, "alpha", FACTOR, "domains_failed", 0, AT_MOST, "Alpha")
AT_MOST_TWO = CriterionSpec(7, "beta", FACTOR, "open_challenges", 2, AT_MOST, "Beta")


def test_at_most_holds_up_to_the_threshold_and_counts_the_excess():
    [ok] = evaluate({"domains_failed": 0}, [NO_FAILED])
    assert ok.met and ok.shortfall == 0 and ok.shortfall_text == "" and ok.percent == 100
    [bad] = evaluate({"domains_failed": 2}, [NO_FAILED])
    assert not bad.met and bad.shortfall == 2 and bad.shortfall_text == "2 too many"
    assert bad.value_text == "2, at most 0" and bad.percent == 0
    assert [evaluate({"open_challenges": n}, [AT_MOST_TWO])[0].met for n in (0, 2, 3)] == [
        True,
        True,
        False,
    ]


def test_at_least_words_its_shortfall():
    [verdict] = evaluate({"domains": 1}, [DOMAINS])
    assert verdict.value_text == "1 of 3" and verdict.shortfall_text == "2 more needed"


def test_an_at_most_criterion_blocks_eligibility():
    e = factor_eligibility(
        measures={"domains": 3, "failures_or_adaptations": 2, "domains_failed": 1},
        criteria=[*CRITERIA, NO_FAILED],
        phase=ALPHA,
        phases=PHASES,
    )
    assert not e.eligible and [v.criterion for v in e.unmet] == [NO_FAILED]


@pytest.mark.parametrize(
    ("measure", "comparator", "threshold", "scope", "text"),
    [
        ("domains", AT_LEAST, 3, FACTOR, "At least 3 domains where it worked"),
        ("domains", AT_LEAST, 8, FACTOR, "At least 8 domains where it worked"),
        ("domains", AT_LEAST, 1, FACTOR, "At least 1 domain where it worked"),
        ("domains", AT_LEAST, 5, FRAMEWORK, "At least 5 domains with published evidence"),
        ("domains_failed", AT_MOST, 0, FACTOR, "No domains where it only failed"),
        ("domains_failed", AT_MOST, 1, FACTOR, "At most 1 domain where it only failed"),
        ("open_challenges", AT_MOST, 2, FACTOR, "At most 2 open challenges"),
        (
            "factors_unproven",
            AT_MOST,
            0,
            FRAMEWORK,
            "Every factor classified (none still unproven)",
        ),
        ("factors_unproven", AT_MOST, 3, FRAMEWORK, "At most 3 factors still unproven"),
    ],
)
def test_criterion_text_is_worded_from_measure_comparator_and_threshold(
    measure, comparator, threshold, scope, text
):
    assert criterion_text(measure, comparator, threshold, scope=scope) == text


def test_the_phase_name_fills_in_where_a_measure_names_it():
    assert GATE.description == "At least 2 factors meeting their next-phase criteria"
    gate = CriterionSpec(5, "beta", FRAMEWORK, "factors_meeting_phase", 6, AT_LEAST, "Beta")
    assert gate.description == "At least 6 factors meeting their Beta criteria"


# -- at risk: the criteria that brought it into its phase no longer hold ------------------------


def test_a_factor_in_its_first_phase_is_never_at_risk():
    from factors.maturity import factor_standing

    standing = factor_standing(measures={}, criteria=CRITERIA, phase=ALPHA, phases=PHASES)
    assert standing.entered_from is None and not standing.at_risk


def test_a_beta_factor_is_at_risk_when_an_alpha_criterion_no_longer_holds():
    from factors.maturity import factor_standing

    held = factor_standing(
        measures={"domains": 3, "failures_or_adaptations": 2},
        criteria=CRITERIA,
        phase=BETA,
        phases=PHASES,
    )
    assert held.entered_from == ALPHA and not held.at_risk
    lost = factor_standing(
        measures={"domains": 2, "failures_or_adaptations": 2, "organizations": 0},
        criteria=CRITERIA,
        phase=BETA,
        phases=PHASES,
    )
    assert lost.at_risk
    assert [(v.criterion.measure, v.value, v.shortfall) for v in lost.unmet] == [("domains", 2, 1)]


def test_the_framework_is_at_risk_when_its_entry_criteria_no_longer_hold():
    from factors.maturity import framework_standing

    standing = framework_standing(
        framework_measures={"active_collaborators": 2},
        factor_measures={},
        criteria=CRITERIA,
        phase=BETA,
        phases=PHASES,
    )
    assert standing.at_risk and standing.unmet[0].criterion == COLLAB
