"""The promotion ranking, worked out by hand on small sets (pure: no database)."""

from datetime import date

import pytest

from factors import maturity, ranking
from factors.maturity import AT_LEAST, AT_MOST, FACTOR, CriterionSpec, PhaseSpec

ALPHA = PhaseSpec("alpha", "Alpha", 1)
BETA = PhaseSpec("beta", "Beta", 2)
V1 = PhaseSpec("v1-0", "V1.0", 3)
PHASES = [ALPHA, BETA, V1]
CRITERIA = [
    CriterionSpec(1, "alpha", FACTOR, "domains", 3, AT_LEAST, "Alpha"),
    CriterionSpec(2, "alpha", FACTOR, "failures_or_adaptations", 2, AT_LEAST, "Alpha"),
    CriterionSpec(3, "alpha", FACTOR, "domains_failed", 0, AT_MOST, "Alpha"),
    CriterionSpec(4, "beta", FACTOR, "organizations", 3, AT_LEAST, "Beta"),
]


def item(number, domains=0, foa=0, failed=0, *, phase=ALPHA, **extra):
    measures = {"domains": domains, "failures_or_adaptations": foa, "domains_failed": failed}
    eligibility = maturity.factor_eligibility(
        measures=measures, criteria=CRITERIA, phase=phase, phases=PHASES
    )
    return ranking.RankInput(
        factor_id=100 + number, number=number, name=f"Factor {number}", eligibility=eligibility,
        **extra,
    )  # fmt: skip


def verdict(value, threshold, comparator=AT_LEAST):
    c = CriterionSpec(9, "alpha", FACTOR, "domains", threshold, comparator)
    return maturity.Verdict(criterion=c, value=value)


@pytest.mark.parametrize(
    ("value", "threshold", "comparator", "margin", "normalised"),
    [
        (5, 3, AT_LEAST, 2, 2 / 3),  # two more than needed, on a threshold of 3
        (1, 3, AT_LEAST, -2, -2 / 3),  # two short
        (0, 3, AT_LEAST, -3, -1.0),  # nothing toward it
        (3, 3, AT_LEAST, 0, 0.0),  # exactly at the threshold
        (10, 1, AT_LEAST, 9, 1.0),  # capped at +1
        (2, 0, AT_MOST, -2, -1.0),  # two too many where none is allowed: capped at -1
        (0, 2, AT_MOST, 2, 1.0),  # none where two were allowed
        (1, 2, AT_MOST, 1, 0.5),
        (0, 0, AT_MOST, 0, 0.0),
    ],
)
def test_margin_and_normalised_margin(value, threshold, comparator, margin, normalised):
    v = verdict(value, threshold, comparator)
    assert ranking.margin(v) == margin
    assert ranking.normalised_margin(v) == pytest.approx(normalised)
    assert (margin >= 0) == v.met


def test_factors_are_ranked_by_how_clearly_they_meet_their_next_phase():
    rows = ranking.rank(
        [
            item(1, domains=5, foa=2, failed=0),  # eligible: +0.67, 0, 0 -> weakest 0, sum 0.67
            item(2, domains=6, foa=4, failed=0),  # eligible: +1, +1, 0 -> weakest 0, sum 2
            item(3, domains=3, foa=3, failed=1),  # 1 unmet: 0, +0.5, -1 -> weakest -1
            item(4, domains=1, foa=0, failed=0),  # 2 unmet
            item(5, phase=V1),  # last phase: nowhere to go
            item(6, domains=2, foa=5, failed=0),  # 1 unmet: -0.33, +1 (capped), 0
        ]
    )
    assert [r.item.number for r in rows] == [2, 1, 6, 3, 4, 5]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    by_number = {r.item.number: r for r in rows}
    first = by_number[2]
    assert (first.met, first.unmet, first.readiness_label) == (3, 0, "Eligible")
    assert first.weakest == 0.0 and first.total == pytest.approx(2.0)
    three = by_number[3]
    assert (three.met, three.unmet, three.readiness_label) == (2, 1, "Not yet")
    assert three.weakest == -1.0 and three.total == pytest.approx(-0.5)
    assert [m.text for m in three.margins] == [
        "3 of 3, margin 0 (0.00)",
        "3 of 2, margin +1 (+0.50)",
        "1, at most 0, margin -1 (-1.00)",
    ]
    last = by_number[5]
    assert last.readiness_label == "Last phase" and last.margins == ()
    assert last.weakest is None


def test_a_beta_factor_is_measured_against_the_beta_criteria():
    [row] = ranking.rank([item(7, domains=0, phase=BETA)])
    assert [m.verdict.criterion.measure for m in row.margins] == ["organizations"]
    assert row.eligibility.next_phase == V1 and row.unmet == 1


def test_ties_go_to_more_organizations_then_newer_evidence_then_number():
    same = {"domains": 5, "foa": 2, "failed": 0}
    rows = ranking.rank(
        [
            item(1, **same, organizations=2, newest_evidence=date(2026, 1, 1)),
            item(2, **same, organizations=2, newest_evidence=None),
            item(3, **same, organizations=2, newest_evidence=date(2026, 6, 1)),
            item(4, **same, organizations=5, newest_evidence=date(2025, 1, 1)),
            item(5, **same, organizations=2, newest_evidence=date(2026, 1, 1)),
        ]
    )
    assert [r.item.number for r in rows] == [4, 3, 1, 5, 2]


def test_production_share_and_the_record_kept_with_a_promotion():
    [row] = ranking.rank(
        [
            item(
                1, domains=5, foa=2, organizations=3, case_studies=3,
                case_studies_in_production=2, classification="universal",
                classification_label="Universal so far", newest_evidence=date(2026, 5, 4),
            )
        ]
    )  # fmt: skip
    assert row.production_share == pytest.approx(2 / 3)
    assert row.production_text == "2 of 3 case studies (67 %)"
    record = row.as_record()
    assert record["rank"] == 1 and record["readiness"] == "Eligible"
    assert record["next_phase"] == "Beta" and record["open_failure_modes"] is None
    assert record["newest_evidence"] == "2026-05-04"
    assert record["classification"] == "Universal so far"
    assert [(c["measure"], c["margin"], c["met"]) for c in record["criteria"]] == [
        ("domains", 2, True),
        ("failures_or_adaptations", 0, True),
        ("domains_failed", 0, True),
    ]
    [none] = ranking.rank([item(2)])
    assert none.production_share is None and none.production_text == "No case study"
    [one] = ranking.rank([item(3, case_studies=1)])
    assert one.production_text == "0 of 1 case study (0 %)"


def test_signed_numbers_always_show_their_sign():
    assert ranking.signed(2 / 3) == "+0.67"
    assert ranking.signed(-1) == "-1.00"
    assert ranking.signed(0.0) == ranking.signed(-0.0) == "0.00"
    assert ranking.signed_int(2) == "+2" and ranking.signed_int(-1) == "-1"
    assert ranking.signed_int(0) == "0"
