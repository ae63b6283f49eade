"""The domain page and the search, cold (right after a committed change): at most 8 queries,
the same count whatever the amount of evidence, and the same content as before they were
made cheap (issue 15; docs/operations/cold-pages.md)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import factorpages.views
from cases import filters
from cases.models import Outcome
from pagecache.generation import generation_bump_after_change
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    ReferenceImplementationFactory,
)

pytestmark = pytest.mark.django_db

OUTCOMES = (Outcome.WORKED, Outcome.ADAPTED, Outcome.FAILED)


def text(response) -> str:
    return response.content.decode()


def _fill(framework, domain, n, *, start=0):
    """n items of each kind in the domain, about factors I to VI in turn, published a day
    apart (the newest last), matching the word "budget"."""
    now = timezone.now()
    for i in range(start, start + n):
        factor = framework[1 + i % 6]
        when = now - timedelta(days=1000 - i)
        org = OrganizationFactory(domain=domain, anonymized=bool(i % 2))
        CaseStudyFactory(domain=domain, organization=org, title=f"Study {i}", context="budget",
                         applied=[(factor, OUTCOMES[i % 3])], published_at=when)  # fmt: skip
        AdaptationFactory(domain=domain, organization=org, factor=factor, title=f"Adapt {i}",
                          changes="budget", published_at=when)  # fmt: skip
        FailureReportFactory(domain=domain, organization=org, factors=[factor],
                             title=f"Failure {i}", symptom="budget", published_at=when)  # fmt: skip
        ReferenceImplementationFactory(domain=domain, factors=[factor], title=f"Tool {i}",
                                       description="budget", published_at=when)  # fmt: skip


def _cold_get(client, url, params, django_assert_max_num_queries, cap=8):
    generation_bump_after_change()  # as a committed change: its snapshot, then the bump
    with django_assert_max_num_queries(cap) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def _factor_section(page: str, number_roman: str) -> str:
    start = page.index(f'id="factor-{number_roman}"')
    return page[start : page.index("</section>", start)]


def _check_domain_page(page: str, size: int) -> None:
    totals = page[page.index('class="domain-totals"') :].split("</p>", 1)[0]
    for noun in ("case studies", "adaptations", "failure reports", "reference implementations"):
        assert f"{size} {noun}" in totals
    # Factor I: items 0, 6, 12 …; the newest five of each kind, newest first, full counts.
    mine = list(range(0, size, 6))
    section = _factor_section(page, "1")
    n = len(mine)
    assert f"{n} case stud{'y' if n == 1 else 'ies'}" in section
    outcomes = [OUTCOMES[i % 3] for i in mine]
    assert (
        f"({outcomes.count(Outcome.WORKED)} worked as written, "
        f"{outcomes.count(Outcome.ADAPTED)} with adaptation, "
        f"{outcomes.count(Outcome.FAILED)} failed)"
    ) in section
    for noun in ("adaptation", "failure report", "reference implementation"):
        assert f"{n} {noun}{'' if n == 1 else 's'}" in section
    for title in ("Study", "Adapt", "Failure", "Tool"):
        shown = [int(i) for i in re.findall(rf">{title} (\d+)</a>", section)]
        assert shown == sorted(mine, reverse=True)[:5], title
    # The factors no item is about want help.
    romans = "I II III IV V VI VII VIII IX X XI XII".split()
    used = {1 + i % 6 for i in range(size)}
    help_wanted = page[page.index('id="help-wanted"') :].split('id="organizations"')[0]
    wanted = [r for number, r in enumerate(romans, start=1) if number not in used]
    assert re.findall(r">([IVX]+)\. ", help_wanted) == wanted
    organizations = page[page.index('id="organizations"') :].split("</section>")[0]
    assert organizations.count("<li>") == (size + 1) // 2 + 1  # named ones, one anonymized line


def test_domain_page_is_capped_and_complete_at_two_sizes(
    client, framework, django_assert_max_num_queries
):
    health = DomainFactory(name="Healthcare")
    _fill(framework, DomainFactory(name="Finance"), 4)  # elsewhere: never counted here
    url = reverse("cases:domain_detail", args=[health.slug])
    client.get(url)  # per-process caches (content types), as a live site has them
    _fill(framework, health, 3)
    response, small = _cold_get(client, url, {}, django_assert_max_num_queries)
    _check_domain_page(text(response), 3)
    _fill(framework, health, 27, start=3)
    response, large = _cold_get(client, url, {}, django_assert_max_num_queries)
    _check_domain_page(text(response), 30)
    assert small == large


def test_domain_page_counts_follow_a_change(client, framework, django_assert_max_num_queries):
    """The counts come from the maturity snapshot recorded on commit: a new item shows."""
    health = DomainFactory(name="Healthcare")
    _fill(framework, health, 3)
    url = reverse("cases:domain_detail", args=[health.slug])
    _cold_get(client, url, {}, django_assert_max_num_queries)
    CaseStudyFactory(domain=health, title="Newest study", applied=[(framework[1], Outcome.WORKED)])
    page = text(_cold_get(client, url, {}, django_assert_max_num_queries)[0])
    section = _factor_section(page, "1")
    assert "2 case studies" in section and "(2 worked as written, 0 with adaptation" in section
    assert section.index("Newest study") < section.index("Study 0")


def _check_search(page: str, size: int) -> None:
    assert f"{4 * size} published items match “budget”" in page
    assert page.count('class="evidence-item"') == 4 * min(size, 5)
    assert "most recently published" not in page
    for title, noun in (("Study", "case studies"), ("Tool", "reference implementations")):
        shown = [int(i) for i in re.findall(rf">{title} (\d+)</a>", page)]
        assert shown == list(range(size - 1, -1, -1))[:5]  # equal rank: the newest first
        if size > 5:
            assert f"All {size} {noun} matching “budget”" in page


def test_search_is_capped_and_complete_at_two_sizes(
    client, framework, django_assert_max_num_queries
):
    health = DomainFactory(name="Healthcare")
    url = reverse("cases:search")
    client.get(url, {"q": "budget"})
    _fill(framework, health, 3)
    response, small = _cold_get(client, url, {"q": "budget"}, django_assert_max_num_queries)
    _check_search(text(response), 3)
    _fill(framework, health, 27, start=3)
    response, large = _cold_get(client, url, {"q": "budget"}, django_assert_max_num_queries)
    _check_search(text(response), 30)
    assert small == large


def test_search_ranks_and_counts_the_newest_matches_only(client, framework, monkeypatch):
    """Past SEARCH_CANDIDATES matches, the search ranks the newest ones and says so; the
    kind's own list still ranks and counts them all."""
    monkeypatch.setattr(filters, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    for i in range(5):
        CaseStudyFactory(title=f"Plain {i}", context="budget",
                         published_at=now - timedelta(days=10 - i))  # fmt: skip
    CaseStudyFactory(title="Budget in the title", published_at=now - timedelta(days=30))
    page = text(client.get(reverse("cases:search"), {"q": "budget"}))
    assert "More than 3 published items match “budget”" in page
    assert 'Case studies <span class="count">(more than 3)</span>' in page
    assert "The best matches among the 3 most recently published." in page
    assert "Budget in the title" not in page  # older than the three newest matches
    assert "All case studies matching “budget”" in page
    listing = text(client.get(reverse("cases:casestudy_list"), {"q": "budget"}))
    assert listing.index("Budget in the title") < listing.index("Plain 4")


# -- the evidence behind a factor's number (factors/<slug>/evidence/<measure>/) -------------------


def _fill_factor(framework, domains, n, *, start=0):
    """n items of each kind about factor I in each domain, outcomes in turn, a day apart."""
    now = timezone.now()
    for domain in domains:
        for i in range(start, start + n):
            when = now - timedelta(days=1000 - i, minutes=domain.pk)
            applied = [(framework[1], OUTCOMES[i % 3])]
            CaseStudyFactory(domain=domain, title=f"{domain.name} study {i}", applied=applied,
                             published_at=when)  # fmt: skip
            AdaptationFactory(domain=domain, factor=framework[1], published_at=when,
                              title=f"{domain.name} adaptation {i}")  # fmt: skip
            FailureReportFactory(domain=domain, factors=[framework[1], framework[2]],
                                 published_at=when, title=f"{domain.name} failure {i}")  # fmt: skip


def _evidence_url(framework, measure):
    return reverse("factors:evidence", args=[framework[1].slug, measure])


def test_evidence_page_is_capped_at_two_sizes(client, framework, django_assert_max_num_queries):
    domains = [DomainFactory(name=name) for name in ("Gamma", "Alpha", "Beta")]
    url = _evidence_url(framework, "failures_or_adaptations")
    client.get(url)
    _fill_factor(framework, domains, 3)
    response, small = _cold_get(client, url, {}, django_assert_max_num_queries)
    assert "Failure reports (9)" in text(response)
    _fill_factor(framework, domains, 30, start=3)
    response, large = _cold_get(client, url, {"p2": "2"}, django_assert_max_num_queries)
    page = text(response)
    assert "Failure reports (99)" in page and "Case studies where it failed (33)" in page
    assert "<strong>Alpha</strong>: 33 failure reports, 11 case studies where it failed, " in page
    assert small == large


MEASURES_READ_FROM_THE_SNAPSHOT = ("domains", "failures", "adaptations", "case_studies",
                                   "failures_or_adaptations")  # fmt: skip


@pytest.mark.parametrize("measure", MEASURES_READ_FROM_THE_SNAPSHOT)
def test_evidence_page_from_the_snapshot_is_the_page_computed(
    client, framework, monkeypatch, django_assert_max_num_queries, measure
):
    """Every page of every section, read with the snapshot's counts, is the page computed
    from the evidence (factorpages/views.py without the snapshot): same groups, items, order
    and pagination."""
    monkeypatch.setattr(factorpages.views, "EVIDENCE_PAGE_SIZE", 4)
    domains = [DomainFactory(name=name) for name in ("Gamma", "Alpha", "Beta", "Empty")]
    _fill_factor(framework, domains[:3], 7)
    url = _evidence_url(framework, measure)

    def both(params):
        read = _cold_get(client, url, params, django_assert_max_num_queries)[0]
        with monkeypatch.context() as m:
            m.setattr(factorpages.views, "snapshot_evidence_page", lambda *args: None)
            generation_bump_after_change()
            computed = client.get(url, params)
        return [re.sub(r' nonce="[^"]*"', "", text(r)) for r in (read, computed)]

    for params in ({}, {"p1": "2"}, {"p1": "3", "p2": "2"}, {"p1": "6", "p2": "x"},
                   {"p3": "4", "p4": "2"}, {"p4": "99"}):  # fmt: skip
        read, computed = both(params)
        assert read == computed, params
