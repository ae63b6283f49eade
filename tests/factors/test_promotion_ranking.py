"""The maintainers' promotion ranking page (/maturity/decide/), on evidence worked out by hand."""

import re
from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from cases.models import Adaptation, CaseStudy, Deployment, FailureReport
from factorpages.promotion import promotion_ranking
from factors import measuring
from factors.measures import MEASURES, Measure
from pagecache.generation import generation_bump
from tests.factories import AdaptationFactory, CaseStudyFactory
from tests.factors.conftest import add_bulk_evidence

URL = "/maturity/decide/"


def _text(html: str) -> str:
    """Text of a piece of page, tags dropped and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def ranked(scenario):
    """Factor I eligible with room to spare, factor III eligible exactly at its thresholds.

    I:   domains Health, Retail, Energy, Finance (4 of 3: +1, +0.33); failures or adaptations
         2 failures + 3 adaptations (5 of 2: +3, capped +1); no domain only failed (0: 0).
    III: domains Health, Retail, Energy (3 of 3: 0); 2 adaptations (2 of 2: 0); none failed.
    II:  no domain where it worked (-3, -1), 2 failures (0), 2 domains only failed (-2, -1);
         one organization (org A, cs1), so it leads the factors with no evidence at all.
    """
    s = scenario
    CaseStudyFactory(domain=s.energy, applied=[(s.f1, "worked")], deployment=Deployment.PILOT)
    AdaptationFactory(factor=s.f1, domain=s.finance)
    for domain in (s.health, s.retail, s.energy):
        CaseStudyFactory(domain=domain, applied=[(s.f3, "worked")])
    AdaptationFactory.create_batch(2, factor=s.f3, domain=s.health)
    return s


def test_ranking_orders_factors_by_how_clearly_they_meet_the_next_phase(ranked):
    rows = promotion_ranking()
    assert [r.item.number for r in rows] == [1, 3, 2, *range(4, 13)]
    first, second, third = rows[:3]
    assert (first.readiness_label, first.met, first.unmet) == ("Eligible", 3, 0)
    assert [m.margin for m in first.margins] == [1, 3, 0]
    assert first.total == pytest.approx(1 / 3 + 1)
    assert (second.readiness_label, second.total) == ("Eligible", 0)
    assert (third.readiness_label, third.unmet, third.weakest) == ("Not yet", 2, -1.0)
    # I: cs1, cs2, cs3 and the Energy pilot; in production cs1 and cs3 (drafts never count).
    assert (first.item.case_studies, first.item.case_studies_in_production) == (4, 2)
    assert first.production_text == "2 of 4 case studies (50 %)"
    assert first.item.organizations == 3  # org A, org B and the Energy case study's own
    assert first.item.classification_label == "Context-specific"
    assert first.item.open_failure_modes == 0  # no failure mode named (failuremodes app)


def test_newest_evidence_counts_published_items_only(ranked):
    old = datetime(2026, 1, 10, 12, tzinfo=UTC)
    for model in (CaseStudy, Adaptation, FailureReport):
        model.objects.update(published_at=old)
    CaseStudy.objects.filter(pk=ranked.cs3.pk).update(
        published_at=datetime(2026, 2, 20, 12, tzinfo=UTC)
    )
    # Hidden (published then hidden) items are newer still, and never count.
    CaseStudy.objects.filter(hidden_at__isnull=False).update(
        published_at=datetime(2026, 5, 1, 12, tzinfo=UTC)
    )
    rows = {r.item.number: r for r in promotion_ranking()}
    assert rows[1].item.newest_evidence.isoformat() == "2026-02-20"
    assert rows[2].item.newest_evidence.isoformat() == "2026-01-10"
    assert rows[4].item.newest_evidence is None


def test_open_failure_modes_are_shown_when_measured_and_a_dash_when_not(
    client, ranked, maintainer, monkeypatch
):
    monkeypatch.setitem(
        measuring.FACTOR_COMPUTATIONS, "open_failure_modes", lambda ev: {ranked.f1.pk: 2}
    )
    if "open_failure_modes" not in MEASURES:  # the failure modes app registers it
        measure = Measure("open_failure_modes", "Open failure modes", "Unaddressed modes.")
        monkeypatch.setitem(MEASURES, "open_failure_modes", measure)
    rows = {r.item.number: r for r in promotion_ranking()}
    assert rows[1].item.open_failure_modes == 2 and rows[2].item.open_failure_modes == 0
    # Without the measure (a site without failure modes), the column says "—".
    monkeypatch.delitem(measuring.FACTOR_COMPUTATIONS, "open_failure_modes")
    generation_bump()
    rows = {r.item.number: r for r in promotion_ranking()}
    assert rows[1].item.open_failure_modes is None
    client.force_login(maintainer)
    html = client.get(URL).content.decode()
    assert 'data-label="Open failure modes">—<' in html
    assert "Open failure modes show" in html  # the rules say why


def test_the_page_shows_the_ranking_in_words(client, ranked, maintainer):
    client.force_login(maintainer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "2 of 12 factors are eligible for their next phase." in main
    table = main[main.index('class="promotion-ranking') :]
    # Ranked rows in order, each a card on phones (data-label on every cell).
    positions = [table.index(f.get_absolute_url() + '"') for f in (ranked.f1, ranked.f3, ranked.f2)]
    assert positions == sorted(positions)
    first = _text(table[positions[0] : positions[1]])
    assert "Alpha → Beta" in first and "Preview promoting to Beta" in first
    assert "Eligible 3 of 3 met" in first
    assert "✓ Domains : 4 of 3: +1 (+0.33) , met (At least 3 domains where it worked)" in first
    assert "2 of 4 (50 %)" in first and "Context-specific" in first
    raw_first = table[positions[0] : positions[1]]
    assert 'data-label="Open failure modes">0<' in raw_first
    assert 'data-label="Weakest margin">0.00<' in raw_first
    assert f'href="{ranked.f1.get_absolute_url()}#promote-form"' in raw_first
    two = _text(table[positions[2] : table.index("</tr>", positions[2])])
    assert "Not yet 1 of 3 met" in two
    # Words, not colour only: each criterion says met or not met.
    assert "✗ Domains where it only failed : 2, at most 0: -2 (-1.00) , not met" in two


def test_the_dashboard_links_maintainers_to_the_ranking(client, framework, maintainer):
    assert URL not in client.get(reverse("maturity")).content.decode()
    client.force_login(maintainer)
    assert URL in client.get(reverse("maturity")).content.decode()


@override_settings(PAGE_CACHE_VIEWS=[])
def test_ranking_page_query_count_is_capped_at_two_sizes(
    client, ranked, maintainer, django_assert_max_num_queries
):
    client.force_login(maintainer)
    client.get(URL)

    def cold() -> int:
        generation_bump()
        with django_assert_max_num_queries(32) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    small = cold()
    add_bulk_evidence(ranked.framework, 30)
    assert cold() == small
