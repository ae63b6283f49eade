"""cases.filters.evidence_filter: the one filter/search/sort used by lists, search and the API."""

import pytest
from django.http import QueryDict

from cases.filters import FilterForm, evidence_filter, page_of
from cases.models import Deployment, Outcome, Severity, State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
)


def titles(result):
    return [item.title for item in result.queryset]


@pytest.fixture
def evidence(framework):
    health, finance = DomainFactory(name="Healthcare"), DomainFactory(name="Finance")
    f = framework
    CaseStudyFactory(
        title="Health worked I",
        domain=health,
        deployment=Deployment.PRODUCTION,
        applied=[(f[1], Outcome.WORKED), (f[5], Outcome.FAILED)],
    )
    CaseStudyFactory(
        title="Finance adapted I",
        domain=finance,
        deployment=Deployment.PILOT,
        applied=[(f[1], Outcome.ADAPTED)],
    )
    CaseStudyFactory(
        title="Health draft I",
        domain=health,
        state=State.DRAFT,
        applied=[(f[1], Outcome.WORKED)],
    )
    CaseStudyFactory(title="Health hidden", domain=health, hidden_at="2025-01-01T00:00Z")
    AdaptationFactory(title="Adapting I in health", domain=health, factor=f[1])
    AdaptationFactory(title="Adapting IX in finance", domain=finance, factor=f[9])
    FailureReportFactory(
        title="Critical ops failure", domain=health, severity=Severity.CRITICAL, factors=[f[5]]
    )
    FailureReportFactory(
        title="Low foundation failure", domain=finance, severity=Severity.LOW, factors=[f[2]]
    )
    FailureReportFactory(
        title="Submitted failure", state=State.SUBMITTED, severity=Severity.CRITICAL
    )
    return f


def test_only_published_and_visible_items(evidence):
    assert sorted(titles(evidence_filter("case_study", {}))) == [
        "Finance adapted I",
        "Health worked I",
    ]
    assert titles(evidence_filter("failure", {"severity": "critical"})) == ["Critical ops failure"]


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("case_study", {"domain": "healthcare"}, ["Health worked I"]),
        ("case_study", {"factor": "1"}, ["Finance adapted I", "Health worked I"]),
        ("case_study", {"factor": "automated-tracking"}, ["Finance adapted I", "Health worked I"]),
        ("case_study", {"factor": "1", "outcome": "worked"}, ["Health worked I"]),
        ("case_study", {"factor": "1", "outcome": "failed"}, []),  # failed on V, not I
        ("case_study", {"outcome": "failed"}, ["Health worked I"]),
        ("case_study", {"tier": "operations"}, ["Health worked I"]),
        ("case_study", {"deployment": "pilot"}, ["Finance adapted I"]),
        ("case_study", {"domain": "finance", "deployment": "production"}, []),
        ("adaptation", {"tier": "improvement"}, ["Adapting IX in finance"]),
        ("adaptation", {"factor": "1", "domain": "healthcare"}, ["Adapting I in health"]),
        ("adaptation", {"outcome": "adapted", "domain": "finance"}, ["Adapting IX in finance"]),
        ("adaptation", {"outcome": "worked"}, []),
        ("failure", {"tier": "foundation"}, ["Low foundation failure"]),
        ("failure", {"factor": "5", "severity": "critical"}, ["Critical ops failure"]),
        ("failure", {"outcome": "failed", "domain": "finance"}, ["Low foundation failure"]),
        ("failure", {"outcome": "adapted"}, []),
    ],
)
def test_filters_and_combinations(evidence, kind, params, expected):
    result = evidence_filter(kind, params)
    assert result.errors == {}
    assert sorted(titles(result)) == expected


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("case_study", {"domain": "mars"}, "domain"),
        ("case_study", {"factor": "13"}, "factor"),
        ("case_study", {"factor": "99999999999999999999"}, "factor"),
        ("case_study", {"factor": "no-such-factor"}, "factor"),
        ("case_study", {"factor": "²"}, "factor"),
        ("case_study", {"factor": "-1"}, "factor"),
        ("case_study", {"tier": "platinum"}, "tier"),
        ("case_study", {"outcome": "meh"}, "outcome"),
        ("case_study", {"deployment": "moon"}, "deployment"),
        ("case_study", {"severity": "high"}, "severity"),
        ("adaptation", {"deployment": "pilot"}, "deployment"),
        ("failure", {"severity": "apocalyptic"}, "severity"),
        ("failure", {"sort": "random"}, "sort"),
    ],
)
def test_unknown_values_are_errors_naming_the_parameter(evidence, kind, params, field):
    result = evidence_filter(kind, params)
    assert field in result.errors
    assert list(result.queryset) == []


def test_nul_bytes_are_removed_from_values(evidence):
    result = evidence_filter("failure", {"domain": "heal\x00thcare", "q": "\x00"})
    assert result.errors == {} and titles(result) == ["Critical ops failure"]


def test_errors_quote_what_was_typed_and_valid_params_are_kept(evidence):
    result = evidence_filter("case_study", {"domain": "mars", "tier": "operations"})
    assert "“mars”" in result.errors["domain"]
    assert result.params == {"tier": "operations"}


def test_empty_and_unknown_parameters_are_ignored(evidence):
    result = evidence_filter("case_study", {"domain": "", "utm_source": "x", "page": "2"})
    assert result.errors == {} and len(titles(result)) == 2
    assert not result.is_filtered


def test_querydict_last_value_wins_and_querystring_round_trips(evidence):
    result = evidence_filter("case_study", QueryDict("domain=mars&domain=healthcare&factor=1"))
    assert result.errors == {}
    assert result.querystring == "domain=healthcare&factor=1"
    assert result.domain.name == "Healthcare" and result.factor.number == 1


def test_sorting_newest_and_recently_updated(framework):
    from django.utils import timezone

    now = timezone.now()
    old = CaseStudyFactory(title="Old", published_at=now - timezone.timedelta(days=30))
    new = CaseStudyFactory(title="New", published_at=now)
    type(old).objects.filter(pk=old.pk).update(updated_at=now + timezone.timedelta(minutes=1))
    type(new).objects.filter(pk=new.pk).update(updated_at=now - timezone.timedelta(days=1))
    assert titles(evidence_filter("case_study", {})) == ["New", "Old"]
    assert titles(evidence_filter("case_study", {"sort": "newest"})) == ["New", "Old"]
    assert titles(evidence_filter("case_study", {"sort": "updated"})) == ["Old", "New"]


def test_relevance_without_a_query_falls_back_to_newest(evidence):
    result = evidence_filter("case_study", {"sort": "relevance"})
    assert result.errors == {} and result.sort == "newest"


@pytest.mark.parametrize(
    ("raw", "number"),
    [(None, 1), ("", 1), ("abc", 1), ("-3", 1), ("0", 1), ("2", 2), ("999999", 3),
     ("9" * 5000, 1), ("1.5", 1), ("\x00", 1)],
)  # fmt: skip
def test_page_of_clamps_bad_page_numbers(db, raw, number):
    page = page_of(list(range(50)), raw, per_page=20)
    assert page.number == number


def test_the_form_checks_values_without_reading_its_choices(framework, django_assert_num_queries):
    """The API and the CSV export validate with the same form as the HTML lists, and pay only
    for the lookups of a domain or a factor given: the choices are read when rendered."""
    with django_assert_num_queries(0):
        form = FilterForm("case_study", {"tier": "platinum", "sort": "random", "q": "agents"})
        assert set(form.errors) == {"tier", "sort"}
    with django_assert_num_queries(2):  # the domains and the factors offered
        html = str(form)
    assert "Unknown tier “platinum”. Choose one of: foundation, operations, improvement." in html
    assert 'value="agents"' in html and "I. " in html
    assert "severity" not in html  # a filter of failure reports only, not asked for


def test_a_filter_of_another_kind_is_shown_with_why_it_does_not_apply(framework):
    form = FilterForm("adaptation", {"severity": "high"})
    assert form.errors == {"severity": ["“severity” applies only to failure reports."]}
    assert "applies only to failure reports" in str(form["severity"].errors)
