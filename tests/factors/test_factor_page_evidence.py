"""A factor's page: newest evidence first, demo evidence labelled, its badge and feed to copy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Outcome
from tests.factories import AdaptationFactory, CaseStudyFactory, DomainFactory


@pytest.fixture
def factor(framework):
    return framework[2]


def test_evidence_is_listed_newest_first_not_by_domain(client, factor):
    now = timezone.now()
    CaseStudyFactory(
        title="Zebra old",
        domain=DomainFactory(name="Aviation"),
        published_at=now - timedelta(days=30),
        applied=[(factor, Outcome.WORKED)],
    )
    CaseStudyFactory(
        title="Zebra new",
        domain=DomainFactory(name="Zoology"),
        published_at=now,
        applied=[(factor, Outcome.WORKED)],
    )
    html = client.get(factor.get_absolute_url()).content.decode()
    assert html.index("Zebra new") < html.index("Zebra old")


def test_demo_evidence_is_labelled_on_the_factor_and_measure_pages(client, factor):
    AdaptationFactory(title="Invented adaptation", factor=factor, is_demo=True)
    AdaptationFactory(title="Real adaptation", factor=factor)
    for url in (
        factor.get_absolute_url(),
        reverse("factors:evidence", args=[factor.slug, "adaptations"]),
    ):
        html = client.get(url).content.decode()
        assert 'Invented adaptation</a> <span class="tag tag-demo"' in html, url
        assert html.count('class="tag tag-demo"') == 1, url


def test_the_factor_page_offers_its_badge_and_feed_with_code_to_copy(client, factor, settings):
    html = client.get(factor.get_absolute_url()).content.decode()
    badge = reverse("opendata:badge_factor", args=[factor.slug])
    feed = reverse("opendata:feed_factor", args=[factor.slug])
    assert f'<img src="{badge}"' in html
    assert f'href="{feed}"' in html
    assert '<label for="badge-markdown">Markdown</label>' in html
    assert '<textarea id="badge-markdown" class="embed-code" rows="2" readonly>[![Factor II' in html
    assert f"{badge})](" in html
    assert 'readonly>&lt;a href="' in html  # the HTML snippet is text, not markup
    assert "<script" not in html.split("<main", 1)[1]
