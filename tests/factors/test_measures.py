"""Measures on hand-built evidence (tests/factors/conftest.py::scenario), worked out by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factors import measuring
from factors.measures import FACTOR, FRAMEWORK, MEASURES
from factors.measuring import Evidence, measure_factors, measure_framework
from factors.selectors import maturity_report
from tests.factors.conftest import add_bulk_evidence

F1_EXPECTED = {
    "domains": 2,  # Health (cs1 worked, cs3 adapted) and Retail (ad1); Finance only failed
    "failures": 2,  # fr1 + cs2 failed
    "adaptations": 2,  # ad1 + cs3 adapted
    "failures_or_adaptations": 4,
    "case_studies": 3,  # cs1, cs2, cs3
    "organizations": 2,  # org A (twice) and org B
    "organizations_in_production": 1,  # org A (cs2 at org B is a pilot)
    "quantified_case_studies": 1,  # cs1, with two results
    "case_studies_improved": 0,  # cs1's results name no vocabulary metric ("other")
    "open_challenges": 0,
    "domains_as_written": 1,  # Health: cs1 worked (cs3 adapted there too, nothing failed)
    "domains_adapted": 1,  # Retail: only ad1
    "domains_failed": 1,  # Finance: cs2 failed and fr1, nothing worked there
    "reference_implementations": 0,  # none in the scenario
    "reference_implementation_domains": 0,
    "failure_modes": 0,  # none grouped in the scenario (tests/failuremodes works them out)
    "open_failure_modes": 0,
    "open_severe_failure_modes": 0,
}
F2_EXPECTED = {
    "domains": 0,  # only failed
    "failures": 2,  # fr1 + cs1 failed
    "adaptations": 0,
    "failures_or_adaptations": 2,
    "case_studies": 1,
    "organizations": 1,
    "organizations_in_production": 1,
    "quantified_case_studies": 1,
    "case_studies_improved": 0,
    "open_challenges": 0,
    "domains_as_written": 0,
    "domains_adapted": 0,
    "domains_failed": 2,  # Health (cs1 failed) and Finance (fr1)
    "reference_implementations": 0,  # none in the scenario
    "reference_implementation_domains": 0,
    "failure_modes": 0,  # none grouped in the scenario (tests/failuremodes works them out)
    "open_failure_modes": 0,
    "open_severe_failure_modes": 0,
}
FRAMEWORK_EXPECTED = {
    "domains": 3,  # Health, Finance, Retail; Energy has only uncounted items
    "failures": 3,  # fr1 + cs1/II failed + cs2/I failed
    "adaptations": 2,  # ad1 + cs3/I adapted
    "failures_or_adaptations": 5,
    "case_studies": 3,
    "organizations": 2,
    "organizations_in_production": 1,
    "quantified_case_studies": 1,
    "case_studies_improved": 0,
    "active_collaborators": 3,  # authors A, B, D; C published 100 days ago
    "engaged_members": 2,  # author A submitted, the maintainer published
    "open_challenges": 0,
    "factors_unproven": 10,  # I and II are contested; the ten others have no evidence
    "reference_implementations": 0,  # none in the scenario
    "reference_implementation_domains": 0,
    "failure_modes": 0,  # none grouped in the scenario (tests/failuremodes works them out)
    "open_failure_modes": 0,
    "open_severe_failure_modes": 0,
}


def test_per_factor_measures_count_only_published_evidence(scenario):
    measures = measure_factors([scenario.f1.pk, scenario.f2.pk, scenario.f3.pk])
    assert measures[scenario.f1.pk] == F1_EXPECTED
    assert measures[scenario.f2.pk] == F2_EXPECTED
    assert set(measures[scenario.f3.pk].values()) == {0}


def test_framework_measures(scenario):
    assert measure_framework() == FRAMEWORK_EXPECTED


def test_activity_window_is_a_setting(scenario, settings):
    settings.ACTIVITY_WINDOW_DAYS = 150
    measures = measure_framework(keys=["active_collaborators", "engaged_members"])
    # Author C (100 days) and the 120-day-old submission by author B now count.
    assert measures == {"active_collaborators": 4, "engaged_members": 3}


def test_publishing_a_draft_changes_the_measures(scenario):
    draft = next(i for i in scenario.not_counted if i.title == "cs-draft")
    draft.state = "published"
    draft.save()
    measures = measure_factors([scenario.f1.pk])[scenario.f1.pk]
    assert measures["domains"] == 3  # Energy now
    assert measures["case_studies"] == 4


def test_coverage_cells(scenario):
    cells = Evidence().cells
    f1, f2 = scenario.f1.pk, scenario.f2.pk
    assert cells[(f1, scenario.health.pk)].total == 2  # cs1, cs3
    assert cells[(f1, scenario.finance.pk)].total == 2  # cs2, fr1
    assert cells[(f1, scenario.retail.pk)].total == 1  # ad1
    assert cells[(f2, scenario.health.pk)].total == 1  # cs1
    assert cells[(f2, scenario.finance.pk)].total == 1  # fr1
    assert (f1, scenario.energy.pk) not in cells


def test_every_measure_has_a_computation_for_its_scopes():
    for key, measure in MEASURES.items():
        if FACTOR in measure.scopes:
            assert key in measuring.FACTOR_COMPUTATIONS, key
        if FRAMEWORK in measure.scopes and key != "factors_meeting_phase":
            assert key in measuring.FRAMEWORK_COMPUTATIONS, key


def test_another_app_can_add_a_measure_and_an_engagement_source(scenario, monkeypatch):
    from accounts.models import User
    from tests.factories import UserFactory

    commenter = UserFactory()
    monkeypatch.setattr(measuring, "FACTOR_COMPUTATIONS", dict(measuring.FACTOR_COMPUTATIONS))
    monkeypatch.setattr(measuring, "ENGAGEMENT_SOURCES", dict(measuring.ENGAGEMENT_SOURCES))

    @measuring.factor_measure("open_challenges")
    def challenges(ev):
        return {scenario.f1.pk: 4}

    @measuring.engagement_source("feedback")
    def feedback(ev):
        return User.objects.filter(pk=commenter.pk).values("pk")

    assert measure_factors([scenario.f1.pk])[scenario.f1.pk]["open_challenges"] == 4
    assert measure_framework(keys=["engaged_members"])["engaged_members"] == 3

    # A plain set of ids works too; someone already counted is not counted twice.
    measuring.engagement_source("feedback")(lambda ev: {commenter.pk, scenario.maintainer.pk})
    assert measure_framework(keys=["engaged_members"])["engaged_members"] == 3

    with pytest.raises(KeyError):
        measuring.factor_measure("no_such_measure")(challenges)


def _count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_all_measures_take_a_fixed_number_of_queries(scenario):
    small = _count_queries(lambda: maturity_report())
    add_bulk_evidence(scenario.framework, 24)
    large = _count_queries(lambda: maturity_report())
    assert small == large
    # 16, 2 for the reference implementations and 1 for quantified improvement
    # (cases/measures.py), 2 for the failure modes (failuremodes/measures.py).
    assert large <= 21


def test_one_factors_status_agrees_with_the_full_report(scenario):
    from factors.models import Factor
    from factors.selectors import factor_status

    report = maturity_report(with_framework=False)
    for factor in Factor.objects.with_phase().filter(number__in=[1, 2, 3]):
        alone = factor_status(factor)
        together = report.status_for(factor)
        assert alone.measures == together.measures
        assert alone.totals == together.totals
        assert alone.eligibility == together.eligibility
    assert factor_status(scenario.f1).measures == F1_EXPECTED


# -- universal or context-specific ----------------------------------------------------------


def test_classification_from_the_scenario_worked_out_by_hand(scenario):
    from factors.models import Framework
    from tests.factories import AdaptationFactory

    ev = Evidence()
    f1, f2 = ev.classification_for(scenario.f1.pk), ev.classification_for(scenario.f2.pk)
    # I: Health as written (cs1; cs3 adapted there too), Retail adapted (ad1), Finance only
    # failed (cs2, fr1): contested. II: failed in Health (cs1) and Finance (fr1): contested.
    # Energy (every uncounted item) is nowhere.
    assert f1.kind == "contested" and f1.failed == (scenario.finance.pk,)
    assert f1.as_written == (scenario.health.pk,) and f1.adapted == (scenario.retail.pk,)
    assert f2.kind == "contested" and set(f2.failed) == {scenario.health.pk, scenario.finance.pk}
    assert ev.classification_for(scenario.f3.pk).kind == "unproven"

    # An adaptation of I in Finance addresses the failure there: three domains where it
    # worked, two only with adaptation.
    AdaptationFactory(factor=scenario.f1, domain=scenario.finance)
    ev = Evidence()
    f1 = ev.classification_for(scenario.f1.pk)
    assert f1.kind == "context_specific" and f1.working == 3
    assert set(f1.adapted) == {scenario.retail.pk, scenario.finance.pk}
    assert measure_factors([scenario.f1.pk])[scenario.f1.pk] == {
        **F1_EXPECTED,
        "domains": 3,
        "adaptations": 3,
        "failures_or_adaptations": 5,
        "domains_adapted": 2,
        "domains_failed": 0,
    }
    # I context-specific, II contested: the ten others are unproven.
    assert measure_framework(keys=["factors_unproven"]) == {"factors_unproven": 10}

    # N is the maintainers' setting: with 4 domains needed, factor I is unproven again.
    Framework.objects.update(classification_min_domains=4)
    assert Evidence().classification_for(scenario.f1.pk).kind == "unproven"
    assert measure_framework(keys=["factors_unproven"]) == {"factors_unproven": 11}
    Framework.objects.update(classification_min_domains=3)


def test_a_published_item_hidden_later_stops_counting_for_the_classification(scenario):
    from django.utils import timezone

    scenario.fr1.hidden_at = timezone.now()
    scenario.fr1.save()
    scenario.cs2.state = "withdrawn"
    scenario.cs2.save()
    # Finance has nothing left about factor I: it is no longer contested, and unproven
    # (Health as written, Retail adapted: two domains of the three needed).
    measures = measure_factors([scenario.f1.pk])[scenario.f1.pk]
    assert (measures["domains_failed"], measures["domains_as_written"]) == (0, 1)
    assert Evidence().classification_for(scenario.f1.pk).kind == "unproven"
