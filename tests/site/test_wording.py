"""Counts and articles read as English: "1 case study", "an adaptation", "in Alpha."."""

import re

import pytest
from django.urls import reverse

from cases.models import Outcome
from cases.templatetags.evidence_words import for_count
from common.charts import bar_chart
from tests.factories import AdaptationFactory, CaseStudyFactory, DomainFactory, UserFactory


def _text(response):
    """The page as a reader sees it: tags gone, inline tags leaving no space."""
    html = response.content.decode()
    html = re.sub(r"</?(a|strong|em|span|time|code|abbr)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_for_count_makes_the_leading_noun_singular_for_one():
    assert for_count("case studies where it failed", 1) == "case study where it failed"
    assert for_count("Adaptations", 1) == "Adaptation"
    assert for_count("failure reports", 2) == "failure reports"
    assert for_count("case studies", 0) == "case studies"


def test_chart_units_are_singular_for_one():
    chart = bar_chart(["Jan", "Feb"], [("Published", [1, 2])], unit="items")
    assert [bar.title for bar in chart.bars] == ["Jan: 1 item", "Feb: 2 items"]


@pytest.mark.django_db
def test_submit_page_says_an_adaptation(client, framework):
    client.force_login(UserFactory())
    page = _text(client.get(reverse("cases:submit")))
    assert "Write an adaptation" in page and "Write a case study" in page
    assert "Write a adaptation" not in page


@pytest.mark.django_db
def test_one_search_result_matches(client, framework):
    CaseStudyFactory(title="Triage agents in the ward")
    page = _text(client.get(reverse("cases:search"), {"q": "triage"}))
    assert "1 published item matches" in page


@pytest.mark.django_db
def test_home_and_dashboard_have_no_space_before_the_full_stop(client, framework):
    for name in ("home", "maturity"):
        page = _text(client.get(reverse(name)))
        assert re.search(r"is in Alpha\.", page), name
        assert "Alpha ." not in page, name


@pytest.mark.django_db
def test_measure_page_counts_one_item_in_the_singular(client, framework):
    energy = DomainFactory(name="Energy")
    factor = framework[1]
    AdaptationFactory(factor=factor, domain=energy)
    CaseStudyFactory(domain=energy, applied=[(factor, Outcome.ADAPTED)])
    page = _text(client.get(reverse("factors:evidence", args=[factor.slug, "adaptations"])))
    assert "Energy: 1 adaptation, 1 case study where it worked with adaptation" in page
    assert "1 adaptations" not in page and "1 case studies" not in page
