"""A factor's page: newest evidence first, demo evidence labelled, its badge and feed to copy."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases.models import Deployment, Outcome
from factorpages.selectors import section_items, sections_for_factor
from failuremodes.models import FailureMode
from failuremodes.selectors import factor_modes, public_mode_list
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    ReferenceImplementationFactory,
)


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


def _lists(html: str) -> list[str]:
    """The contents of the page's evidence lists, in order."""
    section = html[html.index('id="evidence-title"') : html.index('id="failure-modes"')]
    section += html[html.index("<h3>Reference implementations") :]
    return [part.split("</ul>", 1)[0] for part in section.split('<ul class="compact-list">')[1:]]


def test_the_newest_items_show_what_the_items_read_in_full_show(client, factor):
    """The page reads its newest items of every kind as plain values, in one query
    (factorpages/selectors.py newest_items): each must render exactly as the item read in
    full does, in the same order (newest first, then the highest pk), 10 of each kind."""
    now = timezone.now()
    health, retail = DomainFactory(name="Health"), DomainFactory(name="Oncology")
    named = OrganizationFactory(name="Org A", domain=health)
    hidden_name = OrganizationFactory(name="Secret", domain=retail, anonymized=True)
    same_time = now - timedelta(days=3)
    for i in range(12):
        kwargs = {
            "domain": (health, retail)[i % 2],
            "organization": (None, named, hidden_name)[i % 3],
            "is_demo": i == 4,
            # some published at the same moment, some ageing (the two oldest not listed)
            "published_at": same_time if i < 4 else now - timedelta(days=(i, 900, 1000)[i // 5]),
        }
        CaseStudyFactory(
            title=f"cs{i}",
            deployment=(Deployment.PILOT, Deployment.PRODUCTION)[i % 2],
            applied=[(factor, (Outcome.WORKED, Outcome.ADAPTED, Outcome.FAILED)[i % 3])],
            **kwargs,
        )
        AdaptationFactory(title=f"ad{i}", factor=factor, outcome=f"Went well {i}.", **kwargs)
        FailureReportFactory(title=f"fr{i}", factors=[factor], **kwargs)
        ReferenceImplementationFactory(title=f"ri{i}", factors=[factor], **kwargs)
    CaseStudyFactory(title="about another factor", applied=[(factor.__class__.objects.exclude(
        pk=factor.pk).first(), Outcome.WORKED)])  # fmt: skip
    html = client.get(factor.get_absolute_url()).content.decode()
    expected = []
    for section in sections_for_factor(factor):
        items = section_items(section, factor).order_by("-published_at", "-pk")[:10]
        assert len(items) == 10
        expected.append(
            "".join(
                render_to_string("factors/_maturity.html#evidence_item", {"item": item})
                for item in items
            )
        )
    assert _lists(html) == expected
    assert "Ageing" in expected[0] and "an oncology organization" in expected[0]


def test_the_factor_pages_failure_modes_are_its_public_modes(client, factor, framework):
    """factor_modes reads a factor's modes with their published reports in one query: the
    same modes, reports, severity and counts as public_mode_list(factor=…), in its order."""
    other = framework[3]
    health, retail = DomainFactory(name="Health"), DomainFactory(name="Retail")
    fixed = AdaptationFactory(factor=factor)
    reports = [
        FailureReportFactory(factors=[factor], domain=(health, retail)[i % 2], severity=severity)
        for i, severity in enumerate(["low", "critical", "medium", "high", "low"])
    ]
    hidden = FailureReportFactory(factors=[factor], hidden_at=timezone.now(), severity="critical")
    modes = {
        "Zeta loops": reports[:3] + [hidden],
        "Alpha storms": reports[3:],
        "Only hidden": [hidden],
        "Of another factor": reports[:1],
    }
    for title, linked in modes.items():
        mode = FailureMode.objects.create(title=title)
        mode.factors.set([other if title == "Of another factor" else factor])
        mode.reports.set(linked)
        if title == "Alpha storms":
            mode.addressed_by, mode.addressed_at = fixed, timezone.now()
            mode.save()
    public = public_mode_list(factor=factor)
    read = factor_modes(factor).modes
    assert [m.title for m in read] == ["Alpha storms", "Zeta loops"]
    assert [
        (m.pk, m.is_addressed, m.severity, m.domain_count, m.organization_count,
         [r.pk for r in m.published_reports])
        for m in read
    ] == [
        (m.pk, m.is_addressed, m.severity, m.domain_count, m.organization_count,
         [r.pk for r in m.published_reports])
        for m in public
    ]  # fmt: skip
    html = client.get(factor.get_absolute_url()).content.decode()
    assert "Known failure modes (2: 1 open, 1 addressed)" in html
    items = "".join(
        render_to_string("failuremodes/_mode_item.html", {"mode": mode}) for mode in public
    )
    assert f'<ul class="compact-list">{items}</ul>' in html
